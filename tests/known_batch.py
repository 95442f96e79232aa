"""A fixed batch in wire form, for tests that pin what ingest stores (hashes, rows, audit).

Every id and time is fixed, and the events cover what the encoder treats apart: nested records
(identity, position), sets of enum values, floats, optional fields left out, text in Ukrainian
with an emoji, quotes and a tab, and a hand-over that links a casualty to a facility.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

NAMESPACE = UUID("3d8a4e3c-1f0e-4b7a-9a55-0c4f2d1b6e91")


def known_id(name: str) -> UUID:
    """Return the fixed id of a named thing of the batch."""
    return uuid5(NAMESPACE, name)


BRIGADE, COMPANY = known_id("unit/brigade"), known_id("unit/company")
FACILITY = known_id("facility/role-2")
FIRST, SECOND = known_id("casualty/1"), known_id("casualty/2")
AT = "2026-11-29T08:{:02d}:00+00:00"


def _envelope(key: str, minute: int, **fields: Any) -> dict[str, Any]:
    return {
        **fields, "event_id": str(known_id(f"event/{key}")), "occurred_at": AT.format(minute),
        "recorded_at": AT.format(minute), "author": "medic", "device": "pinned-phone",
    }  # fmt: skip


def units() -> list[dict[str, Any]]:
    """Return the unit tree and the facility the casualties are handed over to."""
    return [
        _envelope("brigade", 0, kind="unit_registered", unit_id=str(BRIGADE), name="Brigade",
                  unit_kind="brigade"),
        _envelope("company", 0, kind="unit_registered", unit_id=str(COMPANY), name="Рота 2",
                  unit_kind="company", parent_id=str(BRIGADE)),
        _envelope("facility", 0, kind="facility_registered", facility_id=str(FACILITY),
                  name="Role 2", unit_id=str(BRIGADE), role="role_2",
                  capabilities=["surgery", "blood"],
                  position={"lat": 48.7389, "lon": 37.5848}),
    ]  # fmt: skip


def casualty_events() -> list[dict[str, Any]]:
    """Return two casualties' events, registration first, in the order a medic made them."""
    tourniquet = str(known_id("event/1/tourniquet"))
    return [
        _envelope("1/registered", 1, kind="casualty_registered", casualty_id=str(FIRST),
                  identity={"name_last": "Шевченко", "callsign": "Сокіл", "last4": "1234"},
                  position={"lat": 48.9258, "lon": 38.2464}, battle_loss=True,
                  injured_at=AT.format(0)),
        _envelope("1/injury", 2, kind="injury_recorded", casualty_id=str(FIRST),
                  region="thigh", laterality="left", kinds=["gunshot_wound", "vascular"],
                  mechanisms=["drone", "artillery"], burn_tbsa_percent=0.5),
        _envelope("1/tourniquet", 3, kind="tourniquet_applied", casualty_id=str(FIRST),
                  limb="left_leg", category="extremity", location="high and tight",
                  tourniquet_type="CAT"),
        _envelope("1/vitals", 4, kind="vitals_recorded", casualty_id=str(FIRST), pulse=118,
                  respiratory_rate=24, spo2=93, systolic=92, avpu="V",
                  temperature_c=36.4),
        _envelope("1/note", 5, kind="note_added", casualty_id=str(FIRST),
                  text='Поранений у свідомості ✓ "quoted"\tтаб'),
        _envelope("1/converted", 6, kind="tourniquet_converted", casualty_id=str(FIRST),
                  application_id=tourniquet, converted_to="pressure dressing"),
        _envelope("2/registered", 1, kind="casualty_registered", casualty_id=str(SECOND)),
        _envelope("2/vitals", 2, kind="vitals_recorded", casualty_id=str(SECOND),
                  walking=True, pulse=90),
        _envelope("2/handed", 8, kind="handed_over", casualty_id=str(SECOND),
                  to_stage="Role 2", facility_id=str(FACILITY), walked_out=True),
    ]  # fmt: skip
