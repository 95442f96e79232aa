"""START adult mass-casualty triage as a pure function of the observed findings.

Source: *START Simple Triage And Rapid Treatment*, Hoag Memorial Hospital Presbyterian / Newport
Beach Fire Dept. (1983; rev. 1/97), as restated in shared/reference/cards/triage.md section 1.
The steps run in order and the first one that fires decides. Thresholds are strict (RR > 30/min,
CRT > 2 s) and there is no low-respiratory-rate rule. When the next step needs a finding that is
missing, the suggestion has no category and its rule names that finding.
"""

from __future__ import annotations

from goldenhour.domain.triage.categories import StartCategory, TriageSuggestion, TriageSystem
from goldenhour.domain.triage.observations import TriageObservations

__all__ = ["START_MAX_CAPILLARY_REFILL_S", "START_MAX_RESPIRATORY_RATE", "triage_start"]

# "30 - 2 - can do" (triage.md §1): above these values the casualty is IMMEDIATE.
START_MAX_RESPIRATORY_RATE = 30
START_MAX_CAPILLARY_REFILL_S = 2.0

# AVPU levels at which a casualty by definition cannot follow a spoken command.
_CANNOT_FOLLOW_COMMANDS_AVPU = frozenset({"P", "U"})


def triage_start(obs: TriageObservations) -> TriageSuggestion:
    """Suggest a START category for an adult, naming the step and finding that decided it."""
    # Step 1: walking wounded are MINOR whatever else is found (secondary triage later).
    if obs.walking is None:
        return _needs("START step 1 needs whether the casualty can walk", "start.need_walking")
    if obs.walking:
        return _suggest(StartCategory.MINOR, "START step 1: walks", "start.walks")
    # Steps 2 and 2a: apnoeic casualties get the airway repositioned once, then are re-checked.
    if obs.breathing is None:
        return _needs(
            "START step 2 needs whether the casualty is breathing", "start.need_breathing"
        )
    if not obs.breathing:
        if obs.breathing_after_airway is None:
            return _needs(
                "START step 2a needs whether breathing starts after airway repositioning",
                "start.need_airway",
            )
        if obs.breathing_after_airway:
            return _suggest(
                StartCategory.IMMEDIATE,
                "START step 2a: not breathing, breathes after airway repositioning",
                "start.breathes_after_airway",
            )
        return _suggest(
            StartCategory.DEAD,
            "START step 2a: not breathing after airway repositioning",
            "start.not_breathing",
        )
    return _respirations(obs)


def _respirations(obs: TriageObservations) -> TriageSuggestion:
    """Apply step 3 (respiratory rate), then the perfusion and mental-status steps."""
    rate = obs.respiratory_rate
    if rate is None:
        return _needs("START step 3 needs the respiratory rate", "start.need_rr")
    if rate > START_MAX_RESPIRATORY_RATE:
        return _suggest(
            StartCategory.IMMEDIATE,
            f"START step 3: respiratory rate {rate}/min > {START_MAX_RESPIRATORY_RATE}",
            "start.rr",
        )
    return _perfusion(obs)


def _perfusion(obs: TriageObservations) -> TriageSuggestion:
    """Apply step 4: radial pulse absent or capillary refill over 2 s is IMMEDIATE."""
    refill = obs.capillary_refill_s
    if obs.peripheral_pulse is False:
        return _suggest(
            StartCategory.IMMEDIATE, "START step 4: radial pulse absent", "start.no_radial"
        )
    if refill is not None and refill > START_MAX_CAPILLARY_REFILL_S:
        return _suggest(
            StartCategory.IMMEDIATE,
            f"START step 4: capillary refill {refill:g} s > {START_MAX_CAPILLARY_REFILL_S:g} s",
            "start.crt",
        )
    # Revised START accepts the radial pulse instead of, or as well as, the 1983 capillary
    # refill (triage.md §1 notes), so either one found normal is enough to go on to step 5.
    if obs.peripheral_pulse is None and refill is None:
        return _needs(
            "START step 4 needs the radial pulse or the capillary refill time",
            "start.need_perfusion",
        )
    return _mental_status(obs)


def _mental_status(obs: TriageObservations) -> TriageSuggestion:
    """Apply step 5: a casualty who cannot follow simple commands is IMMEDIATE."""
    # AVPU P or U means no response to voice, so no command can be followed; it wins over a
    # contradictory "follows commands" (the urgent reading). A or V settles nothing: a confused
    # casualty may answer yet not obey (triage.md §7 S24).
    if obs.avpu in _CANNOT_FOLLOW_COMMANDS_AVPU:
        return _suggest(
            StartCategory.IMMEDIATE,
            f"START step 5: AVPU {obs.avpu}, cannot follow simple commands",
            "start.avpu",
        )
    if obs.follows_commands is None:
        return _needs(
            "START step 5 needs whether the casualty follows simple commands",
            "start.need_commands",
        )
    if not obs.follows_commands:
        return _suggest(
            StartCategory.IMMEDIATE,
            "START step 5: cannot follow simple commands",
            "start.no_commands",
        )
    return _suggest(
        StartCategory.DELAYED,
        "START step 5: follows simple commands; breathing, respirations and perfusion pass",
        "start.delayed",
    )


def _suggest(category: StartCategory, rule: str, rule_id: str) -> TriageSuggestion:
    """Return a START suggestion with a category."""
    return TriageSuggestion(
        system=TriageSystem.START, category=category, rule=rule, rule_id=rule_id
    )


def _needs(rule: str, rule_id: str) -> TriageSuggestion:
    """Return a START suggestion without a category; ``rule`` names the missing finding."""
    return TriageSuggestion(system=TriageSystem.START, category=None, rule=rule, rule_id=rule_id)
