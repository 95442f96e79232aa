"""A 9-line is filled from the cards at one pickup point; a MIST from one card."""

from __future__ import annotations

from uuid import uuid4

from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    FluidGiven,
    InjuryRecorded,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetRemoved,
    TreatmentGiven,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    FluidKind,
    InjuryKind,
    Intervention,
    Laterality,
    Limb,
    Outcome,
    PersonStatus,
    Route,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.from_card import mist_from_card, nine_line_from_cards
from goldenhour.domain.medevac.nine_line import Equipment, Nationality
from goldenhour.domain.triage.categories import Precedence

from builders import at, make

PICKUP = Position(lat=48.9172, lon=38.2297)


def casualty(
    *events: CasualtyEvent, status: PersonStatus | None = PersonStatus.OWN_MILITARY
) -> Card:
    casualty_id = uuid4()
    registered = make(CasualtyRegistered, casualty_id=casualty_id, identity=Identity(status=status))
    return fold(casualty_id, [registered, *(_for(casualty_id, e) for e in events)])


def _for(casualty_id: object, event: CasualtyEvent) -> CasualtyEvent:
    from dataclasses import replace

    return replace(event, casualty_id=casualty_id)


def nine_line(*cards: Card):  # type: ignore[no-untyped-def]
    return nine_line_from_cards(list(cards), pickup=PICKUP, frequency="38.9", call_sign="KALYNA 21")


WALKING = make(VitalsRecorded, minute=1, walking=True)
LYING = make(VitalsRecorded, minute=1, walking=False, breathing=True, respiratory_rate=18,
             radial_pulse=True, capillary_refill_s=1.0, follows_commands=True)  # fmt: skip
THIGH = make(
    InjuryRecorded, minute=1, region=BodyRegion.THIGH, kinds=frozenset({InjuryKind.FRAGMENT})
)
TOURNIQUET = make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG)


def test_patients_are_counted_by_precedence_and_by_litter_or_seat() -> None:
    request = nine_line(
        casualty(LYING, THIGH, TOURNIQUET), casualty(LYING, THIGH), casualty(WALKING, THIGH)
    )
    counts = request.patients_by_precedence
    assert (
        counts[Precedence.URGENT_SURGICAL],
        counts[Precedence.PRIORITY],
        counts[Precedence.ROUTINE],
    ) == (1, 1, 1)
    assert (request.litter, request.ambulatory) == (2, 1)
    assert request.patients_by_nationality is not None
    assert request.patients_by_nationality[Nationality.OWN_MILITARY] == 3


def test_the_dead_are_not_counted_as_medevac_patients() -> None:
    dead = casualty(LYING, make(OutcomeRecorded, minute=5, outcome=Outcome.KILLED_IN_ACTION))
    request = nine_line(casualty(LYING, THIGH), dead)
    assert request.total_patients == 1


def test_line_8_is_left_out_when_anyone_s_status_is_unknown() -> None:
    request = nine_line(casualty(LYING, THIGH), casualty(LYING, THIGH, status=None))
    assert request.patients_by_nationality is None


def test_an_intubated_casualty_needs_a_ventilator_on_line_4() -> None:
    intubated = casualty(LYING, make(TreatmentGiven, minute=3, intervention=Intervention.ET_TUBE))
    assert nine_line(intubated).equipment == frozenset({Equipment.VENTILATOR})
    assert nine_line(casualty(LYING, THIGH)).equipment == frozenset({Equipment.NONE})


def test_the_pickup_point_is_line_1_in_mgrs() -> None:
    assert nine_line(casualty(LYING, THIGH)).location == "37UDQ43561853"


def test_a_mist_lists_a_removed_tourniquet_with_its_total_time_and_fluids() -> None:
    removed = make(TourniquetRemoved, minute=80, application_id=TOURNIQUET.event_id)
    blood = make(FluidGiven, minute=20, fluid_kind=FluidKind.BLOOD_PRODUCT, name="Whole blood",
                 volume_ml=500, route=Route.IV)  # fmt: skip
    burn = make(InjuryRecorded, minute=1, region=BodyRegion.FOREARM, laterality=Laterality.RIGHT,
                kinds=frozenset({InjuryKind.BURN}), burn_tbsa_percent=9)  # fmt: skip
    card = casualty(LYING, burn, TOURNIQUET, removed, blood)
    mist = mist_from_card(card, now=at(120))
    assert mist.treatment[0] == "TQ left leg 1232Z, off 1350Z after 1 h 18 min"
    assert "Whole blood 500 ml IV 1250Z" in mist.treatment
    assert mist.injuries == ("right forearm: burn, burn 9% TBSA",)
