"""Survival as a function of time from injury to arrival at a capable facility.

Every model answers one question: if this casualty reaches a facility able to treat them
``t`` minutes after injury, how likely are they to survive? Models are pure values, so the
simulator, the baseline policies and the optimiser can share them. Sources: docs/survival-models.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from goldenhour.domain.errors import ValidationError


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@runtime_checkable
class SurvivalModel(Protocol):
    """A survival probability that never rises as the time to care grows."""

    @property
    def name(self) -> str:
        """Return a short name for reports and scenario files."""
        ...

    def probability(self, minutes_since_injury: float) -> float:
        """Return the probability of survival if care begins this many minutes after injury."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class LogLogistic:
    """The shifted log-logistic p(t) = b0 / (1 + (t / b1) ** b2), t in minutes.

    ``b0`` is survival with immediate care, ``b1`` the time at which it has halved and ``b2``
    how sharply it falls around ``b1``.
    """

    b0: float
    b1: float
    b2: float
    label: str = "log_logistic"

    def __post_init__(self) -> None:
        if not _finite(self.b0) or not 0.0 <= self.b0 <= 1.0:
            raise ValidationError("b0", f"{self.b0!r} is not a probability between 0 and 1")
        if not _finite(self.b1) or self.b1 <= 0.0:
            raise ValidationError("b1", f"{self.b1!r} is not a positive number of minutes")
        if not _finite(self.b2) or self.b2 <= 0.0:
            raise ValidationError("b2", f"{self.b2!r} is not a positive shape")

    @property
    def name(self) -> str:
        """Return the label this parameter set was given."""
        return self.label

    def probability(self, minutes_since_injury: float) -> float:
        """Return b0 / (1 + (t / b1) ** b2); a time before injury counts as zero."""
        t = max(0.0, minutes_since_injury)
        return self.b0 / (1.0 + math.pow(t / self.b1, self.b2))


@dataclass(frozen=True, slots=True, kw_only=True)
class Constant:
    """A survival probability that does not depend on time (minor casualties)."""

    p: float
    label: str = "constant"

    def __post_init__(self) -> None:
        if not _finite(self.p) or not 0.0 <= self.p <= 1.0:
            raise ValidationError("p", f"{self.p!r} is not a probability between 0 and 1")

    @property
    def name(self) -> str:
        """Return the label this constant was given."""
        return self.label

    def probability(self, minutes_since_injury: float) -> float:
        """Return ``p`` whatever the time."""
        return self.p


# ASSUMED FROM SECONDARY SOURCES, not yet checked against the primary: the parameter sets
# attributed to Mills, Argon & Ziya, "Resource-based patient prioritization in mass-casualty
# incidents", MSOM 15(3):361-377, 2013, for penetrating trauma (docs/survival-models.md).
# Check: immediate p(60) = 0.093, delayed p(60) = 0.868.
IMMEDIATE = LogLogistic(b0=0.3510, b1=35.838, b2=1.9886, label="log_logistic_immediate")
DELAYED = LogLogistic(b0=0.9124, b1=213.5976, b2=2.3445, label="log_logistic_delayed")

#: Golden Hour's own assumption: minor (walking) casualties survive whatever the wait.
MINOR = Constant(p=1.0, label="constant_minor")
