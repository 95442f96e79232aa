"""The evacuation simulator: the only place SimPy is imported."""

from __future__ import annotations

from goldenhour.simulation.engine import simulate
from goldenhour.simulation.records import (
    CasualtyRecord,
    ExchangeVisit,
    LegRecord,
    Outcome,
    SimulationResult,
)

__all__ = [
    "CasualtyRecord",
    "ExchangeVisit",
    "LegRecord",
    "Outcome",
    "SimulationResult",
    "simulate",
]
