"""A WinTAK CASEVAC with freq="0.0" crosses taky and the bridge as a 15-patient request.

Issue 12, item 11: it used to become one unnamed casualty and no request, the bridge logging
only that 2 events were sent. The marker is the project's own, written as WinTAK writes it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest
from tak_servers import BRIDGE_UID, BridgeProcess, GoldenHour, TakClient, wait_for

from goldenhour.adapters.cot import decode_cot
from goldenhour.bridges.tak import request_id_for

pytestmark = pytest.mark.timeout(120)


def _moment(offset_s: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset_s))


def _wintak_casevac(uid: str) -> bytes:
    times = f'time="{_moment(0)}" start="{_moment(0)}" stale="{_moment(3600)}"'
    return (
        f'<event version="2.0" uid="{uid}" type="b-r-f-h-c" how="h-g-i-g-o" {times}>'
        '<point lat="48.52" lon="37.95" hae="9999999.0" ce="9999999.0" le="9999999.0"/>'
        '<detail><link type="a-f-G-U" uid="S-1-5-21-test" parent_callsign="RECEIVER" '
        'relation="p-p"/><archive/>'
        '<_medevac_ casevac="False" title="MED.19.011941" freq="0.0" urgent="1" routine="3" '
        'priority="4" urgent_surgical="2" convenience="5" equipment_none="true" ambulatory="1" '
        'security="Possible enemy in area" hlz_marking="Smoke" terrain_none="true"/>'
        '<contact callsign="RECEIVER.1"/></detail></event>'
    ).encode()


def test_a_casevac_without_a_frequency_is_filed_with_every_patient(
    bridge: BridgeProcess, golden_hour: GoldenHour, tak_client: Callable[..., TakClient]
) -> None:
    uid = f"wintak-{uuid.uuid4()}"
    data = _wintak_casevac(uid)
    phone = tak_client("phone-" + uid)
    phone.wait_for_event(lambda e: e.uid == BRIDGE_UID, what="the bridge's SA")
    phone.send(data)

    request = wait_for(lambda: golden_hour.request(request_id_for(uid)), what="the request")

    assert request["precedence"] == "A"
    assert len(request["casualty_ids"]) == 15
    assert "LINE 2: NO FREQUENCY / RECEIVER.1\n" in request["nine_line"]
    assert "LINE 6: P\n" in request["nine_line"] and "LINE 7: C\n" in request["nine_line"]
    assert decode_cot(data).uid == uid
    log = wait_for(lambda: (text := bridge.tail()) and "freq='0.0'" in text and text, what="log")
    assert f"MEDEVAC marker {uid}: line 2: freq='0.0' is not a radio frequency" in log
