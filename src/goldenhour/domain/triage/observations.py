"""The findings a triage rule reads from a casualty, each optional because it may not be assessed.

``None`` always means "not assessed" (or "could not be assessed", such as a capillary refill in
the cold or dark); a rule that needs a missing finding says so instead of guessing. The fields
cover START, JumpSTART and SALT as restated in shared/reference/cards/triage.md, sections 1-3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from goldenhour.domain.errors import ValidationError

__all__ = ["AVPU_LEVELS", "TriageObservations"]

#: AVPU levels from most to least responsive: Alert, responds to Voice, to Pain, Unresponsive.
AVPU_LEVELS: tuple[str, ...] = ("A", "V", "P", "U")

# Plausibility bounds, not clinical thresholds: a rate or refill time outside them is a typing
# error on the card, not a casualty. The triage thresholds live in start.py and jumpstart.py.
MAX_RESPIRATORY_RATE = 80
MAX_CAPILLARY_REFILL_S = 20.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageObservations:
    """Findings for one casualty at one triage pass; ``None`` means not assessed.

    ``peripheral_pulse`` is the radial pulse for an adult (START step 4, SALT) and the palpable
    peripheral pulse for a child; JumpSTART asks for that same finding twice, at step 2b (apnoeic
    child: pulse before rescue breaths) and at step 4, so one field serves both (triage.md §2).
    """

    walking: bool | None = None
    breathing: bool | None = None  # spontaneous breathing
    breathing_after_airway: bool | None = None  # after the airway is opened/repositioned
    peripheral_pulse: bool | None = None
    breathing_after_rescue_breaths: bool | None = None  # JumpSTART 2c: after 5 rescue breaths
    respiratory_rate: int | None = None  # breaths per minute
    capillary_refill_s: float | None = None
    follows_commands: bool | None = None
    avpu: str | None = None  # one of AVPU_LEVELS
    pain_response_appropriate: bool | None = None  # JumpSTART 5: localises (True) or postures
    # SALT step 2b-d inputs (triage.md §3).
    purposeful_movement: bool | None = None
    haemorrhage_controlled: bool | None = None  # no major haemorrhage, or it is controlled
    respiratory_distress: bool | None = None
    likely_to_survive: bool | None = None  # given the resources at hand
    minor_injuries_only: bool | None = None

    def __post_init__(self) -> None:
        """Refuse impossible values."""
        rate = self.respiratory_rate
        if rate is not None:
            # bool is an int subclass; True breaths per minute is a caller bug.
            if isinstance(rate, bool) or not isinstance(rate, int):
                raise ValidationError("respiratory_rate", f"must be a whole number, got {rate!r}")
            if not 0 <= rate <= MAX_RESPIRATORY_RATE:
                raise ValidationError(
                    "respiratory_rate",
                    f"{rate}/min is outside 0 to {MAX_RESPIRATORY_RATE}/min",
                )
        refill = self.capillary_refill_s
        if refill is not None:
            if isinstance(refill, bool) or not isinstance(refill, int | float):
                raise ValidationError("capillary_refill_s", f"must be a number, got {refill!r}")
            if not math.isfinite(refill) or not 0 <= refill <= MAX_CAPILLARY_REFILL_S:
                raise ValidationError(
                    "capillary_refill_s",
                    f"{refill} s is outside 0 to {MAX_CAPILLARY_REFILL_S:g} s",
                )
        if self.avpu is not None and self.avpu not in AVPU_LEVELS:
            raise ValidationError("avpu", f"{self.avpu!r} is not one of A, V, P, U")
