"""Bench metrics: intervals, percentiles, and the summary of a policy's replications."""

from __future__ import annotations

from pathlib import Path

import pytest

from goldenhour.planning.errors import UnknownPolicyError
from goldenhour.planning.scenario_file import load_scenario
from goldenhour.simulation.bench import (
    confidence_interval,
    percentile,
    replication_seed,
    run_bench,
)

SCENARIO = Path(__file__).parents[3] / "scenarios" / "bilohorivka.yaml"


def test_the_interval_of_identical_values_has_no_width() -> None:
    assert confidence_interval([3.0, 3.0, 3.0]) == (3.0, 3.0)


def test_the_interval_uses_student_t() -> None:
    low, high = confidence_interval([1.0, 3.0])  # type: ignore[misc]
    assert (high - low) / 2 == pytest.approx(12.706 * 2**0.5 / 2**0.5)


def test_one_replication_has_no_interval() -> None:
    assert confidence_interval([5.0]) is None


@pytest.mark.parametrize(("q", "expected"), [(0.0, 1.0), (0.5, 2.5), (0.95, 3.85), (1.0, 4.0)])
def test_percentiles_interpolate_between_ranks(q: float, expected: float) -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], q) == pytest.approx(expected)


def test_replication_seeds_are_fixed_and_distinct() -> None:
    seeds = [replication_seed(1, r) for r in range(20)]
    assert seeds == [replication_seed(1, r) for r in range(20)]
    assert len(set(seeds)) == 20


def test_a_bench_summarises_each_policy_over_the_same_replications() -> None:
    scenario = load_scenario(SCENARIO)
    fcfs, start = run_bench(scenario, ["fcfs", "start"], replications=3, seed=2)
    assert (fcfs.policy, start.policy) == ("fcfs", "start")
    assert fcfs.replications == 3 and fcfs.ci95 is not None
    assert fcfs.ci95[0] <= fcfs.expected_survivors <= fcfs.ci95[1]
    assert fcfs.critical_mortality is not None and 0 <= fcfs.critical_mortality <= 1
    assert set(fcfs.as_json()) == {
        "policy", "expected_survivors", "ci95", "critical_mortality", "urgent_t_mean_min",
        "urgent_t_p95_min", "urgent_within_60_share", "tourniquet_over_2h",
        "decision_ms_p50", "decision_ms_p95", "left_at_scene", "time_to_care_p95_min",
        "expected_survivors_by_class",
    }  # fmt: skip


def test_a_bench_counts_who_is_left_at_the_scene_and_care_times_per_class() -> None:
    scenario = load_scenario(SCENARIO)
    (fcfs,) = run_bench(scenario, ["fcfs"], replications=2, seed=2)
    row = fcfs.as_json()
    assert row["left_at_scene"] is not None and row["left_at_scene"] >= 0
    assert set(row["time_to_care_p95_min"]) == {"immediate", "delayed", "minor"}
    by_class = row["expected_survivors_by_class"]
    assert set(by_class) == {"immediate", "delayed", "minor"}
    # The classes add up to the total (no expectant casualties on this scenario).
    assert sum(by_class.values()) == pytest.approx(fcfs.expected_survivors)


def test_a_bench_refuses_an_unknown_policy_before_running() -> None:
    with pytest.raises(UnknownPolicyError):
        run_bench(load_scenario(SCENARIO), ["fcfs", "telepathy"], replications=1, seed=1)
