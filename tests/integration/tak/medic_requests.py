"""Golden Hour events the TAK tests write: a request filed by the medic, with its 9-line."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from tak_servers import GoldenHour

from goldenhour.domain.casualty.events import CasualtyRegistered, VitalsRecorded
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.mgrs import mgrs_to_latlon, to_mgrs
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.triage.categories import Precedence

#: A 1 m MGRS square near Bilohorivka; its centre stays in it after taky rounds the point.
GRID = to_mgrs(48.9172, 38.2297)
NINE_LINE = encode_nine_line(
    parse_nine_line(
        f"LINE 1: {GRID}\nLINE 2: 38.90 / KALYNA 21\nLINE 3: A1\nLINE 4: A\nLINE 5: L1\n"
        "LINE 6: P\nLINE 7: C\nLINE 8: A1\nLINE 9: NONE\n"
    )
)


def envelope(author: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"event_id": uuid4(), "occurred_at": now, "recorded_at": now, "author": author,
            "device": f"{author}-phone"}  # fmt: skip


def wire(*events: DomainEvent) -> list[dict[str, Any]]:
    return [encode_event(event) for event in events]


def file_request(golden_hour: GoldenHour, *, roster: str) -> tuple[UUID, UUID]:
    """File a request for one casualty in Golden Hour as the medic; return both ids."""
    unit = UUID(golden_hour.login("medic")["unit_id"])
    lat, lon = mgrs_to_latlon(GRID)
    casualty, request = uuid4(), uuid4()
    golden_hour.post_events(
        "medic",
        wire(
            CasualtyRegistered(
                **envelope("medic"), casualty_id=casualty, position=Position(lat=lat, lon=lon),
                identity=Identity(battle_roster=roster),
            ),
            VitalsRecorded(**envelope("medic"), casualty_id=casualty, pulse=124, spo2=91),
            EvacuationRequestFiled(
                **envelope("medic"), request_id=request, unit_id=unit, casualty_ids=(casualty,),
                pickup=Position(lat=lat, lon=lon), precedence=Precedence.URGENT,
                nine_line=NINE_LINE,
            ),
        ),
    )  # fmt: skip
    return request, casualty
