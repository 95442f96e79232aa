"""The bridge loses nothing when the TAK server or the bridge itself goes down and comes back.

taky is killed with SIGKILL and a fresh one (nothing stored) started on the same port while
Golden Hour requests are filed: once the bridge reconnects, a TAK client receives them all.
The bridge is stopped and started again on its state file while a marker waits on taky and a
request is filed in Golden Hour: both cross once it is back.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from medic_requests import file_request
from tak_servers import BRIDGE_UID, BridgeProcess, GoldenHour, TakClient, Taky, wait_for

from goldenhour.adapters.cot import CotEvent, decode_cot
from goldenhour.bridges.tak import request_id_for

from cot_samples import NINE_LINE_ZMIST, fresh_reference

pytestmark = pytest.mark.timeout(120)

REQUESTS_WHILE_DOWN = 4


def _drawing(uid: str) -> Callable[[CotEvent], bool]:
    return lambda event: event.uid == uid


def test_requests_filed_while_the_tak_server_is_down_reach_tak_after_it_restarts(
    taky: Taky,
    bridge: BridgeProcess,
    golden_hour: GoldenHour,
    tak_client: Callable[..., TakClient],
) -> None:
    before = tak_client(f"atak-{uuid4()}")
    before.wait_for_event(lambda e: e.uid == BRIDGE_UID, what="the bridge's SA")
    first, _ = file_request(golden_hour, roster="BEFORE")
    before.wait_for_event(lambda e: e.uid == f"goldenhour.request.{first}", what="first")

    taky.kill()
    filed = [file_request(golden_hour, roster=f"DOWN{n}")[0] for n in range(REQUESTS_WHILE_DOWN)]
    taky.start()
    atak = tak_client(f"atak-{uuid4()}")

    for request in [first, *filed]:
        atak.wait_for_event(_drawing(f"goldenhour.request.{request}"), what=str(request))
    assert bridge.process is not None and bridge.process.alive()


def test_a_restarted_bridge_resumes_from_its_state_file(
    bridge: BridgeProcess, golden_hour: GoldenHour, tak_client: Callable[..., TakClient]
) -> None:
    atak = tak_client(f"atak-{uuid4()}")
    atak.wait_for_event(lambda e: e.uid == BRIDGE_UID, what="the bridge's SA")
    bridge.stop()
    assert bridge.state_file.exists()

    data, _ = fresh_reference(NINE_LINE_ZMIST)
    atak.send(data)  # taky keeps it and replays it to the bridge when it is back
    request, _ = file_request(golden_hour, roster="RESUME")
    bridge.start()

    wait_for(lambda: golden_hour.request(request_id_for(decode_cot(data).uid)), what="marker")
    atak.wait_for_event(lambda e: e.uid == f"goldenhour.request.{request}", what="the request")
