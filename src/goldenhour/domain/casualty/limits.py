"""Bounds of what a human body and a field medic can produce; values outside them are refused.

The bounds are deliberately wide: they catch typing slips (a pulse of 400, SpO2 of 110) without
second-guessing a real, extreme reading. Each bound says where it comes from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import ParamSpec

from goldenhour.domain.errors import InvalidEventError

_P = ParamSpec("_P")

#: Heart rate: 0 is a real finding (no pulse); above 300/min is not a human rhythm a medic counts.
PULSE_RANGE = (0, 300)
#: Respiratory rate: 0 is apnoea; above 80/min is beyond any adult or child physiology.
RESPIRATORY_RATE_RANGE = (0, 80)
#: Pulse oximetry reads a percentage of saturated haemoglobin.
SPO2_RANGE = (0, 100)
#: Systolic and diastolic blood pressure in mmHg.
SYSTOLIC_RANGE = (0, 300)
DIASTOLIC_RANGE = (0, 250)
#: Glasgow Coma Scale totals run from 3 to 15 (Teasdale & Jennett 1974).
GCS_RANGE = (3, 15)
#: Its three parts: eye opening 1-4, verbal response 1-5, best motor response 1-6.
GCS_EYE_RANGE = (1, 4)
GCS_VERBAL_RANGE = (1, 5)
GCS_MOTOR_RANGE = (1, 6)
#: DD 1380 pain scale 0-10.
PAIN_RANGE = (0, 10)
#: Core temperature in °C: below 20 or above 45 is not a living casualty's reading.
TEMPERATURE_RANGE = (20.0, 45.0)
#: Capillary refill in seconds (START uses > 2 s).
CAPILLARY_REFILL_RANGE = (0.0, 20.0)
#: Burned body surface area in percent (DD 1380 asks for TBSA %).
TBSA_RANGE = (0.0, 100.0)
#: One fluid or blood entry in millilitres: a unit of blood is ~500 ml; 10 l in one entry is a slip.
VOLUME_ML_RANGE = (1.0, 10_000.0)
#: One dose of a drug, in its own unit: above zero; 100,000 of any unit is a slip.
DOSE_RANGE = (1e-6, 100_000.0)
#: Age in years.
AGE_RANGE = (0, 130)
#: How far ahead of the receiver's clock an event's time may lie: device clocks drift, phones
#: without network time drift more. Five minutes covers drift without accepting a wrong date.
DEFAULT_CLOCK_SKEW = timedelta(minutes=5)
#: Longest free text accepted in one field (a note, a diagnosis).
MAX_TEXT_LENGTH = 4000
#: Earliest date an arriving event may carry: older is a device whose clock was never set (or
#: a typing slip), not a casualty. Servers set their own (``GOLDENHOUR_EARLIEST_EVENT_DATE``).
EARLIEST_EVENT_DATE = datetime(2000, 1, 1, tzinfo=UTC)
#: C0 control characters other than tab, line feed and carriage return: no keyboard types
#: them, and XML (CoT for TAK) cannot carry them at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Problems:
    """Gathers the problems of several independent checks, to refuse once naming them all.

    A medic who typed pulse 400 and SpO2 999 learns of both from one refusal, not one per try.
    """

    def __init__(self) -> None:
        self._found: dict[str, str] = {}

    def run(self, check: Callable[_P, None], *args: _P.args, **kwargs: _P.kwargs) -> None:
        """Run ``check``; keep what it refuses (the first problem of each field) and go on."""
        try:
            check(*args, **kwargs)
        except InvalidEventError as error:
            for field, reason in error.problems:
                self._found.setdefault(field, reason)

    def raise_any(self) -> None:
        """Refuse with every problem gathered, the first as ``field`` and ``reason``."""
        if self._found:
            problems = tuple(self._found.items())
            raise InvalidEventError(*problems[0], problems=problems)


def check_range(field: str, value: float | None, bounds: tuple[float, float], unit: str) -> None:
    """Refuse ``value`` unless it is a finite number within ``bounds`` (``None`` passes)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidEventError(field, f"{value!r} is not a number")
    low, high = bounds
    if not low <= value <= high:
        raise InvalidEventError(
            field, f"{value:g} {unit} is impossible; allowed {low:g} to {high:g} {unit}"
        )


def check_text(field: str, value: str | None, *, required: bool = False) -> None:
    """Refuse text that is not a string, is too long, or is empty when ``required``."""
    if value is None:
        if required:
            raise InvalidEventError(field, "is required")
        return
    if not isinstance(value, str):
        raise InvalidEventError(field, f"{value!r} is not text")
    if required and not value.strip():
        raise InvalidEventError(field, "is required and may not be blank")
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidEventError(field, f"is {len(value)} characters; at most {MAX_TEXT_LENGTH}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate cannot be stored, printed or sent as UTF-8: refuse it at the door.
        raise InvalidEventError(field, "holds characters that are not valid Unicode text") from None


def check_aware(field: str, value: datetime | None) -> None:
    """Refuse a datetime without a time zone: a clock time without a zone is ambiguous."""
    if value is None:
        return
    if not isinstance(value, datetime):
        raise InvalidEventError(field, f"{value!r} is not a date and time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidEventError(field, "has no time zone; give UTC (Z) or an offset")


def form_limits() -> dict[str, object]:
    """Return the bounds a form checks before saving, as the web app reads them (JSON-ready).

    ``scripts/web-limits`` writes them to ``web/src/limits.json``; a test keeps the two equal, so
    the phone refuses in the form exactly what the server would refuse.
    """
    return {
        "vitals": {
            "pulse": list(PULSE_RANGE),
            "respiratory_rate": list(RESPIRATORY_RATE_RANGE),
            "spo2": list(SPO2_RANGE),
            "systolic": list(SYSTOLIC_RANGE),
            "diastolic": list(DIASTOLIC_RANGE),
            "pain": list(PAIN_RANGE),
            "gcs_eye": list(GCS_EYE_RANGE),
            "gcs_verbal": list(GCS_VERBAL_RANGE),
            "gcs_motor": list(GCS_MOTOR_RANGE),
        },
        "burn_tbsa_percent": list(TBSA_RANGE),
        "volume_ml": list(VOLUME_ML_RANGE),
        "dose_max": DOSE_RANGE[1],
        "text_max": MAX_TEXT_LENGTH,
    }


def check_no_controls(field: str, value: str) -> None:
    """Refuse text holding a C0 control character other than tab, line feed, carriage return."""
    found = _CONTROL.search(value)
    if found is not None:
        raise InvalidEventError(
            field,
            f"holds the control character U+{ord(found.group()):04X} at position "
            f"{found.start()}; only tab, line feed and carriage return are allowed in text",
        )


def check_not_before(field: str, value: datetime, earliest: datetime) -> None:
    """Refuse a date before ``earliest`` (a device clock that was never set)."""
    if value < earliest:
        raise InvalidEventError(
            field, f"{value.isoformat()} is before {earliest.date().isoformat()}, the earliest "
            "date accepted: is the device's clock set?",
        )  # fmt: skip
