"""The Sacco Triage Method's RPM score and a survival model built on it.

RPM (Sacco et al., Acad Emerg Med 2005;12:759-770 and J Trauma 2007;63:316-325; US patent
7,761,309) is the sum of coded values, 0 to 4 each, for Respiratory rate, Pulse rate and best
Motor response, so 0 to 12. Sacco derived survival by RPM with a logistic function of the score
(Pennsylvania Trauma Outcome Study) and deterioration over time from a Delphi panel. What we
could verify, and what we could not, is in docs/survival-models.md:

* the coded-value bands below are as commonly restated; NOT verified against the primary text;
* the survival-by-RPM table and the deterioration rule below are ILLUSTRATIVE, Golden Hour's
  own, shaped like Sacco's (logistic in the score, 30-minute steps) but not Sacco's numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import VitalsRecorded
from goldenhour.domain.casualty.vocabulary import Avpu
from goldenhour.domain.errors import ValidationError

RPM_MAX = 12


class MotorResponse(Enum):
    """Best motor response, in the Glasgow Coma Scale's motor grades (M6..M1)."""

    OBEYS = "obeys"  # M6
    LOCALISES = "localises"  # M5
    WITHDRAWS = "withdraws"  # M4
    FLEXION_OR_EXTENSION = "flexion_or_extension"  # M3 abnormal flexion, M2 extension
    NONE = "none"  # M1


# Coded values as commonly restated for STM (docs/survival-models.md, "unverified").
_MOTOR_CODE = {
    MotorResponse.OBEYS: 4,
    MotorResponse.LOCALISES: 3,
    MotorResponse.WITHDRAWS: 2,
    MotorResponse.FLEXION_OR_EXTENSION: 1,
    MotorResponse.NONE: 0,
}


def respiratory_code(rate: int) -> int:
    """Code a respiratory rate: 10-24 -> 4, 25-35 -> 3, >35 -> 2, 1-9 -> 1, 0 -> 0."""
    _check_rate("respiratory_rate", rate)
    if rate == 0:
        return 0
    if rate <= 9:
        return 1
    if rate <= 24:
        return 4
    if rate <= 35:
        return 3
    return 2


def pulse_code(rate: int) -> int:
    """Code a pulse rate: 60-120 -> 4, 121-140 -> 3, >140 -> 2, 1-59 -> 1, 0 -> 0."""
    _check_rate("pulse", rate)
    if rate == 0:
        return 0
    if rate <= 59:
        return 1
    if rate <= 120:
        return 4
    if rate <= 140:
        return 3
    return 2


def motor_code(motor: MotorResponse) -> int:
    """Code a best motor response: obeys 4, localises 3, withdraws 2, flex/extend 1, none 0."""
    if not isinstance(motor, MotorResponse):
        raise ValidationError("motor", f"{motor!r} is not a MotorResponse")
    return _MOTOR_CODE[motor]


def motor_from_gcs_motor(grade: int) -> MotorResponse:
    """Return the motor response for a GCS motor grade M1..M6."""
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 6:
        raise ValidationError("gcs_motor", f"{grade!r} is not a GCS motor grade from 1 to 6")
    return (
        MotorResponse.NONE,
        MotorResponse.FLEXION_OR_EXTENSION,
        MotorResponse.FLEXION_OR_EXTENSION,
        MotorResponse.WITHDRAWS,
        MotorResponse.LOCALISES,
        MotorResponse.OBEYS,
    )[grade - 1]


def rpm_score(respiratory_rate: int, pulse: int, motor: MotorResponse) -> int:
    """Return the RPM score, 0 to 12: the sum of the three coded values."""
    return respiratory_code(respiratory_rate) + pulse_code(pulse) + motor_code(motor)


# Golden Hour's own mapping, since the card holds a GCS total and AVPU but no GCS motor grade:
# an AVPU level stands for the best motor response a casualty at that level usually shows.
AVPU_MOTOR = {
    Avpu.ALERT: MotorResponse.OBEYS,
    Avpu.VOICE: MotorResponse.LOCALISES,
    Avpu.PAIN: MotorResponse.WITHDRAWS,
    Avpu.UNRESPONSIVE: MotorResponse.NONE,
}


def motor_from_vitals(vitals: VitalsRecorded) -> MotorResponse | None:
    """Return the best motor response one set of vitals shows, or ``None`` if it shows none.

    In order: follows commands (GCS M6 by definition); a GCS total of 15 (only E4V5M6 sums to
    15) or 3 (only E1V1M1); then AVPU through ``AVPU_MOTOR``, capped at "localises" when the
    casualty was seen not to follow commands.
    """
    if vitals.follows_commands is True:
        return MotorResponse.OBEYS
    if vitals.gcs == 15:
        return MotorResponse.OBEYS
    if vitals.gcs == 3:
        return MotorResponse.NONE
    if vitals.avpu is None:
        return None
    motor = AVPU_MOTOR[vitals.avpu]
    if vitals.follows_commands is False and motor is MotorResponse.OBEYS:
        return MotorResponse.LOCALISES
    return motor


