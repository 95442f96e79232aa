"""Closest available vehicle: casualties in report order, each to the nearest idle vehicle.

The common doctrine baseline in the military MEDEVAC dispatch literature (send the closest
available asset; e.g. the myopic policy against which Keneally, Robbins & Lunday, "A Markov
decision process model for the optimal dispatch of military medical evacuation assets",
Health Care Manag Sci 2016, and Jenkins, Lunday & Robbins 2018-2021 compare their policies).
"""

from __future__ import annotations

from collections.abc import Sequence

from goldenhour.planning.policies.dispatch import closest_vehicle, dispatch
from goldenhour.planning.policy import Assignment, CasualtyView, Observation


class ClosestAvailable:
    """Serve casualties by report time, each with the idle vehicle that reaches them first."""

    name = "closest"

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return assignments for the idle vehicles, oldest report first, nearest vehicle."""
        return dispatch(observation, order=_by_report, choose=closest_vehicle)


def _by_report(casualty: CasualtyView) -> tuple[object, ...]:
    return (casualty.reported_at_min, casualty.id)
