"""A casualty's registry row, folded from its events."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EntryRetracted,
    EvacuationRequested,
    FluidGiven,
    HandedOver,
    InjuryRecorded,
    MedicationGiven,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetRemoved,
    TriageAssessed,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    DrugClass,
    EvacuationPosition,
    FluidKind,
    Limb,
    Mechanism,
    Outcome,
    PersonStatus,
    Route,
)
from goldenhour.domain.geo.mgrs import MgrsPrecision, to_mgrs
from goldenhour.domain.geo.position import Position
from goldenhour.domain.trauma_registry.figures import RegistryOutcome, classify
from goldenhour.domain.trauma_registry.record import registry_record
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem

from builders import CASUALTY, INJURED_AT, at, make


def _history() -> list[CasualtyEvent]:
    applied = make(TourniquetApplied, minute=4, limb=Limb.LEFT_LEG)
    return [
        make(
            CasualtyRegistered,
            identity=Identity(name_last="Shevchenko", status=PersonStatus.OWN_MILITARY),
            injured_at=INJURED_AT,
            position=Position(lat=48.85, lon=37.95),
        ),  # fmt: skip
        make(
            InjuryRecorded,
            minute=2,
            region=BodyRegion.THIGH,
            mechanisms=frozenset({Mechanism.DRONE}),
        ),  # fmt: skip
        applied,
        make(TourniquetRemoved, minute=154, application_id=applied.event_id),
        make(TriageAssessed, minute=5, system=TriageSystem.NATO, category=NatoCategory.T1),
        make(TriageAssessed, minute=60, system=TriageSystem.NATO, category=NatoCategory.T2),
        make(
            MedicationGiven,
            minute=6,
            drug_class=DrugClass.HEMOSTATIC,
            name="TXA",
            dose=2,
            dose_unit="g",
            route=Route.IV,
        ),  # fmt: skip
        make(
            FluidGiven,
            minute=20,
            fluid_kind=FluidKind.BLOOD_PRODUCT,
            name="LTOWB",
            volume_ml=500,
            route=Route.IV,
        ),  # fmt: skip
        make(
            EvacuationRequested,
            minute=9,
            request_id=uuid4(),
            precedence=Precedence.URGENT,
            position=EvacuationPosition.LITTER,
        ),  # fmt: skip
        make(HandedOver, minute=70, to_stage="Role 2", facility_id=uuid4()),
        make(OutcomeRecorded, minute=95, outcome=Outcome.SURGERY),
        make(OutcomeRecorded, minute=600, outcome=Outcome.EVACUATED_FURTHER),
    ]


def test_the_row_holds_what_the_figures_need_and_no_name() -> None:
    row = registry_record(CASUALTY, _history(), picked_up_at=at(40))
    assert row.area == to_mgrs(48.85, 37.95, MgrsPrecision.KM10)
    assert row.area is not None and len(row.area) == 7  # zone, square, one digit each way
    assert row.population == "military"
    assert row.injured_at == INJURED_AT
    assert row.mechanisms == ("drone",) and row.regions == ("thigh",)
    # The field triage is the first one: what Cribari's matrix judges.
    assert (row.triage_system, row.triage_category, row.precedence) == ("nato", "T1", "A")
    assert (row.tourniquet_count, row.tourniquet_on_at, row.tourniquet_minutes) == (1, at(4), 150)
    assert row.tourniquet_off_at == at(154) and row.tourniquets_open == 0
    assert row.txa and row.drug_classes == ("hemostatic",)
    assert (row.blood_units, row.blood_at) == (1, at(20))
    assert (row.requested_at, row.picked_up_at, row.arrived_at) == (at(9), at(40), at(70))
    # Surgery is kept though a later outcome replaced it on the card.
    assert row.surgery_at == at(95)
    assert (row.outcome, row.outcome_at) == ("evacuated_further", at(600))
    assert "Shevchenko" not in repr(row)


def test_the_operational_log_adds_an_earlier_request_and_arrival() -> None:
    row = registry_record(
        CASUALTY,
        _history(),
        requested_at=at(7),
        arrived_at=at(65),
    )
    assert (row.requested_at, row.arrived_at) == (at(7), at(65))


def test_a_retracted_death_is_not_counted() -> None:
    death = make(OutcomeRecorded, minute=30, outcome=Outcome.KILLED_IN_ACTION)
    history = [
        make(CasualtyRegistered, injured_at=INJURED_AT),
        death,
        make(EntryRetracted, minute=31, target=death.event_id, reason="wrong casualty"),
    ]
    row = registry_record(CASUALTY, history)
    assert row.outcome is None
    assert classify(row) is RegistryOutcome.UNKNOWN


def test_a_late_event_changes_the_row_and_its_newest_input() -> None:
    registered = make(CasualtyRegistered, injured_at=INJURED_AT).received(at(1))
    before = registry_record(CASUALTY, [registered])
    # Recorded at minute 20 on a phone without signal, received four hours later.
    late = make(OutcomeRecorded, minute=20, outcome=Outcome.DIED_IN_TRANSIT).received(at(260))
    after = registry_record(CASUALTY, [registered, late])
    assert before.newest_input_at == at(1) and classify(before) is RegistryOutcome.UNKNOWN
    assert after.newest_input_at == at(260) and classify(after) is RegistryOutcome.KIA
    assert after.outcome_at == at(20)
    assert after.outcome_at - INJURED_AT == timedelta(minutes=20)
