"""START priority: immediate (red) casualties first, then delayed (yellow), then minor.

START (Simple Triage and Rapid Treatment, Hoag Memorial Hospital / Newport Beach Fire
Department, 1983) gives a fixed priority by category regardless of resources; Mills, Argon &
Ziya (MSOM 2013) use exactly this ordering as the benchmark ReSTART improves on. Within a
category, the earliest report goes first; each casualty gets the closest idle vehicle.
"""

from __future__ import annotations

from collections.abc import Sequence

from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.policies.dispatch import closest_vehicle, dispatch
from goldenhour.planning.policy import Assignment, CasualtyView, Observation

_RANK = {
    StartCategory.IMMEDIATE: 0,
    StartCategory.DELAYED: 1,
    StartCategory.MINOR: 2,
    StartCategory.DEAD: 3,
}


class StartPriority:
    """Serve immediate casualties first, then delayed, then minor, with the nearest vehicle."""

    name = "start"

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return assignments for the idle vehicles, immediate casualties first."""
        return dispatch(observation, order=by_category, choose=closest_vehicle)


def by_category(casualty: CasualtyView) -> tuple[object, ...]:
    """Return the START order key: class, then report time, then id."""
    return (_RANK[casualty.category], casualty.reported_at_min, casualty.id)
