"""What a compact radio message carries: a 9-line request, and per casualty MIST and essentials.

Times are kept to the minute in UTC, as a date-time group is (seconds are dropped on writing),
from 2000 to 2127. Vital signs use the domain's bounds (domain/casualty/limits.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from goldenhour.adapters.radio.errors import CompactError
from goldenhour.domain.casualty import limits
from goldenhour.domain.casualty.vocabulary import Avpu, Limb
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line import NineLineRequest
from goldenhour.domain.triage.categories import NatoCategory

__all__ = [
    "EPOCH",
    "CasualtyHandover",
    "CompactMessage",
    "LastVitals",
    "TourniquetTime",
    "minutes_since_epoch",
]

#: Times are written as whole minutes since this moment, in 26 bits (to early 2127).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
TIME_BITS = 26


def minutes_since_epoch(moment: datetime, *, field: str) -> int:
    """Return whole minutes from ``EPOCH`` to ``moment``; refuse times the format cannot hold."""
    if moment.tzinfo is None:
        raise CompactError(field, "has no time zone")
    minutes = (moment - EPOCH) // timedelta(minutes=1)
    if not 0 <= minutes < 1 << TIME_BITS:
        raise CompactError(field, f"{moment.isoformat()} is outside 2000 to 2127")
    return minutes


@dataclass(frozen=True, slots=True, kw_only=True)
class TourniquetTime:
    """When a tourniquet went on, and on which limb (``None``: junctional or not recorded)."""

    limb: Limb | None
    applied_at: datetime

    def __post_init__(self) -> None:
        if self.limb is not None and not isinstance(self.limb, Limb):
            raise CompactError("tourniquet.limb", f"{self.limb!r} is not a limb")
        minutes_since_epoch(self.applied_at, field="tourniquet.applied_at")


@dataclass(frozen=True, slots=True, kw_only=True)
class LastVitals:
    """The last set of vital signs: when, and what was measured (``None``: not measured)."""

    taken_at: datetime
    pulse: int | None = None
    respiratory_rate: int | None = None
    spo2: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    avpu: Avpu | None = None

    def __post_init__(self) -> None:
        minutes_since_epoch(self.taken_at, field="vitals.taken_at")
        for name, bounds in VITAL_BOUNDS.items():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise CompactError(f"vitals.{name}", f"{value!r} is not a whole number")
            if not bounds[0] <= value <= bounds[1]:
                raise CompactError(
                    f"vitals.{name}", f"{value} is outside {bounds[0]} to {bounds[1]}"
                )
        if self.avpu is not None and not isinstance(self.avpu, Avpu):
            raise CompactError("vitals.avpu", f"{self.avpu!r} is not A, V, P or U")


VITAL_BOUNDS: dict[str, tuple[int, int]] = {
    "pulse": limits.PULSE_RANGE,
    "respiratory_rate": limits.RESPIRATORY_RATE_RANGE,
    "spo2": limits.SPO2_RANGE,
    "systolic": limits.SYSTOLIC_RANGE,
    "diastolic": limits.DIASTOLIC_RANGE,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyHandover:
    """One casualty: the MIST, and the card essentials a receiving medic acts on first."""

    mist: Mist
    triage: NatoCategory | None = None
    tourniquets: tuple[TourniquetTime, ...] = ()
    vitals: LastVitals | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.mist, Mist):
            raise CompactError("mist", "must be a Mist")
        if self.triage is not None and not isinstance(self.triage, NatoCategory):
            raise CompactError("triage", f"{self.triage!r} is not a NATO triage category")
        if self.mist.time_of_injury is not None:
            minutes_since_epoch(self.mist.time_of_injury, field="mist.time_of_injury")


@dataclass(frozen=True, slots=True, kw_only=True)
class CompactMessage:
    """A 9-line request with a handover per casualty, as sent over mesh radio or SMS.

    ``casevac`` marks a casualty evacuation by a non-medical vehicle (ATAK's ``casevac``).
    """

    request: NineLineRequest
    casualties: tuple[CasualtyHandover, ...] = ()
    casevac: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.request, NineLineRequest):
            raise CompactError("request", "must be a NineLineRequest")
