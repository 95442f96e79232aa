"""First-come-first-served: casualties in the order they were reported, vehicles in the order
they became free.

The simplest dispatch rule, and the usual reference in the ambulance-dispatch literature: no
triage, no geography. Ties are broken by id so that runs are reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence

from goldenhour.planning.policies.dispatch import dispatch
from goldenhour.planning.policy import Assignment, CasualtyView, Observation, VehicleView


class FirstComeFirstServed:
    """Serve casualties by report time with the vehicle that has waited longest."""

    name = "fcfs"

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return assignments for the idle vehicles, oldest report first."""
        return dispatch(observation, order=_by_report, choose=_longest_idle)


def _by_report(casualty: CasualtyView) -> tuple[object, ...]:
    return (casualty.reported_at_min, casualty.id)


def _longest_idle(
    vehicles: Sequence[VehicleView], casualty: CasualtyView, observation: Observation
) -> VehicleView:
    return min(vehicles, key=lambda v: (v.idle_since_min or 0.0, v.id))
