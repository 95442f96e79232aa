"""Evacuation policies by name, as ``goldenhour bench --policies`` knows them."""

from __future__ import annotations

from collections.abc import Iterable

from goldenhour.planning.errors import UnknownPolicyError
from goldenhour.planning.optimiser import OptimiserSettings
from goldenhour.planning.optimiser.arrivals import ExpectedArrivals
from goldenhour.planning.policies.clairvoyant import clairvoyant
from goldenhour.planning.policies.closest import ClosestAvailable
from goldenhour.planning.policies.fcfs import FirstComeFirstServed
from goldenhour.planning.policies.optimiser import Optimiser
from goldenhour.planning.policies.precedence import PrecedenceThenFcfs
from goldenhour.planning.policies.restart import ReStart
from goldenhour.planning.policies.start import StartPriority
from goldenhour.planning.policy import Policy, PolicyFactory, PolicySetup

#: The optimiser solved without a time limit, the reference of the deadline's cost.
UNLIMITED = "optimiser-unlimited"

#: The optimiser moving idle vehicles toward the expected casualties.
PREPOSITION = "optimiser-preposition"

#: Policies by name: the online ones, then the clairvoyant (offline: it reads the future and
#: plays candidate plans on the replication, so it needs a ``clairvoyant.HindsightSetup``).
POLICIES: dict[str, PolicyFactory] = {
    "fcfs": lambda setup: FirstComeFirstServed(),
    "closest": lambda setup: ClosestAvailable(),
    "precedence": lambda setup: PrecedenceThenFcfs(),
    "start": lambda setup: StartPriority(),
    "restart": lambda setup: ReStart(),
    "optimiser": lambda setup: Optimiser(expected=ExpectedArrivals.of(setup.scenario)),
    "clairvoyant": clairvoyant,
    # The optimiser without a deadline or CP-SAT's deterministic limit: what the deadline
    # costs (``bench run --unlimited``); each re-plan is solved to the end, however long.
    UNLIMITED: lambda setup: Optimiser(
        OptimiserSettings(deadline_ms=None, deterministic_time=None),
        expected=ExpectedArrivals.of(setup.scenario),
    ),
    # The optimiser with pre-positioning on (issue 18, foresight): measured beside it.
    PREPOSITION: lambda setup: Optimiser(
        OptimiserSettings(preposition=True), expected=ExpectedArrivals.of(setup.scenario)
    ),
}

#: The policies that may read only what a coordinator knows (the clairvoyant reads ahead).
ONLINE_POLICIES = ("fcfs", "closest", "precedence", "start", "restart", "optimiser")

#: The offline references, built from a ``HindsightSetup`` after the online policies were played.
OFFLINE_POLICIES = ("clairvoyant",)


def policy_factory(name: str) -> PolicyFactory:
    """Return the factory of the named policy; raise ``UnknownPolicyError`` if there is none."""
    factory = POLICIES.get(name)
    if factory is None:
        raise UnknownPolicyError(name, tuple(POLICIES))
    return factory


def check_policy_names(names: Iterable[str]) -> None:
    """Raise ``UnknownPolicyError`` for the first name no policy has."""
    for name in names:
        policy_factory(name)


def create_policy(name: str, setup: PolicySetup) -> Policy:
    """Build the named policy for one replication."""
    return policy_factory(name)(setup)
