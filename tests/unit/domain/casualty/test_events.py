"""Events refuse impossible values, naming the field and saying why."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest

from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EntryRetracted,
    FluidGiven,
    MedicationGiven,
    NoteAdded,
    TourniquetApplied,
    TriageAssessed,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import DrugClass, FluidKind, Limb, Route
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.event import check_timing
from goldenhour.domain.triage.categories import NatoCategory, StartCategory, TriageSystem

from builders import at, make


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("pulse", 400, "400 /min is impossible; allowed 0 to 300"),
        ("spo2", 101, "101 % is impossible; allowed 0 to 100"),
        ("respiratory_rate", -1, "allowed 0 to 80"),
        ("systolic", 350, "allowed 0 to 300"),
        ("gcs", 2, "allowed 3 to 15"),
        ("pain", 11, "allowed 0 to 10"),
        ("temperature_c", 50.0, "allowed 20 to 45"),
        ("capillary_refill_s", float("nan"), "is not a number"),
        ("pulse", 98.6, "is not a whole number"),
        ("walking", "yes", "is not yes or no"),
    ],
)
def test_impossible_vitals_are_refused_naming_the_field(
    field: str, value: object, words: str
) -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(VitalsRecorded, **{field: value})
    assert raised.value.field == field
    assert words in str(raised.value)


def test_a_diastolic_pressure_must_be_below_the_systolic() -> None:
    with pytest.raises(InvalidEventError, match="diastolic: 120 is not below the systolic 90"):
        make(VitalsRecorded, systolic=90, diastolic=120)


def test_a_palpated_systolic_alone_is_a_valid_blood_pressure() -> None:
    assert make(VitalsRecorded, systolic=90).diastolic is None


def test_a_vitals_event_without_any_value_is_refused() -> None:
    with pytest.raises(InvalidEventError, match="no vital sign"):
        make(VitalsRecorded)


def test_a_time_without_zone_is_refused() -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(NoteAdded, text="x", occurred_at=datetime(2022, 6, 14, 12, 30))
    assert raised.value.field == "occurred_at"


def test_an_event_from_the_future_beyond_clock_skew_is_refused() -> None:
    event = make(NoteAdded, minute=10, text="x")
    with pytest.raises(InvalidEventError) as raised:
        check_timing(event, now=at(4))
    assert raised.value.field == "occurred_at"
    assert "6 min in the future" in str(raised.value)


def test_an_event_within_clock_skew_is_accepted() -> None:
    check_timing(make(NoteAdded, minute=4, text="x"), now=at(0))


def test_an_event_that_happened_after_it_was_recorded_is_refused() -> None:
    event = make(NoteAdded, minute=0, text="x", occurred_at=at(30))
    with pytest.raises(InvalidEventError, match="after the time it was recorded"):
        check_timing(event, now=at(60))


def test_an_extremity_tourniquet_needs_its_limb() -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(TourniquetApplied, limb=None)
    assert raised.value.field == "limb"


def test_fluids_are_given_only_iv_or_io() -> None:
    with pytest.raises(InvalidEventError, match="route: PO: fluids go IV or IO"):
        make(FluidGiven, fluid_kind=FluidKind.FLUID, name="NS", volume_ml=500, route=Route.PO)


def test_a_dose_without_a_unit_is_refused() -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(MedicationGiven, drug_class=DrugClass.ANALGESIC, name="Ketamine", dose=50,
             dose_unit=None, route=Route.IM)  # fmt: skip
    assert raised.value.field == "dose_unit"


def test_overriding_a_suggested_triage_category_needs_a_reason() -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(TriageAssessed, system=TriageSystem.NATO, category=NatoCategory.T2,
             suggested=NatoCategory.T1)  # fmt: skip
    assert raised.value.field == "reason"


def test_an_override_with_a_reason_is_kept() -> None:
    event = make(TriageAssessed, system=TriageSystem.NATO, category=NatoCategory.T2,
                 suggested=NatoCategory.T1, reason="bleeding controlled, stable")  # fmt: skip
    assert event.reason == "bleeding controlled, stable"


def test_a_triage_category_must_belong_to_its_system() -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(TriageAssessed, system=TriageSystem.NATO, category=StartCategory.MINOR)
    assert raised.value.field == "category"


def test_a_last4_must_be_four_digits() -> None:
    with pytest.raises(InvalidEventError) as raised:
        Identity(last4="12a4")
    assert raised.value.field == "identity.last4"


def test_an_unknown_blood_group_is_refused() -> None:
    with pytest.raises(InvalidEventError, match="identity.blood_group"):
        Identity(blood_group="C+")


def test_an_injury_time_after_registration_is_refused() -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(CasualtyRegistered, minute=5, injured_at=at(10))
    assert raised.value.field == "injured_at"


def test_an_event_cannot_retract_or_supersede_itself() -> None:
    own = uuid4()
    with pytest.raises(InvalidEventError, match="target"):
        make(EntryRetracted, event_id=own, target=own, reason="x")
    with pytest.raises(InvalidEventError, match="supersedes"):
        make(NoteAdded, event_id=own, supersedes=own, text="x")


def test_blank_author_is_refused() -> None:
    with pytest.raises(InvalidEventError) as raised:
        make(NoteAdded, text="x", author=" ")
    assert raised.value.field == "author"


def test_resubmission_with_a_new_receive_time_is_the_same_content() -> None:
    event = make(TourniquetApplied, limb=Limb.LEFT_LEG)
    from dataclasses import replace

    received = replace(event, received_at=at(90) + timedelta(seconds=1))
    assert event.same_content(received)
    assert not event.same_content(replace(event, limb=Limb.RIGHT_LEG))
