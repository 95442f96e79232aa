"""The registry's figures against values computed by hand on a small hand-written registry."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.trauma_registry.figures import (
    RegistryFilter,
    RegistryOutcome,
    classify,
    quantile,
    summarise,
    wilson_interval,
)
from goldenhour.domain.trauma_registry.record import RegistryRecord
from goldenhour.domain.trauma_registry.suppression import suppress_small_cells

DAY0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
UNIT_A = UUID("00000000-0000-4000-8000-00000000000a")
UNIT_B = UUID("00000000-0000-4000-8000-00000000000b")


def minutes(value: float) -> datetime:
    return DAY0 + timedelta(minutes=value)


def row(number: int, **fields: object) -> RegistryRecord:
    base: dict[str, object] = {
        "casualty_id": UUID(int=number),
        "unit_id": UNIT_A,
        "area": "37UDQ1020",
        "population": "military",
        "injured_at": minutes(0),
        "first_event_at": minutes(0),
        "newest_input_at": minutes(number),
    }
    base.update(fields)
    return RegistryRecord(**base)  # type: ignore[arg-type]


#: Ten casualties: one of every way a course can end, named after what they test.
REGISTRY = [
    row(
        1,
        outcome="killed_in_action",
        outcome_at=minutes(1),
        triage_category="T1",
        mechanisms=("drone",),
        regions=("head",),
        requested_at=minutes(10),
        tourniquet_count=1,
        tourniquet_on_at=minutes(5),
        tourniquet_minutes=45.0,
    ),
    row(
        2,
        outcome="died_in_transit",
        outcome_at=minutes(50),
        triage_category="T2",
        mechanisms=("artillery", "drone"),
        regions=("chest", "thigh"),
        requested_at=minutes(20),
        tourniquet_count=1,
        tourniquet_on_at=minutes(3),
        tourniquet_minutes=130.0,
    ),
    row(
        3,
        outcome="died_in_transit",
        outcome_at=minutes(300),
        arrived_at=minutes(120),
        triage_category="T4",
        mechanisms=("artillery",),
        requested_at=minutes(30),
        tourniquet_count=2,
        tourniquet_on_at=minutes(8),
        tourniquet_minutes=200.0,
        tourniquets_open=1,
    ),
    row(
        4,
        outcome="died_of_wounds",
        outcome_at=minutes(600),
        arrived_at=minutes(90),
        triage_category="T1",
        requested_at=minutes(40),
        tourniquet_count=1,
        tourniquets_open=1,
        population="civilian",
        unit_id=UNIT_B,
    ),
    row(
        5,
        outcome="returned_to_duty",
        outcome_at=minutes(24 * 60),
        triage_category="T1",
        population="civilian",
        unit_id=UNIT_B,
        area="37UDQ3040",
    ),
    row(
        6,
        outcome="returned_to_duty",
        outcome_at=minutes(100 * 60),
        triage_category="T3",
        requested_at=minutes(-5),
    ),  # a request before the injury: a time in error
    row(
        7,
        outcome="admitted",
        outcome_at=minutes(200),
        triage_category="T2",
        surgery_at=minutes(240),
        arrived_at=minutes(150),
    ),
    row(
        8,
        arrived_at=minutes(80),
        triage_category="T3",
        injured_at=minutes(24 * 60),
        first_event_at=minutes(24 * 60),
    ),
    row(9, triage_category="T2", injured_at=None, first_event_at=minutes(2 * 24 * 60)),
    row(10, outcome="missing", outcome_at=minutes(30)),
]


def test_each_recorded_outcome_maps_onto_holcomb_as_docs_registry_says() -> None:
    assert [classify(r) for r in REGISTRY] == [
        RegistryOutcome.KIA, RegistryOutcome.KIA, RegistryOutcome.DOW, RegistryOutcome.DOW,
        RegistryOutcome.RTD, RegistryOutcome.RETURNED_LATER, RegistryOutcome.IN_CARE,
        RegistryOutcome.IN_CARE, RegistryOutcome.UNKNOWN, RegistryOutcome.MISSING,
    ]  # fmt: skip


def test_counts_and_holcombs_three_rates_match_the_hand_computed_values() -> None:
    summary = summarise(REGISTRY, now=NOW)
    counts = {name: cell.value for name, cell in summary.counts.items()}
    assert counts == {
        "casualties": 10, "wia": 7, "kia": 2, "dow": 2, "rtd": 1, "returned_later": 1,
        "in_care": 2, "unknown": 1, "missing": 1,
    }  # fmt: skip
    # CFR = (KIA + DOW) / (KIA + WIA) = 4 / 9; %KIA = KIA / (KIA + WIA - RTD) = 2 / 8;
    # %DOW = DOW / (WIA - RTD) = 2 / 6.
    assert (summary.cfr.numerator, summary.cfr.denominator) == (4, 9)
    assert summary.cfr.percent == pytest.approx(44.444, abs=1e-3)
    assert (summary.pct_kia.numerator, summary.pct_kia.denominator) == (2, 8)
    assert summary.pct_kia.percent == 25.0
    assert (summary.pct_dow.numerator, summary.pct_dow.denominator) == (2, 6)
    assert summary.pct_dow.percent == pytest.approx(33.333, abs=1e-3)
    # Wilson 95 % for 4 / 9, worked by hand in docs/registry.md: 18.9 % to 73.3 %.
    assert summary.cfr.low == pytest.approx(18.88, abs=0.01)
    assert summary.cfr.high == pytest.approx(73.33, abs=0.01)
    # The unknown and the missing casualty lack an outcome the rates can use.
    assert summary.cfr.missing == 2
    assert summary.newest_input_at == minutes(10)


def test_wilson_interval_matches_published_values() -> None:
    low, high = wilson_interval(0, 10) or (math.nan, math.nan)
    assert (low, high) == (0.0, pytest.approx(0.2775, abs=1e-4))
    low, high = wilson_interval(10, 10) or (math.nan, math.nan)
    assert (low, high) == (pytest.approx(0.7225, abs=1e-4), 1.0)
    assert wilson_interval(0, 0) is None


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_proportion_within_zero_and_one(pair: tuple[int, int]) -> None:
    successes, trials = pair
    interval = wilson_interval(successes, trials)
    if trials == 0:
        assert interval is None
        return
    assert interval is not None
    assert 0.0 <= interval[0] <= successes / trials <= interval[1] <= 1.0


def test_quantile_interpolates_between_order_statistics() -> None:
    assert quantile([40, 10, 30, 20], 0.5) == 25
    assert quantile([40, 10, 30, 20], 0.9) == pytest.approx(37)
    assert quantile([7], 0.9) == 7
    assert quantile([], 0.5) is None


@given(st.lists(st.floats(0, 1e4), min_size=1, max_size=50), st.floats(0, 1))
def test_a_quantile_lies_between_the_least_and_the_greatest(values: list[float], q: float) -> None:
    found = quantile(values, q)
    assert found is not None
    assert min(values) <= found <= max(values) or math.isclose(found, min(values))


def test_time_to_care_chain_counts_times_and_what_lacks_them() -> None:
    chain = {step.name: step for step in summarise(REGISTRY, now=NOW).chain}
    request = chain["injury_to_request"]
    # Requests at 10, 20, 30 and 40 minutes; casualty 6's request precedes its injury and
    # casualty 9 has no injury time: 6 of 10 lack a usable pair.
    assert (request.count, request.median_minutes, request.missing) == (4, 25, 6)
    assert request.p90_minutes == pytest.approx(37)
    tourniquet = chain["injury_to_tourniquet"]
    # On at 5, 3 and 8 minutes; casualty 4's tourniquet has no time on.
    assert (tourniquet.count, tourniquet.median_minutes, tourniquet.missing) == (3, 5, 1)
    surgery = chain["facility_to_surgery"]
    assert (surgery.count, surgery.median_minutes, surgery.missing) == (1, 90, 0)
    facility = chain["injury_to_facility"]
    # Casualty 8 was injured a day after it reached a facility: an error, counted as missing.
    assert (facility.count, facility.median_minutes) == (3, 120)
    assert facility.newest_input_at == minutes(7)


def test_tourniquet_distribution_and_share_over_two_hours() -> None:
    summary = summarise(REGISTRY, now=NOW)
    bins = {label: cell.value for label, cell in summary.tourniquet_bins.items()}
    assert bins == {"<30": 0, "30-60": 1, "60-120": 0, "120-180": 1, "180-360": 1, ">=360": 0}
    over = summary.tourniquet_over_2h
    assert (over.numerator, over.denominator, over.missing) == (2, 3, 1)
    assert summary.tourniquets_open.value == 2


def test_over_and_under_triage_by_cribaris_method() -> None:
    summary = summarise(REGISTRY, now=NOW)
    matrix = {key: cell.value for key, cell in summary.triage_matrix.items()}
    # T1: 1 KIA, 4 DOW (major), 5 RTD (minor). Lower: 2 KIA and 7 surgery (major), 6 and 8
    # (minor). 3 is T4 (not a choice of response); 9 and 10 have no outcome to judge by.
    assert matrix == {"highest_major": 2, "highest_minor": 1, "lower_major": 2, "lower_minor": 2}
    assert (summary.over_triage.numerator, summary.over_triage.denominator) == (1, 3)
    assert (summary.under_triage.numerator, summary.under_triage.denominator) == (2, 4)
    assert summary.under_triage.missing == 2


def test_mechanisms_and_body_regions_with_what_lacks_them() -> None:
    summary = summarise(REGISTRY, now=NOW)
    assert {k: c.value for k, c in summary.mechanisms.items()} == {"artillery": 2, "drone": 2}
    assert summary.mechanism_missing == 7
    assert {k: c.value for k, c in summary.regions.items()} == {
        "chest": 1, "head": 1, "thigh": 1
    }  # fmt: skip
    assert summary.region_missing == 8


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (RegistryFilter(population="civilian"), {4, 5}),
        (RegistryFilter(population="military"), {1, 2, 3, 6, 7, 8, 9, 10}),
        (RegistryFilter(unit_ids=frozenset({UNIT_B})), {4, 5}),
        (RegistryFilter(area="37UDQ30"), {5}),
        (RegistryFilter(area="37UDQ"), set(range(1, 11))),
        # Casualty 9 has no injury time: its card's earliest moment (day 2) dates it.
        (RegistryFilter(since=minutes(24 * 60)), {8, 9}),
        (RegistryFilter(until=minutes(24 * 60)), {1, 2, 3, 4, 5, 6, 7, 10}),
        (RegistryFilter(since=minutes(24 * 60), until=minutes(2 * 24 * 60)), {8}),
    ],
)
def test_each_filter_selects_the_rows_it_names(where: RegistryFilter, expected: set[int]) -> None:
    chosen = {r.casualty_id.int for r in REGISTRY if where.matches(r)}
    assert chosen == expected
    assert summarise(REGISTRY, now=NOW, where=where).rows == len(expected)


def test_per_day_counts_by_category() -> None:
    per_day = summarise(REGISTRY, now=NOW).per_day
    assert sorted(per_day) == ["2026-11-02", "2026-11-03", "2026-11-04"]
    assert per_day["2026-11-02"]["kia"].value == 2
    assert per_day["2026-11-03"]["in_care"].value == 1
    assert per_day["2026-11-04"]["unknown"].value == 1


#: A second ISO week (2026-W46, a week after DAY0): a KIA, a DOW, an RTD, one in care, one unknown.
WEEK_46 = DAY0 + timedelta(days=7)
NEXT_WEEK = [
    row(number, injured_at=WEEK_46, first_event_at=WEEK_46,
        newest_input_at=WEEK_46 + timedelta(minutes=number), **fields)
    for number, fields in (
        (11, {"outcome": "killed_in_action", "outcome_at": WEEK_46}),
        (12, {"outcome": "died_of_wounds", "arrived_at": WEEK_46 + timedelta(minutes=60),
              "outcome_at": WEEK_46 + timedelta(minutes=300)}),
        (13, {"outcome": "returned_to_duty", "outcome_at": WEEK_46 + timedelta(hours=30)}),
        (14, {"outcome": "admitted", "arrived_at": WEEK_46 + timedelta(minutes=90)}),
        (15, {}),
    )
]  # fmt: skip


def test_holcombs_rates_per_iso_week_match_the_hand_computed_values() -> None:
    summary = summarise([*REGISTRY, *NEXT_WEEK], now=NOW)
    assert list(summary.per_week) == ["2026-W45", "2026-W46"]
    # 2026-W45 (2 to 4 November) holds the ten rows of REGISTRY: the rates of the test above.
    w45 = summary.per_week["2026-W45"]
    assert (w45.cfr.numerator, w45.cfr.denominator) == (4, 9)
    assert (w45.cfr.low, w45.cfr.high) == (pytest.approx(18.88, abs=0.01),
                                           pytest.approx(73.33, abs=0.01))  # fmt: skip
    assert (w45.pct_kia.numerator, w45.pct_kia.denominator) == (2, 8)
    assert (w45.pct_dow.numerator, w45.pct_dow.denominator) == (2, 6)
    assert w45.cfr.missing == 2 and w45.cfr.newest_input_at == minutes(10)
    # 2026-W46: KIA 1, WIA 4 (DOW 1, RTD 1, in care 1, unknown 1). CFR = 2 / 5;
    # %KIA = 1 / (1 + 4 - 1) = 1 / 4; %DOW = 1 / (4 - 1) = 1 / 3.
    w46 = summary.per_week["2026-W46"]
    assert (w46.cfr.numerator, w46.cfr.denominator, w46.cfr.percent) == (2, 5, 40.0)
    assert (w46.pct_kia.numerator, w46.pct_kia.denominator, w46.pct_kia.percent) == (1, 4, 25.0)
    assert (w46.pct_dow.numerator, w46.pct_dow.denominator) == (1, 3)
    assert w46.pct_dow.percent == pytest.approx(33.333, abs=1e-3)
    # Wilson 95 % for 2 / 5: p = 0.4, z^2 = 3.8415; centre (0.4 + 0.3841) / 1.7683 = 0.4434,
    # half-width 1.96 * sqrt(0.048 + 0.0384) / 1.7683 = 0.3258: 11.76 % to 76.93 %.
    assert w46.cfr.low == pytest.approx(11.76, abs=0.01)
    assert w46.cfr.high == pytest.approx(76.93, abs=0.01)
    assert w46.cfr.missing == 1
    assert w46.cfr.newest_input_at == WEEK_46 + timedelta(minutes=15)
    # The whole still counts both weeks: CFR = (4 + 2) / (9 + 5).
    assert (summary.cfr.numerator, summary.cfr.denominator) == (6, 14)


def test_weekly_rates_are_suppressed_like_the_others() -> None:
    many = [replace(r, casualty_id=UUID(int=100 + i)) for i, r in enumerate([REGISTRY[0]] * 5)]
    summary = suppress_small_cells(summarise([*many, *REGISTRY, *NEXT_WEEK], now=NOW))
    w45, w46 = summary.per_week["2026-W45"], summary.per_week["2026-W46"]
    # W45: CFR 9 / 14 and %KIA 7 / 13 shown; %DOW 2 / 6 suppressed. W46: every cell under 5.
    assert (w45.cfr.numerator, w45.cfr.denominator) == (9, 14) and not w45.cfr.suppressed
    assert (w45.pct_kia.numerator, w45.pct_kia.denominator) == (7, 13)
    assert w45.pct_dow.suppressed and w45.pct_dow.low is None and w45.pct_dow.numerator is None
    for rate in (w46.cfr, w46.pct_kia, w46.pct_dow):
        assert rate.suppressed and rate.percent is None and rate.high is None


def test_a_late_arrival_changes_the_figures_and_their_age() -> None:
    before = summarise(REGISTRY, now=NOW)
    # Casualty 9's phone was offline for hours: its death before any facility arrives late.
    late = replace(
        REGISTRY[8], outcome="killed_in_action", outcome_at=minutes(2 * 24 * 60 + 10),
        newest_input_at=minutes(3 * 24 * 60),
    )  # fmt: skip
    after = summarise([*REGISTRY[:8], late, REGISTRY[9]], now=NOW)
    assert (before.cfr.numerator, before.cfr.denominator) == (4, 9)
    assert (after.cfr.numerator, after.cfr.denominator) == (5, 9)
    assert after.counts["unknown"].value == 0
    assert after.cfr.missing == 1
    assert after.newest_input_at == minutes(3 * 24 * 60)


def test_cells_under_five_are_suppressed_zero_and_five_are_shown() -> None:
    many = [replace(r, casualty_id=UUID(int=100 + i)) for i, r in enumerate([REGISTRY[0]] * 5)]
    summary = suppress_small_cells(summarise([*many, *REGISTRY], now=NOW))
    assert summary.counts["kia"].value == 7
    assert summary.counts["dow"].value is None and summary.counts["dow"].suppressed
    assert summary.counts["casualties"].value == 15
    assert summary.tourniquet_bins["<30"].value == 0
    # CFR 9 / 14 has 5 survivors: shown. %DOW = 2 / 6: suppressed with its interval.
    assert summary.cfr.percent is not None
    assert summary.pct_dow.suppressed and summary.pct_dow.percent is None
    assert summary.pct_dow.low is None and summary.pct_dow.numerator is None
    surgery = {step.name: step for step in summary.chain}["facility_to_surgery"]
    assert surgery.suppressed and surgery.median_minutes is None
    assert summary.suppressed_below == 5


@given(st.lists(st.sampled_from(REGISTRY), max_size=30))
def test_suppressed_summary_shows_no_count_from_one_to_four(rows: list[RegistryRecord]) -> None:
    rows = [replace(r, casualty_id=UUID(int=i)) for i, r in enumerate(rows)]
    summary = suppress_small_cells(summarise(rows, now=NOW))
    cells = [*summary.counts.values(), *summary.mechanisms.values(), *summary.regions.values(),
             *summary.tourniquet_bins.values(), *summary.triage_matrix.values(),
             *(c for day in summary.per_day.values() for c in day.values())]  # fmt: skip
    assert all(c.value is None or c.value == 0 or c.value >= 5 for c in cells)
    weekly = [r for w in summary.per_week.values() for r in (w.cfr, w.pct_kia, w.pct_dow)]
    for rate in (summary.cfr, summary.pct_kia, summary.pct_dow, summary.over_triage, *weekly):
        assert rate.numerator is None or rate.numerator == 0 or rate.numerator >= 5
