"""What a simulation run leaves behind: every casualty's path and every vehicle leg."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import Precedence, StartCategory


class Outcome(Enum):
    """Where a casualty is when the horizon is reached: exactly one for each casualty."""

    DELIVERED = "delivered"  # at a facility
    IN_TRANSIT = "in_transit"  # aboard a vehicle
    AT_EXCHANGE = "at_exchange"  # waiting at an exchange point for the next vehicle
    WAITING = "waiting"  # never picked up


@dataclass(frozen=True, slots=True, kw_only=True)
class ExchangeVisit:
    """A casualty set down at an exchange point to wait for the next vehicle."""

    exchange_id: str
    arrived_at_min: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyRecord:
    """One casualty's path from injury to a facility (or as far as it got by the horizon).

    ``survival`` is the casualty's survival model at ``minutes_to_care`` when they reached a
    facility able to meet every need, and at the horizon otherwise (docs/simulation.md).
    """

    casualty_id: str
    category: StartCategory
    precedence: Precedence
    needs: frozenset[Capability]
    litter: bool
    injured_at_min: float
    reported_at_min: float
    picked_up_at_min: float | None
    vehicles: tuple[str, ...]
    exchanges: tuple[ExchangeVisit, ...]
    facility_id: str | None
    arrived_at_min: float | None
    capable: bool | None
    treatment_started_at_min: float | None
    outcome: Outcome
    survival: float
    minutes_to_care: float | None  # injury to arrival at a capable facility
    tourniquet_min: float | None  # tourniquet on until arrival at a facility, or the horizon

    @property
    def urgent(self) -> bool:
        """Tell whether the casualty's 9-line precedence is A or B (within 1 hour)."""
        return self.precedence in (Precedence.URGENT, Precedence.URGENT_SURGICAL)


@dataclass(frozen=True, slots=True, kw_only=True)
class LegRecord:
    """A vehicle leg: ready, waiting out threats, travelling, then loading or unloading."""

    vehicle_id: str
    origin: Position
    destination: Position
    destination_site: str | None
    ready_at_min: float
    departed_at_min: float
    arrived_at_min: float
    service_until_min: float
    aboard: tuple[str, ...]  # casualties aboard while travelling
    aboard_after: tuple[str, ...]  # casualties aboard once the stop's loading is done
    litters_after: int

    @property
    def waited_min(self) -> float:
        """Return the minutes the vehicle held before departing (threats, grounding)."""
        return self.departed_at_min - self.ready_at_min


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationResult:
    """One replication of one policy on one scenario."""

    scenario: str
    policy: str
    seed: int
    horizon_min: float
    casualties: tuple[CasualtyRecord, ...]
    legs: tuple[LegRecord, ...]
    decisions: int
    decision_ms: tuple[float, ...]  # wall-clock time of each decision; not reproducible

    @property
    def expected_survivors(self) -> float:
        """Return the sum of every casualty's survival probability."""
        return sum(c.survival for c in self.casualties)
