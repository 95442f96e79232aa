"""Golden Hour's evacuation optimiser: rolling-horizon re-optimisation with CP-SAT.

``build_request`` turns an observation into typed problem data, ``solve`` returns a ``Plan``,
and ``survival_bound`` gives the relaxation that bounds every policy (docs/planning.md).
"""

from __future__ import annotations

from goldenhour.planning.optimiser.bound import survival_bound
from goldenhour.planning.optimiser.candidates import build_request
from goldenhour.planning.optimiser.options import DeadlinePassed
from goldenhour.planning.optimiser.problem import (
    OptimiserSettings,
    Plan,
    PlannedTrip,
    PlanRequest,
)
from goldenhour.planning.optimiser.retime import retime
from goldenhour.planning.optimiser.solve import solve

__all__ = [
    "DeadlinePassed",
    "OptimiserSettings",
    "Plan",
    "PlanRequest",
    "PlannedTrip",
    "build_request",
    "retime",
    "solve",
    "survival_bound",
]
