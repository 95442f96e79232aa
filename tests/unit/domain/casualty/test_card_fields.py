"""The DD 1380 / Form 100 fields of issue 13 item 11: GCS parts, time of injury, burns, fluids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EntryRetracted,
    FluidGiven,
    InjuryRecorded,
    InjuryTimeRecorded,
    VitalsRecorded,
)
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.casualty.vocabulary import BodyRegion, FluidKind, InjuryKind, Route
from goldenhour.domain.codec import decode_event, encode_event
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.event import check_timing

from builders import CASUALTY, at, make

# --- Glasgow Coma Scale ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "value", "allowed"),
    [
        ("gcs_eye", 0, "1 to 4"),
        ("gcs_eye", 5, "1 to 4"),
        ("gcs_verbal", 0, "1 to 5"),
        ("gcs_verbal", 6, "1 to 5"),
        ("gcs_motor", 0, "1 to 6"),
        ("gcs_motor", 7, "1 to 6"),
    ],
)
def test_a_gcs_part_out_of_its_range_is_refused_naming_the_part(
    part: str, value: int, allowed: str
) -> None:
    with pytest.raises(InvalidEventError) as refused:
        make(VitalsRecorded, **{part: value})
    assert refused.value.field == part
    assert allowed in refused.value.reason


def test_every_bad_gcs_part_is_named_in_one_refusal() -> None:
    with pytest.raises(InvalidEventError) as refused:
        make(VitalsRecorded, gcs_eye=0, gcs_verbal=9, gcs_motor=7)
    assert [field for field, _ in refused.value.problems] == ["gcs_eye", "gcs_verbal", "gcs_motor"]


def test_a_gcs_part_that_is_not_a_whole_number_is_refused() -> None:
    with pytest.raises(InvalidEventError) as refused:
        make(VitalsRecorded, gcs_motor=2.5)
    assert refused.value.field == "gcs_motor"


def test_a_gcs_total_that_is_not_the_sum_of_its_parts_is_refused() -> None:
    with pytest.raises(InvalidEventError) as refused:
        make(VitalsRecorded, gcs=15, gcs_eye=4, gcs_verbal=4, gcs_motor=6)
    assert refused.value.field == "gcs"
    assert "14" in refused.value.reason


@given(st.integers(1, 4), st.integers(1, 5), st.integers(1, 6))
def test_the_gcs_total_is_the_sum_of_the_three_parts(eye: int, verbal: int, motor: int) -> None:
    parts = make(VitalsRecorded, gcs_eye=eye, gcs_verbal=verbal, gcs_motor=motor)
    assert parts.gcs_total == eye + verbal + motor
    assert 3 <= parts.gcs_total <= 15
    both = make(VitalsRecorded, gcs=eye + verbal + motor, gcs_eye=eye, gcs_verbal=verbal,
                gcs_motor=motor)  # fmt: skip
    assert decode_event(encode_event(both)) == both


def test_gcs_parts_alone_are_a_set_of_vitals_and_a_missing_part_gives_no_total() -> None:
    assert make(VitalsRecorded, gcs_motor=5).gcs_total is None
    assert make(VitalsRecorded, gcs=9).gcs_total == 9


# --- time of injury -----------------------------------------------------------------------------


def test_the_time_of_injury_is_apart_from_the_time_recorded_and_the_latest_entry_counts() -> None:
    registered = make(CasualtyRegistered, minute=10)
    first = make(InjuryTimeRecorded, minute=12, injured_at=at(-5))
    second = make(InjuryTimeRecorded, minute=20, injured_at=at(-15))
    card = fold(CASUALTY, [second, registered, first])
    assert card.injured_at == at(-15)
    assert card.last_event_at == at(20)


def test_a_corrected_time_of_injury_replaces_the_first_and_a_retracted_one_is_gone() -> None:
    registered = make(CasualtyRegistered, minute=0, injured_at=at(-30))
    entry = make(InjuryTimeRecorded, minute=5, injured_at=at(-5))
    correction = make(InjuryTimeRecorded, minute=6, injured_at=at(-8), supersedes=entry.event_id)
    assert fold(CASUALTY, [registered, entry, correction]).injured_at == at(-8)
    retraction = make(EntryRetracted, minute=7, target=correction.event_id, reason="wrong")
    # Retracting the correction restores the entry it corrected.
    assert fold(CASUALTY, [registered, entry, correction, retraction]).injured_at == at(-5)


def test_a_time_of_injury_after_it_was_recorded_is_refused_naming_injured_at() -> None:
    with pytest.raises(InvalidEventError) as refused:
        make(InjuryTimeRecorded, minute=5, injured_at=at(6))
    assert refused.value.field == "injured_at"


def test_a_time_of_injury_without_a_zone_or_before_the_earliest_date_is_refused() -> None:
    with pytest.raises(InvalidEventError) as refused:
        make(InjuryTimeRecorded, injured_at=datetime(2022, 6, 14, 12, 0))  # noqa: DTZ001
    assert refused.value.field == "injured_at"
    old = make(InjuryTimeRecorded, injured_at=datetime(1999, 12, 31, tzinfo=UTC))
    with pytest.raises(InvalidEventError) as refused:
        check_timing(old, now=at(1), earliest=datetime(2000, 1, 1, tzinfo=UTC))
    assert refused.value.field == "injured_at"


def test_a_time_of_injury_recorded_in_the_future_is_refused_by_the_history() -> None:
    ahead = make(InjuryTimeRecorded, minute=30, injured_at=at(29))
    history = CasualtyHistory(CASUALTY)
    with pytest.raises(InvalidEventError) as refused:
        history.append(ahead, now=at(0), max_skew=timedelta(minutes=5))
    assert refused.value.field == "occurred_at"
    assert len(history) == 0


# --- burns ----------------------------------------------------------------------------------


def burn(percent: float, region: BodyRegion = BodyRegion.CHEST, **fields: object) -> InjuryRecorded:
    """Return a burn of ``percent`` % TBSA on ``region``."""
    return make(  # type: ignore[no-any-return]
        InjuryRecorded, region=region, kinds=frozenset({InjuryKind.BURN}),
        burn_tbsa_percent=percent, **fields,
    )  # fmt: skip


def test_the_card_sums_the_burned_area_of_every_region() -> None:
    card = fold(CASUALTY, [burn(9, BodyRegion.CHEST), burn(4.5, BodyRegion.UPPER_ARM, minute=1),
                           make(InjuryRecorded, region=BodyRegion.THIGH)])  # fmt: skip
    assert [b.region for b in card.burns] == [BodyRegion.CHEST, BodyRegion.UPPER_ARM]
    assert card.burn_tbsa_total == 13.5
    assert fold(CASUALTY, [make(InjuryRecorded, region=BodyRegion.THIGH)]).burn_tbsa_total is None


@pytest.mark.parametrize("percent", [-1, 100.5, float("nan")])
def test_a_burned_area_outside_0_to_100_percent_is_refused(percent: float) -> None:
    with pytest.raises(InvalidEventError) as refused:
        burn(percent)
    assert refused.value.field == "burn_tbsa_percent"


def test_burns_adding_up_past_100_percent_are_refused_and_nothing_accepted_is_lost() -> None:
    history = CasualtyHistory(
        CASUALTY, [burn(60, BodyRegion.CHEST), burn(30, BodyRegion.BACK, minute=1)]
    )
    with pytest.raises(InvalidEventError) as refused:
        history.append(burn(18, BodyRegion.THIGH))
    assert refused.value.field == "burn_tbsa_percent"
    assert "108" in refused.value.reason
    assert history.card().burn_tbsa_total == 90
    # A correction replaces what it corrects, so it is held to the sum without it.
    chest = history.card().burns[0]
    history.append(burn(70, BodyRegion.CHEST, supersedes=chest.event_id, minute=2))
    assert history.card().burn_tbsa_total == 100


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=6))
def test_an_accepted_history_never_has_burns_past_100_percent(percents: list[float]) -> None:
    history = CasualtyHistory(CASUALTY)
    for percent in percents:
        try:
            history.append(burn(percent))
        except InvalidEventError as refused:
            assert refused.field == "burn_tbsa_percent"
    total = history.card().burn_tbsa_total
    assert total is not None and total <= 100 + 1e-6


# --- fluids and blood -----------------------------------------------------------------------


def fluid(**fields: object) -> FluidGiven:
    """Return 500 ml of lactated Ringer's IV, with ``fields`` changed."""
    values: dict[str, object] = {"fluid_kind": FluidKind.FLUID, "name": "Ringer lactate",
                                 "volume_ml": 500.0, "route": Route.IV, **fields}  # fmt: skip
    return make(FluidGiven, **values)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"volume_ml": 0}, "volume_ml"),
        ({"volume_ml": 10_001}, "volume_ml"),
        ({"volume_ml": float("inf")}, "volume_ml"),
        ({"route": Route.PO}, "route"),
        ({"name": " "}, "name"),
    ],
)
def test_a_bad_fluid_is_refused_naming_the_field(fields: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidEventError) as refused:
        fluid(**fields)
    assert refused.value.field == named


def test_fluids_and_blood_are_on_the_card_in_the_order_given_with_their_times() -> None:
    blood = fluid(fluid_kind=FluidKind.BLOOD_PRODUCT, name="whole blood", route=Route.IO, minute=9)
    ringer = fluid(minute=4)
    card = fold(CASUALTY, [blood, ringer])
    assert [(f.name, f.volume_ml, f.route, f.occurred_at) for f in card.fluids] == [
        ("Ringer lactate", 500.0, Route.IV, at(4)),
        ("whole blood", 500.0, Route.IO, at(9)),
    ]
