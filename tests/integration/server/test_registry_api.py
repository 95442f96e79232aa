"""The registry through the API, on SQLite and PostgreSQL: who may ask, what each one sees.

The analyst sees aggregates with small cells suppressed and the de-identified export, never a
card; the administrator sees every figure; other roles are refused; every query is audited.
The leak test scans the export for every identifying value in the log and finds none.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from test_rebuild import send

from goldenhour.adapters.storage.tables import audit_log, events
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    InjuryRecorded,
    NoteAdded,
    OutcomeRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import BodyRegion, Mechanism, Outcome, PersonStatus
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.mgrs import MgrsPrecision, to_mgrs
from goldenhour.domain.geo.position import Position

Login = Callable[[str], dict[str, str]]
INJURED = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=30)
#: A square of its own, far from the demo's casualties, so the figures are this test's.
SQUARE_POSITION = Position(lat=48.5012345, lon=37.2054321)


def _envelope(minutes: float) -> dict[str, Any]:
    return {"event_id": uuid4(), "occurred_at": INJURED + timedelta(minutes=minutes),
            "recorded_at": INJURED + timedelta(minutes=minutes), "author": "medic",
            "device": "medic-device"}  # fmt: skip


def _casualty(number: int, outcome: Outcome, status: PersonStatus) -> list[DomainEvent]:
    casualty = uuid4()
    return [
        CasualtyRegistered(
            **_envelope(1), casualty_id=casualty, injured_at=INJURED, position=SQUARE_POSITION,
            identity=Identity(
                name_last=f"Kovalchuk{number}x", name_first=f"Taras{number}y",
                callsign=f"Sokil{number}z", last4=f"{4100 + number}",
                personal_number=f"UA-99{number:04d}", id_document=f"AB{770000 + number}",
                status=status,
            ),
        ),
        InjuryRecorded(**_envelope(2), casualty_id=casualty, region=BodyRegion.THIGH,
                       mechanisms=frozenset({Mechanism.DRONE}),
                       description=f"fragment wound seen by Petrenko{number}q"),
        NoteAdded(**_envelope(3), casualty_id=casualty, text=f"brother is Ostap{number}w"),
        OutcomeRecorded(**_envelope(60 + number), casualty_id=casualty, outcome=outcome,
                        details=f"taken by Hrytsenko{number}v"),
    ]  # fmt: skip


def _registry(client: TestClient, headers: dict[str, str], path: str = "summary",
              **params: str) -> Any:  # fmt: skip
    return client.get(f"/api/v1/registry/{path}", headers=headers, params=params)


def _audited(engine: Engine, action: str, username: str) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_log).where(audit_log.c.action == action, audit_log.c.username == username)
        ).mappings()
        return [dict(row) for row in rows]


def _area() -> str:
    return to_mgrs(SQUARE_POSITION.lat, SQUARE_POSITION.lon, MgrsPrecision.KM10)


def _load(client: TestClient, login: Login) -> None:
    medic = login("medic")
    cases = [
        *[_casualty(i, Outcome.KILLED_IN_ACTION, PersonStatus.OWN_MILITARY) for i in range(6)],
        *[_casualty(10 + i, Outcome.RETURNED_TO_DUTY, PersonStatus.OWN_MILITARY)
          for i in range(7)],
        *[_casualty(20 + i, Outcome.DIED_OF_WOUNDS, PersonStatus.OWN_CIVILIAN) for i in range(2)],
    ]  # fmt: skip
    for case in cases:
        assert send(client, medic, [encode_event(e) for e in case]) == ["accepted"] * 4


@pytest.fixture
def loaded(client: TestClient, login: Login) -> Iterator[None]:
    _load(client, login)
    yield


def test_the_admin_sees_every_figure_and_the_analyst_small_cells_suppressed(
    client: TestClient, login: Login, loaded: None
) -> None:
    admin, analyst = login("admin"), login("analyst")
    full = _registry(client, admin, area=_area())
    assert full.status_code == 200, full.text
    counts = {k: v["value"] for k, v in full.json()["counts"].items()}
    assert (counts["casualties"], counts["kia"], counts["rtd"], counts["dow"]) == (15, 6, 7, 2)
    # CFR = (6 + 2) / (6 + 9): shown to both, its interval too.
    assert (full.json()["cfr"]["numerator"], full.json()["cfr"]["denominator"]) == (8, 15)
    seen = _registry(client, analyst, area=_area()).json()
    assert seen["counts"]["kia"]["value"] == 6
    assert seen["counts"]["dow"] == {"value": None, "suppressed": True}
    assert seen["cfr"]["numerator"] == 8 and seen["cfr"]["low"] is not None
    # %DOW = 2 / (9 - 7): a cell of 2, suppressed with its interval.
    assert seen["pct_dow"]["suppressed"] and seen["pct_dow"]["percent"] is None
    assert seen["suppressed_below"] == 5 and full.json()["suppressed_below"] is None
    assert seen["newest_input_age_s"] >= 0 and seen["cfr"]["missing"] == 0
    # All fifteen were injured in one ISO week: its rates are the whole's, suppressed alike.
    (week,) = seen["per_week"].values()
    assert (week["cfr"]["numerator"], week["cfr"]["denominator"]) == (8, 15)
    assert week["cfr"]["low"] == seen["cfr"]["low"] and week["cfr"]["newest_input_age_s"] >= 0
    assert week["pct_dow"]["suppressed"] and week["pct_dow"]["numerator"] is None
    civilians = _registry(client, admin, area=_area(), population="civilian").json()
    assert civilians["counts"]["casualties"]["value"] == 2


def test_every_registry_query_is_audited_with_its_filter(
    client: TestClient, login: Login, seeded: Engine, loaded: None
) -> None:
    analyst = login("analyst")
    assert _registry(client, analyst, population="military").status_code == 200
    assert _registry(client, analyst, "export").status_code == 200
    entries = _audited(seeded, "registry_query", "analyst")
    assert [(e["target_kind"], e["target_id"]) for e in entries] == [
        ("registry", "summary"), ("registry", "export")
    ]  # fmt: skip
    assert json.loads(entries[0]["detail"]) == {"population": "military"}


@pytest.mark.parametrize("role", ["medic", "coordinator", "facility"])
def test_other_roles_are_refused_the_registry_and_the_refusal_audited(
    client: TestClient, login: Login, seeded: Engine, role: str
) -> None:
    for path in ("summary", "export"):
        refused = _registry(client, login(role), path)
        assert refused.status_code == 403
        assert refused.json()["detail"][0]["field"] == "role"
    assert len(_audited(seeded, "denied_registry_query", role)) == 2


def test_the_analyst_cannot_open_a_card_and_the_attempt_is_audited(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    case = _casualty(1, Outcome.ADMITTED, PersonStatus.OWN_MILITARY)
    assert send(client, login("medic"), [encode_event(e) for e in case]) == ["accepted"] * 4
    casualty = case[0].stream_id
    analyst = login("analyst")
    opened = client.get(f"/api/v1/casualties/{casualty}", headers=analyst)
    assert opened.status_code == 404
    listed = client.get("/api/v1/casualties", headers=analyst)
    assert str(casualty) not in listed.text and "Kovalchuk" not in listed.text
    denied = _audited(seeded, "denied_read", "analyst")
    assert [e["target_id"] for e in denied] == [str(casualty)]


def test_a_filter_that_cannot_be_read_is_refused_naming_it(
    client: TestClient, login: Login
) -> None:
    admin = login("admin")
    wrong = _registry(client, admin, population="police")
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["field"] == "population"
    unknown = _registry(client, admin, unit=str(uuid4()))
    assert (unknown.status_code, unknown.json()["detail"][0]["field"]) == (404, "unit")
    backwards = _registry(client, admin, since="2026-11-03T00:00Z", until="2026-11-02T00:00Z")
    assert (backwards.status_code, backwards.json()["detail"][0]["field"]) == (422, "until")
    # A bare number would be read as Unix seconds; the schema says an ISO 8601 date-time.
    number = _registry(client, admin, since="5")
    assert (number.status_code, number.json()["detail"][0]["field"]) == (422, "since")


def _identifying_values(engine: Engine) -> set[str]:
    """Return every value in the log that names, numbers or locates a person or a device."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and len(value) >= 4 and key not in _VOCABULARY:
            found.add(value)
        elif isinstance(value, float) and key in ("lat", "lon"):
            found.add(f"{value:.4f}")

    with engine.connect() as connection:
        for payload, device in connection.execute(
            select(events.c.payload, events.c.device).where(events.c.stream == "casualty")
        ):
            walk(json.loads(payload))
            found.add(device)
    return found


