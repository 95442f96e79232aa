"""Triage systems, their categories, and a suggestion that names the rule that fired."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class TriageSystem(Enum):
    """A triage scheme: military T-categories, civilian START/JumpSTART, or 9-line precedence."""

    NATO = "nato"
    START = "start"
    JUMPSTART = "jumpstart"
    PRECEDENCE = "precedence"


class NatoCategory(Enum):
    """NATO/UK military triage categories (AJP-4.10 as commonly taught; see triage.md section 4)."""

    T1 = "T1"  # immediate
    T2 = "T2"  # delayed (NATO) / urgent (UK)
    T3 = "T3"  # minimal
    T4 = "T4"  # expectant
    DEAD = "dead"


class StartCategory(Enum):
    """START and JumpSTART categories (Hoag/Newport Beach 1983; Romig 1995)."""

    MINOR = "minor"  # green, walking wounded
    DELAYED = "delayed"  # yellow
    IMMEDIATE = "immediate"  # red
    DEAD = "dead"  # black


class Precedence(Enum):
    """9-line MEDEVAC evacuation precedence, line 3 (ATP 4-02.2)."""

    URGENT = "A"  # within 1 hour
    URGENT_SURGICAL = "B"  # within 1 hour, to surgical care
    PRIORITY = "C"  # within 4 hours
    ROUTINE = "D"  # within 24 hours
    CONVENIENCE = "E"  # when assets permit; deleted by STANAG 3204, kept by the US Army

    @property
    def code(self) -> str:
        """Return the one-letter 9-line code."""
        return self.value


TriageCategory = NatoCategory | StartCategory | Precedence


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageSuggestion:
    """A category suggested by a triage system, with the rule that fired, in words.

    ``category`` is ``None`` when the card holds too little to suggest anything; ``rule`` then
    says what is missing. ``rule_id`` names the same rule for the web app, which words it in
    the reader's language (``start.rr``, ``nato.lsi``; web/src/triage.ts); systems the web does
    not run (JumpSTART, SALT) leave it ``None``.
    """

    system: TriageSystem
    category: TriageCategory | None
    rule: str
    rule_id: str | None = None
