"""A casualty's facts for the evacuation plan: taken once from the folded card, stored, and
read back unchanged (``domain.medevac.waiting``)."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EvacuationRequested,
    InjuryRecorded,
    TourniquetApplied,
    TriageAssessed,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    EvacuationPosition,
    InjuryKind,
    Limb,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.waiting import (
    NotEvacuated,
    WaitingFactsError,
    decode_waiting,
    encode_waiting,
    evacuation_class,
    waiting_casualty,
)
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import (
    NatoCategory,
    Precedence,
    StartCategory,
    TriageSystem,
)

from builders import CASUALTY, at, make

PICKUP = Position(lat=48.9172, lon=38.2297)


def _history() -> list[object]:
    return [
        make(CasualtyRegistered, minute=5, identity=Identity(callsign="Lys"),
             position=Position(lat=48.9, lon=38.2), recorded_at=at(7)),
        make(InjuryRecorded, minute=6, region=BodyRegion.CHEST,
             kinds=frozenset({InjuryKind.BURN})),
        make(TourniquetApplied, minute=8, limb=Limb.LEFT_LEG),
        make(EvacuationRequested, minute=12, request_id=uuid4(),
             precedence=Precedence.URGENT_SURGICAL, position=EvacuationPosition.LITTER,
             pickup=PICKUP),
    ]  # fmt: skip


def test_the_facts_hold_what_the_plan_needs_and_read_back_unchanged() -> None:
    history = _history()
    facts = waiting_casualty(fold(CASUALTY, history), history)  # type: ignore[arg-type]
    assert (facts.category, facts.not_evacuated) == (StartCategory.IMMEDIATE, None)
    assert facts.needs == {Capability.SURGERY, Capability.BURNS}
    assert (facts.requested_pickup, facts.litter, facts.callsign) == (PICKUP, True, "Lys")
    assert (facts.first_occurred_at, facts.first_recorded_at) == (at(5), at(6))
    assert facts.tourniquet_since == at(8)
    assert decode_waiting(json.loads(json.dumps(encode_waiting(facts)))) == facts


def test_the_expectant_are_not_evacuated_with_a_reason_not_a_category() -> None:
    history = [make(CasualtyRegistered, minute=0),
               make(TriageAssessed, minute=1, system=TriageSystem.NATO,
                    category=NatoCategory.T4)]  # fmt: skip
    card = fold(CASUALTY, history)
    assert evacuation_class(card, None) is NotEvacuated.EXPECTANT
    facts = waiting_casualty(card, history)
    assert (facts.category, facts.not_evacuated) == (None, NotEvacuated.EXPECTANT)


def test_nothing_to_triage_by_is_delayed() -> None:
    history = [make(CasualtyRegistered, minute=0)]
    assert evacuation_class(fold(CASUALTY, history), None) is StartCategory.DELAYED


def test_stored_facts_missing_a_field_are_refused_naming_it() -> None:
    history = [make(CasualtyRegistered, minute=0)]
    stored = encode_waiting(waiting_casualty(fold(CASUALTY, history), history))
    del stored["needs"]
    with pytest.raises(WaitingFactsError) as refused:
        decode_waiting(stored)
    assert refused.value.field == "needs"
