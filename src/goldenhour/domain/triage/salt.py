"""SALT mass-casualty triage (Sort, Assess, Lifesaving interventions, Treatment/transport).

Source: E. B. Lerner et al., SALT mass-casualty triage (CDC-convened panel, 2008), as restated in
shared/reference/cards/triage.md section 3. SALT has five categories, among them EXPECTANT,
which START and JumpSTART lack, so it has its own category enum and suggestion type here.
The global sort (step 1) only orders who is assessed first; the category comes from the
individual assessment (step 2), which is made after any lifesaving interventions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from goldenhour.domain.triage.observations import TriageObservations

__all__ = ["SaltCategory", "SaltSortGroup", "SaltSuggestion", "salt_sort_group", "triage_salt"]


class SaltCategory(Enum):
    """SALT categories with their usual tag colours (triage.md §3)."""

    IMMEDIATE = "immediate"  # red
    DELAYED = "delayed"  # yellow
    MINIMAL = "minimal"  # green
    EXPECTANT = "expectant"  # grey
    DEAD = "dead"  # black


class SaltSortGroup(Enum):
    """SALT global-sort groups; the value is the order of individual assessment (1 is first)."""

    STILL = 1  # does not move, or has an obvious life threat
    WAVE = 2  # moves purposefully on command
    WALK = 3  # walks to the designated area


@dataclass(frozen=True, slots=True, kw_only=True)
class SaltSuggestion:
    """A SALT category and the rule that fired; no category when a needed finding is missing."""

    category: SaltCategory | None
    rule: str


def salt_sort_group(obs: TriageObservations) -> SaltSortGroup:
    """Place a casualty in a SALT global-sort group; unknown movement counts as still."""
    # Our choice: a casualty whose movement was not seen is sorted with the still ones, the group
    # SALT assesses first (triage.md §3 step 1), rather than risk being seen last.
    if obs.walking:
        return SaltSortGroup.WALK
    if obs.purposeful_movement or obs.follows_commands:
        return SaltSortGroup.WAVE
    return SaltSortGroup.STILL


def triage_salt(obs: TriageObservations) -> SaltSuggestion:
    """Suggest a SALT category from the individual assessment, after lifesaving interventions."""
    # Step a: breathing is judged after the airway has been opened (and, for a child, after
    # 2 rescue breaths), so either spontaneous breathing or breathing after the airway counts.
    if obs.breathing is not True and obs.breathing_after_airway is not True:
        if obs.breathing is None:
            return _needs("SALT step a needs whether the casualty is breathing")
        if obs.breathing_after_airway is None:
            return _needs("SALT step a needs whether breathing starts after the airway is opened")
        return SaltSuggestion(
            category=SaltCategory.DEAD, rule="SALT step a: not breathing after airway opened"
        )
    failed, missing = _step_b(obs)
    if failed:
        return _step_c(obs, reason=failed)
    if missing:
        return _needs(f"SALT step b needs {missing}")
    if obs.minor_injuries_only is None:
        return _needs("SALT step d needs whether the injuries are minor only")
    if obs.minor_injuries_only:
        return SaltSuggestion(
            category=SaltCategory.MINIMAL, rule="SALT step d: step b passes; minor injuries only"
        )
    return SaltSuggestion(
        category=SaltCategory.DELAYED, rule="SALT step d: step b passes; injuries not minor only"
    )


def _step_b(obs: TriageObservations) -> tuple[str, str]:
    """Return the first failed step-b check and the first missing one, each "" if none."""
    obeys_or_moves: bool | None = None
    if obs.follows_commands or obs.purposeful_movement:
        obeys_or_moves = True
    elif obs.follows_commands is False and obs.purposeful_movement is False:
        obeys_or_moves = False
    no_distress = None if obs.respiratory_distress is None else not obs.respiratory_distress
    # (finding, words if it fails, words if it is missing), in the order of triage.md §3 step b.
    checks: tuple[tuple[bool | None, str, str], ...] = (
        (
            obeys_or_moves,
            "neither obeys commands nor moves purposefully",
            "whether the casualty obeys commands or moves purposefully",
        ),
        (obs.peripheral_pulse, "no peripheral pulse", "the peripheral pulse"),
        (no_distress, "in respiratory distress", "whether there is respiratory distress"),
        (
            obs.haemorrhage_controlled,
            "major haemorrhage not controlled",
            "whether major haemorrhage is controlled",
        ),
    )
    failed = next((fail for value, fail, _ in checks if value is False), "")
    missing = next((need for value, _, need in checks if value is None), "")
    return failed, missing


def _step_c(obs: TriageObservations, *, reason: str) -> SaltSuggestion:
    """Apply step c to a casualty who failed step b: likely to survive is IMMEDIATE."""
    if obs.likely_to_survive is None:
        return _needs(f"SALT step c ({reason}) needs whether survival is likely")
    if obs.likely_to_survive:
        return SaltSuggestion(
            category=SaltCategory.IMMEDIATE, rule=f"SALT step c: {reason}; likely to survive"
        )
    return SaltSuggestion(
        category=SaltCategory.EXPECTANT,
        rule=f"SALT step c: {reason}; unlikely to survive with current resources",
    )


def _needs(rule: str) -> SaltSuggestion:
    """Return a SALT suggestion without a category; ``rule`` names the missing finding."""
    return SaltSuggestion(category=None, rule=rule)