#: Keys whose values are the closed vocabulary or times, which the export may carry.
_VOCABULARY = frozenset({
    "kind", "region", "mechanisms", "outcome", "status", "occurred_at", "recorded_at",
    "received_at", "injured_at", "laterality", "view", "kinds", "lesion_types", "category",
    "system", "limb", "precedence", "position", "fluid_kind", "drug_class", "route",
    "intervention", "avpu", "pulse_site", "facility_level", "transport", "destination",
    "dose_unit", "suggested", "gender", "blood_group",
})  # fmt: skip


def _export(client: TestClient, headers: dict[str, str], **params: str) -> list[dict[str, str]]:
    answer = _registry(client, headers, "export", format="csv", **params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_the_export_holds_no_identifying_value_of_the_log(
    client: TestClient, login: Login, seeded: Engine, loaded: None
) -> None:
    admin = login("admin")
    answer = _registry(client, admin, "export", format="csv")
    text = answer.text
    identifying = _identifying_values(seeded)
    assert {"Kovalchuk3x", "UA-990003", "4103", "medic-device"} <= identifying
    # A short value (the last four of a service number) is looked for as a whole cell: a random
    # key's hex digits may hold "4101" by chance. Longer values are looked for anywhere.
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    leaked = [v for v in identifying if v in cells or (len(v) >= 6 and v in text)]
    assert leaked == []
    lines = _export(client, admin, area=_area())
    assert len(lines) == 15
    assert {line["area_10km"] for line in lines} == {_area()}
    assert {line["iso_week"] for line in lines} == {
        f"{INJURED.isocalendar()[0]}-W{INJURED.isocalendar()[1]:02d}"
    }
    assert sorted(int(line["outcome_min"]) for line in lines)[:2] == [60, 61]


def test_the_export_key_is_random_stable_and_not_the_record_id(
    client: TestClient, login: Login, seeded: Engine, loaded: None
) -> None:
    first = _export(client, login("admin"), area=_area())
    again = _export(client, login("analyst"), area=_area())
    assert [line["key"] for line in first] == [line["key"] for line in again]
    with seeded.connect() as connection:
        ids = {str(i) for i in connection.execute(select(events.c.stream_id)).scalars()}
    keys = {line["key"] for line in first}
    assert len(keys) == 15 and not any(key in ids or key in "".join(ids) for key in keys)
