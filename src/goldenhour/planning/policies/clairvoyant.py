"""The clairvoyant plan: the optimiser's model, told in advance who will be hurt, where, when.

An offline reference, not an online policy: it reads ``PolicySetup.realised``, the whole
replication's casualty list, and plans every vehicle as if the casualties reported in the next
``LOOKAHEAD_MIN`` were already waiting (ready at their report time). It can only dispatch
casualties who are waiting (the simulator's rules hold), so a vehicle whose best next trip is
for a casualty not yet reported is held where it is until the report. It is a heuristic, so it
is not an upper bound; the bound is ``planning.optimiser.survival_bound`` (docs/planning.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from goldenhour.planning.optimiser import OptimiserSettings, Plan, build_request, solve
from goldenhour.planning.policies.optimiser import dispatch_plan
from goldenhour.planning.policy import Assignment, CasualtyView, Observation
from goldenhour.planning.scenario import Casualty

#: How far ahead the clairvoyant looks (ours): about two trips, what the model plans anyway.
LOOKAHEAD_MIN = 90.0


class Clairvoyant:
    """Plan with the future casualties known; dispatch only those already waiting."""

    name = "clairvoyant"

    def __init__(
        self, realised: Sequence[Casualty], settings: OptimiserSettings | None = None
    ) -> None:
        self.realised = tuple(sorted(realised, key=lambda c: (c.at_min, c.id)))
        self.settings = settings or OptimiserSettings()
        self.previous: Plan | None = None

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return the first trips of the plan that knows the next casualties in advance."""
        if not observation.idle_vehicles():
            return []
        now = observation.now_min
        future = [_view(c) for c in self.realised
                  if now < c.at_min <= now + LOOKAHEAD_MIN]  # fmt: skip
        if not observation.waiting and not future:
            return []
        request = build_request(observation, settings=self.settings, future=future)
        plan = solve(request, previous=self.previous)
        self.previous = plan
        return dispatch_plan(plan, observation)


def _view(casualty: Casualty) -> CasualtyView:
    return CasualtyView(
        id=casualty.id,
        category=casualty.category,
        precedence=casualty.precedence,
        position=casualty.position,
        site_id=None,
        injured_at_min=casualty.injured_at_min,
        reported_at_min=casualty.at_min,
        litter=casualty.litter,
        needs=casualty.needs,
        survival=casualty.survival,
        tourniquet_at_min=casualty.tourniquet_at_min,
    )
