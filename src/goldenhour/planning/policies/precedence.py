"""9-line precedence, then first-come-first-served, each with the closest idle vehicle.

Precedence is line 3 of the 9-line MEDEVAC request (ATP 4-02.2): A urgent and B
urgent-surgical (within 1 hour), C priority (4 hours), D routine (24 hours), E convenience.
Within a precedence, the earliest report goes first.
"""

from __future__ import annotations

from collections.abc import Sequence

from goldenhour.domain.triage.categories import Precedence
from goldenhour.planning.policies.dispatch import closest_vehicle, dispatch
from goldenhour.planning.policy import Assignment, CasualtyView, Observation

# A and B share the 1-hour standard; B is listed first only because it needs surgical care,
# so both rank 0 and the earlier report decides between them.
_RANK = {
    Precedence.URGENT_SURGICAL: 0,
    Precedence.URGENT: 0,
    Precedence.PRIORITY: 1,
    Precedence.ROUTINE: 2,
    Precedence.CONVENIENCE: 3,
}


class PrecedenceThenFcfs:
    """Serve casualties by 9-line precedence, then report time, with the nearest vehicle."""

    name = "precedence"

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return assignments for the idle vehicles, most urgent precedence first."""
        return dispatch(observation, order=_by_precedence, choose=closest_vehicle)


def _by_precedence(casualty: CasualtyView) -> tuple[object, ...]:
    return (_RANK[casualty.precedence], casualty.reported_at_min, casualty.id)
