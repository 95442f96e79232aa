"""A MEDEVAC marker sent by a TAK client through taky becomes a Golden Hour request.

An ATAK-shaped 9-line marker (tests/data/cot/; line 3: A2 C1, three patients; two ZMIST cards)
goes through a real taky and the bridge (``goldenhour tak bridge`` in a subprocess, logged in as
the demo coordinator) into a real ``goldenhour serve --demo``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from medic_requests import envelope, wire
from tak_servers import BRIDGE_UID, BridgeProcess, GoldenHour, TakClient, wait_for

from goldenhour.adapters.cot import MedevacMarker, decode_cot
from goldenhour.bridges.tak import casualty_id_for, request_id_for
from goldenhour.domain.geo.mgrs import to_mgrs
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.domain.operations.events import RequestRedirected

from cot_samples import NINE_LINE_ZMIST, fresh_reference, moved

pytestmark = pytest.mark.timeout(120)


def _send_marker(tak_client: Callable[..., TakClient], data: bytes) -> TakClient:
    phone = tak_client("phone-" + decode_cot(data).uid)
    phone.wait_for_event(lambda e: e.uid == BRIDGE_UID, what="the bridge's SA")
    phone.send(data)
    return phone


def test_an_atak_medevac_becomes_a_request_with_its_casualties(
    bridge: BridgeProcess, golden_hour: GoldenHour, tak_client: Callable[..., TakClient]
) -> None:
    data, _ = fresh_reference(NINE_LINE_ZMIST)
    marker = decode_cot(data)
    assert isinstance(marker.meaning, MedevacMarker) and marker.meaning.nine_line is not None
    _send_marker(tak_client, data)

    request = wait_for(lambda: golden_hour.request(request_id_for(marker.uid)), what="the request")

    assert request["precedence"] == "A"
    assert request["nine_line"] == encode_nine_line(marker.meaning.nine_line)
    assert request["pickup"] == {"lat": 48.928714, "lon": 38.238946}  # as taky relays it
    assert len(request["casualty_ids"]) == 3
    first = casualty_id_for(marker.uid, "zmist/ua-4821")
    assert str(first) in request["casualty_ids"]
    card = golden_hour.get("coordinator", f"/api/v1/casualties/{first}")["card"]
    assert card["identity"]["battle_roster"] == "UA-4821"
    assert "I: Left thigh bleeding" in card["notes"][-1]["text"]
    assert card["vitals"][-1]["radial_pulse"] is True
    assert [t["intervention"] for t in card["treatments"]] == ["hemostatic_dressing"]
    assert card["evacuation_requests"][-1]["precedence"] == "A"


def test_a_resent_marker_creates_nothing_and_a_moved_one_redirects_the_request(
    bridge: BridgeProcess, golden_hour: GoldenHour, tak_client: Callable[..., TakClient]
) -> None:
    data, _ = fresh_reference(NINE_LINE_ZMIST)
    uid = decode_cot(data).uid
    phone = _send_marker(tak_client, data)
    wait_for(lambda: golden_hour.request(request_id_for(uid)), what="the request")
    cursor = golden_hour.cursor("coordinator")

    # The same marker again, then another: once the other is filed, the first was read.
    other, _ = fresh_reference(NINE_LINE_ZMIST)
    phone.send(data)
    phone.send(other)
    wait_for(lambda: golden_hour.request(request_id_for(decode_cot(other).uid)), what="other")
    touched = {e["stream_id"] for e in golden_hour.log_after("coordinator", cursor)}
    assert str(request_id_for(uid)) not in touched
    assert not any(str(casualty_id_for(uid, f"patient/{n}")) in touched for n in range(3, 4))

    phone.send(moved(data, north_m=150.0))
    redirected = wait_for(
        lambda: (r := golden_hour.request(request_id_for(uid))) and r.get("redirects") and r,
        what="the redirect",
    )

    assert [r["reason"] for r in redirected["redirects"]] == [
        "the MEDEVAC marker was moved on ATAK"
    ]
    assert redirected["pickup"]["lat"] == pytest.approx(48.928714 + 150.0 / 111_320.0, abs=1e-6)
    kinds = [
        e["kind"]
        for e in golden_hour.log_after("coordinator", cursor)
        if e["stream_id"] == str(request_id_for(uid))
    ]
    assert kinds == ["request_redirected"]


def test_a_redirect_made_in_golden_hour_moves_the_atak_users_own_marker(
    bridge: BridgeProcess, golden_hour: GoldenHour, tak_client: Callable[..., TakClient]
) -> None:
    data, _ = fresh_reference(NINE_LINE_ZMIST)
    marker = decode_cot(data)
    phone = _send_marker(tak_client, data)
    wait_for(lambda: golden_hour.request(request_id_for(marker.uid)), what="the request")

    golden_hour.post_events(
        "coordinator",
        wire(
            RequestRedirected(
                **envelope("coordinator"), request_id=request_id_for(marker.uid),
                pickup=Position(lat=48.94, lon=38.25), reason="the HLZ is under fire",
            )
        ),
    )  # fmt: skip

    redrawn = phone.wait_for_event(lambda e: e.uid == marker.uid, what="the moved marker")
    assert (redrawn.point.lat, redrawn.point.lon) == (48.94, 38.25)
    assert isinstance(redrawn.meaning, MedevacMarker) and redrawn.meaning.nine_line is not None
    assert isinstance(marker.meaning, MedevacMarker) and marker.meaning.nine_line is not None
    assert redrawn.meaning.nine_line.location == to_mgrs(48.94, 38.25)  # line 1: the new pickup
    # Everything else is the ATAK user's own: 9-line, HLZ brief, ZMIST cards, as sent.
    before = marker.meaning.nine_line.location
    same = replace(redrawn.meaning.nine_line, location=before, check_totals=False)
    assert replace(redrawn.meaning, nine_line=same) == marker.meaning
