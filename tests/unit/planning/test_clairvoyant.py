"""The survival bound holds every policy, online or clairvoyant, on every replication.

The bound is a relaxation valid for nominal travel times (docs/planning.md), so the shipped
scenarios are played without their randomness here: a policy above the bound would mean it
saw the future, or that the bound is wrong.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from goldenhour.planning.optimiser import survival_bound
from goldenhour.planning.policies import ONLINE_POLICIES, create_policy
from goldenhour.planning.policy import PolicySetup
from goldenhour.planning.scenario import Randomness, Scenario, realise_for_seed
from goldenhour.planning.scenario_file import load_scenario
from goldenhour.simulation import simulate

SCENARIOS = Path(__file__).parents[3] / "scenarios"
SMALL = ("bilohorivka", "mci-civilian", "multi-zone")


def _nominal(name: str) -> Scenario:
    return replace(load_scenario(SCENARIOS / f"{name}.yaml"), randomness=Randomness())


def _survivors(scenario: Scenario, policy: str, seed: int) -> float:
    realised = realise_for_seed(scenario, seed)
    setup = PolicySetup(scenario=scenario, realised=realised, seed=seed)
    played = simulate(scenario, create_policy(policy, setup), seed=seed, casualties=realised)
    return played.expected_survivors


def test_every_shipped_scenario_is_covered() -> None:
    assert {p.stem for p in SCENARIOS.glob("*.yaml")} == {*SMALL, "large"}


@pytest.mark.slow
@pytest.mark.parametrize("name", SMALL)
@pytest.mark.parametrize("seed", [11, 12])
def test_no_policy_exceeds_the_bound(name: str, seed: int) -> None:
    scenario = _nominal(name)
    bound = survival_bound(scenario, realise_for_seed(scenario, seed))
    for policy in (*ONLINE_POLICIES, "clairvoyant"):
        assert _survivors(scenario, policy, seed) <= bound + 1e-9, policy


@pytest.mark.slow
def test_no_baseline_exceeds_the_bound_on_the_large_scenario() -> None:
    scenario = _nominal("large")
    bound = survival_bound(scenario, realise_for_seed(scenario, 11))
    for policy in ("fcfs", "start", "restart"):
        assert _survivors(scenario, policy, 11) <= bound + 1e-9, policy


def test_the_bound_is_at_least_survival_at_the_horizon_for_everyone() -> None:
    scenario = _nominal("bilohorivka")
    realised = realise_for_seed(scenario, 3)
    floor = sum(c.survival.probability(scenario.horizon_min - c.injured_at_min) for c in realised)
    assert survival_bound(scenario, realised) >= floor


def test_the_bound_is_below_everyone_surviving_as_if_treated_at_once() -> None:
    scenario = _nominal("mci-civilian")
    realised = realise_for_seed(scenario, 3)
    ceiling = sum(c.survival.probability(c.at_min - c.injured_at_min) for c in realised)
    assert survival_bound(scenario, realised) <= ceiling + 1e-6
