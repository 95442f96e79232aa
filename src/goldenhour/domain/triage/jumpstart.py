"""JumpSTART paediatric mass-casualty triage as a pure function of the observed findings.

Source: Lou E. Romig MD, *JumpSTART: A Tool for Rapid Pediatric Multicasualty Field Triage*
(1993, rev. 2002), as restated in shared/reference/cards/triage.md section 2. Use it for
casualties who look like children (about 1-8 years). The steps run in order and the first one
that fires decides; the normal respiratory range 15-45/min is inclusive. When the next step needs
a finding that is missing, the suggestion has no category and its rule names that finding.

The card's extra rule for children who cannot yet walk (no Immediate criterion and no
significant external injury gives MINOR) is unverified in triage.md and is not applied: such a
child is entered with ``walking=False`` and goes through steps 2-5 like any other.
"""

from __future__ import annotations

from goldenhour.domain.triage.categories import StartCategory, TriageSuggestion, TriageSystem
from goldenhour.domain.triage.observations import TriageObservations

__all__ = ["JUMPSTART_MAX_RESPIRATORY_RATE", "JUMPSTART_MIN_RESPIRATORY_RATE", "triage_jumpstart"]

# Romig step 3: a rate below 15 or above 45/min is IMMEDIATE (triage.md §2).
JUMPSTART_MIN_RESPIRATORY_RATE = 15
JUMPSTART_MAX_RESPIRATORY_RATE = 45


def triage_jumpstart(obs: TriageObservations) -> TriageSuggestion:
    """Suggest a JumpSTART category for a child, naming the step and finding that decided it."""
    if obs.walking is None:
        return _needs("JumpSTART step 1 needs whether the child can walk")
    if obs.walking:
        return _suggest(StartCategory.MINOR, "JumpSTART step 1: walks")
    if obs.breathing is None:
        return _needs("JumpSTART step 2 needs whether the child is breathing spontaneously")
    if not obs.breathing:
        return _apnoea(obs)
    rate = obs.respiratory_rate
    if rate is None:
        return _needs("JumpSTART step 3 needs the respiratory rate")
    if rate < JUMPSTART_MIN_RESPIRATORY_RATE:
        return _suggest(
            StartCategory.IMMEDIATE,
            f"JumpSTART step 3: respiratory rate {rate}/min < {JUMPSTART_MIN_RESPIRATORY_RATE}",
        )
    if rate > JUMPSTART_MAX_RESPIRATORY_RATE:
        return _suggest(
            StartCategory.IMMEDIATE,
            f"JumpSTART step 3: respiratory rate {rate}/min > {JUMPSTART_MAX_RESPIRATORY_RATE}",
        )
    if obs.peripheral_pulse is None:
        return _needs("JumpSTART step 4 needs whether a peripheral pulse is palpable")
    if not obs.peripheral_pulse:
        return _suggest(StartCategory.IMMEDIATE, "JumpSTART step 4: no palpable peripheral pulse")
    return _mental_status(obs)


def _apnoea(obs: TriageObservations) -> TriageSuggestion:
    """Apply steps 2a-2c to a child who is not breathing spontaneously."""
    # Romig's reason for departing from START: an apnoeic child with a pulse is often in
    # respiratory, not cardiac, arrest, so it gets 5 rescue breaths (about 15 s) before being
    # called dead (triage.md §2, steps 2b-2c).
    if obs.breathing_after_airway is None:
        return _needs("JumpSTART step 2a needs whether breathing starts after airway positioning")
    if obs.breathing_after_airway:
        return _suggest(
            StartCategory.IMMEDIATE, "JumpSTART step 2a: breathes after airway positioning"
        )
    if obs.peripheral_pulse is None:
        return _needs("JumpSTART step 2b needs whether a peripheral pulse is palpable")
    if not obs.peripheral_pulse:
        return _suggest(
            StartCategory.DEAD, "JumpSTART step 2b: apnoeic with no palpable peripheral pulse"
        )
    if obs.breathing_after_rescue_breaths is None:
        return _needs("JumpSTART step 2c needs whether breathing starts after 5 rescue breaths")
    if obs.breathing_after_rescue_breaths:
        return _suggest(
            StartCategory.IMMEDIATE, "JumpSTART step 2c: breathes after 5 rescue breaths"
        )
    return _suggest(StartCategory.DEAD, "JumpSTART step 2c: still apnoeic after 5 rescue breaths")


def _mental_status(obs: TriageObservations) -> TriageSuggestion:
    """Apply step 5: AVPU U, or P with an inappropriate (posturing) response, is IMMEDIATE."""
    if obs.avpu is None:
        return _needs("JumpSTART step 5 needs the AVPU level")
    if obs.avpu == "U":
        return _suggest(StartCategory.IMMEDIATE, "JumpSTART step 5: AVPU U, unresponsive")
    if obs.avpu == "P":
        if obs.pain_response_appropriate is None:
            return _needs(
                "JumpSTART step 5 needs whether the response to pain is appropriate (localises)"
            )
        if not obs.pain_response_appropriate:
            return _suggest(
                StartCategory.IMMEDIATE,
                "JumpSTART step 5: AVPU P with inappropriate response to pain (posturing)",
            )
        return _suggest(
            StartCategory.DELAYED, "JumpSTART step 5: AVPU P, localises pain; earlier steps pass"
        )
    return _suggest(StartCategory.DELAYED, f"JumpSTART step 5: AVPU {obs.avpu}; earlier steps pass")


def _suggest(category: StartCategory, rule: str) -> TriageSuggestion:
    """Return a JumpSTART suggestion with a category."""
    return TriageSuggestion(system=TriageSystem.JUMPSTART, category=category, rule=rule)


def _needs(rule: str) -> TriageSuggestion:
    """Return a JumpSTART suggestion without a category; ``rule`` names the missing finding."""
    return TriageSuggestion(system=TriageSystem.JUMPSTART, category=None, rule=rule)