def rpm_from_card(card: Card) -> int | None:
    """Return the RPM score from the card's most recent vitals, or ``None`` if one is missing.

    Each of the three parts is taken from the most recent set of vitals that records it, so a
    pulse and a breathing rate written a minute apart still make a score.
    """
    rate = pulse = None
    motor: MotorResponse | None = None
    for vitals in reversed(card.vitals):
        if rate is None:
            rate = vitals.respiratory_rate
        if pulse is None:
            pulse = vitals.pulse
        if motor is None:
            motor = motor_from_vitals(vitals)
    if rate is None or pulse is None or motor is None:
        return None
    return rpm_score(rate, pulse, motor)


# ILLUSTRATIVE, OURS (not Sacco's published table, which we could not obtain): survival by RPM
# from a logistic in the score, as Sacco's method prescribes, with coefficients we chose so that
# RPM 12 gives about 0.98 and RPM 0 about 0.05. Replace with the published table when checked.
ILLUSTRATIVE_LOGISTIC_INTERCEPT = -3.0
ILLUSTRATIVE_LOGISTIC_SLOPE = 0.58


def _illustrative_survival(rpm: int) -> float:
    logit = ILLUSTRATIVE_LOGISTIC_INTERCEPT + ILLUSTRATIVE_LOGISTIC_SLOPE * rpm
    return round(1.0 / (1.0 + math.exp(-logit)), 3)


ILLUSTRATIVE_SURVIVAL_BY_RPM: tuple[float, ...] = tuple(
    _illustrative_survival(rpm) for rpm in range(RPM_MAX + 1)
)

# ILLUSTRATIVE, OURS: RPM after each 30-minute step without care. Sacco's Delphi panel gave
# deterioration by score; we assume scores 1-10 lose one point per step and 0, 11 and 12 hold.
ILLUSTRATIVE_STEP_MIN = 30.0
ILLUSTRATIVE_NEXT_RPM: tuple[int, ...] = (0, *range(10), 11, 12)


@dataclass(frozen=True, slots=True, kw_only=True)
class SaccoRpm:
    """Survival of a casualty first scored ``rpm``: the table at the score reached by then.

    Every ``step_min`` minutes without care the score moves from ``r`` to ``next_rpm[r]``;
    the survival is ``survival_by_rpm`` at the score reached. Both tables default to the
    illustrative ones above.
    """

    rpm: int
    survival_by_rpm: tuple[float, ...] = ILLUSTRATIVE_SURVIVAL_BY_RPM
    next_rpm: tuple[int, ...] = ILLUSTRATIVE_NEXT_RPM
    step_min: float = ILLUSTRATIVE_STEP_MIN

    def __post_init__(self) -> None:
        if isinstance(self.rpm, bool) or not isinstance(self.rpm, int):
            raise ValidationError("rpm", f"{self.rpm!r} is not a whole RPM score")
        if not 0 <= self.rpm <= RPM_MAX:
            raise ValidationError("rpm", f"{self.rpm} is not an RPM score from 0 to {RPM_MAX}")
        table = self.survival_by_rpm
        if len(table) != RPM_MAX + 1 or any(not 0.0 <= p <= 1.0 for p in table):
            raise ValidationError("survival_by_rpm", "needs 13 probabilities, for RPM 0 to 12")
        if any(low > high for low, high in zip(table, table[1:], strict=False)):
            raise ValidationError("survival_by_rpm", "survival must not fall as RPM rises")
        steps = self.next_rpm
        if len(steps) != RPM_MAX + 1 or any(not 0 <= n <= r for r, n in enumerate(steps)):
            raise ValidationError("next_rpm", "each score must step to itself or a lower score")
        if not math.isfinite(self.step_min) or self.step_min <= 0:
            raise ValidationError("step_min", f"{self.step_min!r} is not a positive step")

    @property
    def name(self) -> str:
        """Return ``sacco_rpm_<score>``."""
        return f"sacco_rpm_{self.rpm}"

    def rpm_after(self, minutes_since_injury: float) -> int:
        """Return the RPM score reached after this many minutes without care."""
        rpm = self.rpm
        steps = int(max(0.0, minutes_since_injury) // self.step_min)
        for _ in range(min(steps, RPM_MAX + 1)):
            rpm = self.next_rpm[rpm]
        return rpm

    def probability(self, minutes_since_injury: float) -> float:
        """Return the survival at the score reached by then."""
        return self.survival_by_rpm[self.rpm_after(minutes_since_injury)]


def _check_rate(name: str, rate: int) -> None:
    if isinstance(rate, bool) or not isinstance(rate, int) or rate < 0:
        raise ValidationError(name, f"{rate!r} is not a rate (a whole number, 0 or more)")
