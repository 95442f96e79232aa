"""Reading a card through the service: audited when granted and when refused; the pickup rule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from goldenhour.adapters.fhir.codec import FhirBundles
from goldenhour.adapters.memory import InMemoryAudits, InMemoryEventLog, InMemoryRecords
from goldenhour.domain.casualty.events import CasualtyRegistered, EvacuationRequested, NoteAdded
from goldenhour.domain.casualty.vocabulary import EvacuationPosition
from goldenhour.domain.codec import encode_event
from goldenhour.domain.errors import CasualtyNotFoundError, EventCodecError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.ports import CardFilter
from goldenhour.domain.triage.categories import Precedence
from goldenhour.services.cards import (
    card_from_events,
    casualty_history,
    list_cards,
    pickup_point,
    read_card,
)
from goldenhour.services.handoff import export_record
from goldenhour.services.sync import submit_events
from world import World

from builders import CASUALTY, make

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)
WHERE_FOUND = Position(lat=48.70, lon=37.55)
PICKUP = Position(lat=48.72, lon=37.60)


def _submit(log: InMemoryEventLog, world: World, *events: object) -> None:
    submit_events(
        log, world.medic, [encode_event(e) for e in events], now=NOW,  # type: ignore[arg-type]
        max_skew=timedelta(minutes=5),
    )  # fmt: skip


def _reads(audits: InMemoryAudits) -> list[tuple[str, str, str]]:
    return [
        (row["username"], row["action"], row["target_id"])
        for row in audits.entries()
        if row["action"] != "write"
    ]


def test_a_card_is_read_with_its_history_and_the_read_is_audited(
    log: InMemoryEventLog, world: World, records: InMemoryRecords, audits: InMemoryAudits
) -> None:
    registered = make(CasualtyRegistered, minute=1, casualty_id=uuid4(), position=WHERE_FOUND)
    note = make(NoteAdded, minute=2, casualty_id=registered.casualty_id, text="pale")
    _submit(log, world, registered, note)
    found = read_card(
        records, audits, world.medic, registered.casualty_id, action="read_mist", now=NOW
    )
    assert [e.event_id for e in found.history] == [registered.event_id, note.event_id]
    assert found.card.position == WHERE_FOUND
    assert _reads(audits) == [("medic", "read_mist", str(registered.casualty_id))]


def test_a_card_outside_the_callers_scope_is_not_found_and_the_refusal_audited(
    log: InMemoryEventLog, world: World, records: InMemoryRecords, audits: InMemoryAudits
) -> None:
    registered = make(CasualtyRegistered, minute=1, casualty_id=uuid4())
    _submit(log, world, registered)
    for casualty in (registered.casualty_id, uuid4()):
        with pytest.raises(CasualtyNotFoundError):
            read_card(records, audits, world.other_medic, casualty, action="read", now=NOW)
    assert [action for _, action, _ in _reads(audits)] == ["denied_read", "denied_read"]


def test_the_list_is_audited_as_one_read_and_only_when_it_holds_cards(
    log: InMemoryEventLog, world: World, records: InMemoryRecords, audits: InMemoryAudits
) -> None:
    assert list_cards(records, audits, world.medic, CardFilter(), now=NOW) == []
    events = [make(CasualtyRegistered, minute=m, casualty_id=uuid4()) for m in (1, 2)]
    _submit(log, world, *events)
    cards = list_cards(records, audits, world.medic, CardFilter(), now=NOW)
    assert [c["casualty_id"] for c in cards] == [str(e.casualty_id) for e in reversed(events)]
    assert _reads(audits) == [("medic", "list", "2 casualties")]


def test_the_pickup_is_the_latest_requests_else_where_the_casualty_is() -> None:
    found = make(CasualtyRegistered, minute=1, position=WHERE_FOUND)
    requested = make(
        EvacuationRequested, minute=5, request_id=uuid4(), precedence=Precedence.URGENT,
        position=EvacuationPosition.LITTER, pickup=PICKUP,
    )  # fmt: skip
    assert pickup_point(casualty_history([found], CASUALTY).card()) == WHERE_FOUND
    assert pickup_point(casualty_history([found, requested], CASUALTY).card()) == PICKUP
    assert pickup_point(casualty_history([make(CasualtyRegistered)], CASUALTY).card()) is None


def test_an_events_file_names_the_bad_item() -> None:
    good = encode_event(make(CasualtyRegistered, minute=1))
    with pytest.raises(EventCodecError) as raised:
        card_from_events([good, {**good, "kind": "no_such_kind"}], now=NOW)
    assert raised.value.field == "[1].kind"
    assert card_from_events([good], now=NOW).casualty_id == CASUALTY


def test_a_fhir_export_is_authorised_and_audited_as_read_fhir_and_holds_the_whole_history(
    log: InMemoryEventLog, world: World, records: InMemoryRecords, audits: InMemoryAudits
) -> None:
    registered = make(CasualtyRegistered, minute=1, casualty_id=uuid4(), position=WHERE_FOUND)
    note = make(NoteAdded, minute=2, casualty_id=registered.casualty_id, text="pale")
    _submit(log, world, registered, note)
    bundle = export_record(
        FhirBundles(), records, audits, world.medic, registered.casualty_id, now=NOW
    )
    read_back = FhirBundles().read(json.dumps(bundle).encode())
    assert [e.event_id for e in read_back] == [registered.event_id, note.event_id]
    with pytest.raises(CasualtyNotFoundError):
        export_record(
            FhirBundles(), records, audits, world.other_medic, registered.casualty_id, now=NOW
        )
    assert [action for _, action, _ in _reads(audits)] == ["read_fhir", "denied_read_fhir"]
