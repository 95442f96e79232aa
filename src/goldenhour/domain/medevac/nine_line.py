"""The 9-line MEDEVAC request as a validated value object (field order and codes per ATP 4-02.2).

Each line's codes are Enums whose values are the one-letter codes read out on the radio; the
letters and their meanings match ATAK's ``<_medevac_>`` lists (shared/reference/cot/README.md).
Construction normalises the free-text fields and refuses any request a medic could not send,
raising ``NineLineError`` that names the line, what was found and what is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import TypeVar

from goldenhour.domain.errors import MgrsError, NineLineError
from goldenhour.domain.geo.mgrs import parse_mgrs
from goldenhour.domain.triage.categories import Precedence

__all__ = [
    "MAX_PATIENTS",
    "NO_FREQUENCY",
    "Equipment",
    "Marking",
    "Nationality",
    "Nbc",
    "NineLineRequest",
    "Security",
    "normalise_frequency",
    "normalise_free_text",
    "normalise_location",
]

#: Most patients one request may carry; keeps every count short enough to read out and parse.
MAX_PATIENTS = 999
#: How line 2 is written when a received request (an ATAK marker) gave no usable frequency.
NO_FREQUENCY = "NO FREQUENCY"


class Equipment(Enum):
    """Line 4, special equipment (ATP 4-02.2); A (none) excludes the others."""

    NONE = "A"
    HOIST = "B"
    EXTRACTION = "C"
    VENTILATOR = "D"

    @property
    def meaning(self) -> str:
        """Return the code's meaning in words."""
        return _MEANINGS[self]


class Security(Enum):
    """Line 6, security of the pickup site, wartime meaning (ATP 4-02.2)."""

    NO_ENEMY = "N"
    POSSIBLE_ENEMY = "P"
    ENEMY_IN_AREA = "E"
    ARMED_ESCORT_REQUIRED = "X"

    @property
    def meaning(self) -> str:
        """Return the code's meaning in words."""
        return _MEANINGS[self]


class Marking(Enum):
    """Line 7, method of marking the pickup site (ATP 4-02.2); E may carry a description."""

    PANELS = "A"
    PYROTECHNIC = "B"
    SMOKE = "C"
    NONE = "D"
    OTHER = "E"

    @property
    def meaning(self) -> str:
        """Return the code's meaning in words."""
        return _MEANINGS[self]


class Nationality(Enum):
    """Line 8, patient nationality and status (ATP 4-02.2).

    Doctrine reads A/B as US (and coalition) military/civilian and C/D as non-US. For Ukrainian
    use we read A/B as own forces' military/civilian and C/D as other nations' military/civilian;
    that is our reading, not doctrine.
    """

    OWN_MILITARY = "A"
    OWN_CIVILIAN = "B"
    OTHER_MILITARY = "C"
    OTHER_CIVILIAN = "D"
    EPW = "E"

    @property
    def meaning(self) -> str:
        """Return the code's meaning in words."""
        return _MEANINGS[self]


class Nbc(Enum):
    """Line 9 in wartime, NBC contamination (ATP 4-02.2); no code at all means none."""

    NUCLEAR = "N"
    BIOLOGICAL = "B"
    CHEMICAL = "C"

    @property
    def meaning(self) -> str:
        """Return the code's meaning in words."""
        return _MEANINGS[self]


_MEANINGS: dict[Enum, str] = {
    Equipment.NONE: "none",
    Equipment.HOIST: "hoist",
    Equipment.EXTRACTION: "extraction equipment",
    Equipment.VENTILATOR: "ventilator",
    Security.NO_ENEMY: "no enemy troops in area",
    Security.POSSIBLE_ENEMY: "possible enemy troops in area, approach with caution",
    Security.ENEMY_IN_AREA: "enemy troops in area, proceed with caution",
    Security.ARMED_ESCORT_REQUIRED: "enemy troops in area, armed escort required",
    Marking.PANELS: "panels",
    Marking.PYROTECHNIC: "pyrotechnic signal",
    Marking.SMOKE: "smoke signal",
    Marking.NONE: "none",
    Marking.OTHER: "other",
    Nationality.OWN_MILITARY: "own forces / coalition military",
    Nationality.OWN_CIVILIAN: "own forces / coalition civilian",
    Nationality.OTHER_MILITARY: "other nation military",
    Nationality.OTHER_CIVILIAN: "other nation civilian",
    Nationality.EPW: "enemy prisoner of war",
    Nbc.NUCLEAR: "nuclear",
    Nbc.BIOLOGICAL: "biological",
    Nbc.CHEMICAL: "chemical",
}

_E = TypeVar("_E", bound=Enum)

# A number, optionally with a decimal part (point, or the comma Ukrainian writing uses), and an
# optional unit. Digits are bounded so int() and Decimal() never see absurd input.
_FREQUENCY = re.compile(
    r"^(?P<whole>[0-9]{1,6})(?:[.,](?P<fraction>[0-9]{1,6}))? ?(?P<unit>MHZ|KHZ)?$",
    re.ASCII | re.IGNORECASE,
)
_FREQUENCY_ALLOWED = (
    "a positive number with an optional unit MHZ or KHZ, e.g. 38.900 MHZ (or a bare channel "
    "number such as 5)"
)


def normalise_frequency(text: str) -> str:
    """Return a line 2 frequency in its one written form, e.g. ``"67mhz"`` -> ``"67.000 MHZ"``.

    With a unit or a decimal part the number keeps at least three decimals (more only when given,
    as 12.5 kHz channels need) and the unit, MHZ if none was written; a bare whole number is a
    channel or preset and stays as written without leading zeros. Raises ``NineLineError``
    (line 2) for anything else.
    """
    compact = " ".join(text.split())
    match = _FREQUENCY.match(compact)
    if match is None:
        raise NineLineError(2, text, _FREQUENCY_ALLOWED)
    whole, fraction, unit = match["whole"], match["fraction"], match["unit"]
    if Decimal(f"{whole}.{fraction or 0}") <= 0:
        raise NineLineError(2, text, _FREQUENCY_ALLOWED)
    if fraction is None and unit is None:
        return str(int(whole))
    decimals = (fraction or "").rstrip("0").ljust(3, "0")
    return f"{int(whole)}.{decimals} {(unit or 'MHZ').upper()}"


def normalise_free_text(text: str, *, line: int, what: str) -> str:
    """Return free text with runs of white space made one space; refuse empty or control text."""
    compact = " ".join(text.split())
    if not compact:
        raise NineLineError(line, text, f"a non-empty {what}")
    # Control and surrogate characters cannot be read out and break UTF-8 output.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in compact):
        raise NineLineError(line, text, f"a {what} of printable characters")
    return compact


def _counts_text(counts: Mapping[_E, int]) -> str:
    return " ".join(f"{code.value}{count}" for code, count in counts.items())


def _checked_counts(counts: Mapping[_E, int], *, codes: type[_E], line: int) -> Mapping[_E, int]:
    """Return the counts in code order, read-only; refuse missing codes or bad numbers."""
    letters = ", ".join(code.value for code in codes)
    if set(counts) != set(codes):
        found = " ".join(str(getattr(key, "value", key)) for key in counts)
        raise NineLineError(line, found, f"a count for each of {letters}")
    for count in counts.values():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise NineLineError(
                line, _counts_text(counts), f"whole numbers of 0 or more for each of {letters}"
            )
    total = sum(counts.values())
    if total > MAX_PATIENTS:
        raise NineLineError(
            line, f"{_counts_text(counts)} ({total} patients)", f"at most {MAX_PATIENTS} patients"
        )
    return MappingProxyType({code: counts[code] for code in codes})


@dataclass(frozen=True, slots=True, kw_only=True)
class NineLineRequest:
    """A 9-line MEDEVAC request; optional lines (4, 6, 7, 8, 9) are ``None`` when not given.

    Line 1 ``location`` is an MGRS reference kept compact and upper case. Line 2 is
    ``frequency`` (normalised by ``normalise_frequency``; ``None`` only on a request received
    from another system without a usable one, so that the rest is not lost) and ``call_sign``.
    Line 3 counts
    patients by precedence for all five codes A-E, at least one patient in all. Line 4 is a set
    of ``Equipment``. Line 5 splits the same patients into ``litter`` and ``ambulatory``.
    Line 6 is ``Security``. Line 7 is ``Marking`` with ``marking_detail`` only for E (other).
    Line 8 counts the same patients by ``Nationality``. Line 9 is either ``nbc`` (wartime; an
    empty set means no contamination) or ``terrain`` (peacetime description), never both.

    Raises ``NineLineError`` naming the line for any value a request may not hold.
    """

    location: str
    frequency: str | None
    call_sign: str
    # Mappings are compared but left out of the hash: they are read-only but not hashable.
    patients_by_precedence: Mapping[Precedence, int] = field(hash=False)
    equipment: frozenset[Equipment] | None = None
    litter: int
    ambulatory: int
    security: Security | None = None
    marking: Marking | None = None
    marking_detail: str | None = None
    patients_by_nationality: Mapping[Nationality, int] | None = field(default=None, hash=False)
    nbc: frozenset[Nbc] | None = None
    terrain: str | None = None
    # Requests received from other systems (an ATAK marker) may not add up; they are kept as
    # received, with ``total_problems()`` saying what is off, rather than lost.
    check_totals: InitVar[bool] = True

    def __post_init__(self, check_totals: bool) -> None:
        self._set("location", normalise_location(self.location))
        if self.frequency is not None:
            self._set("frequency", normalise_frequency(self.frequency))
        self._set("call_sign", normalise_free_text(self.call_sign, line=2, what="call sign"))
        self._set(
            "patients_by_precedence",
            _checked_counts(self.patients_by_precedence, codes=Precedence, line=3),
        )
        self._check_equipment()
        self._check_counts()
        self._check_marking()
        self._check_line_9()
        if check_totals:
            problems = self.total_problems()
            if problems:
                raise problems[0]

    def total_problems(self) -> tuple[NineLineError, ...]:
        """Return what does not add up across lines 3, 5 and 8 (nothing for a sound request)."""
        total = self.total_patients
        problems: list[NineLineError] = []
        if total < 1:
            found = _counts_text(self.patients_by_precedence)
            problems.append(NineLineError(3, found, "at least one patient in total"))
        if self.litter + self.ambulatory != total:
            problems.append(
                NineLineError(
                    5,
                    f"L{self.litter} A{self.ambulatory} ({self.litter + self.ambulatory} patients)",
                    f"litter + ambulatory equal to line 3's total, {total}",
                )
            )
        if self.patients_by_nationality is not None:
            counted = sum(self.patients_by_nationality.values())
            if counted != total:
                problems.append(
                    NineLineError(
                        8,
                        f"{_counts_text(self.patients_by_nationality)} ({counted} patients)",
                        f"counts adding up to line 3's total, {total}",
                    )
                )
        return tuple(problems)

    def _set(self, name: str, value: object) -> None:
        # Frozen dataclasses normalise in __post_init__ through object.__setattr__.
        object.__setattr__(self, name, value)

    @property
    def total_patients(self) -> int:
        """Return the number of patients in the request (the line 3 total)."""
        return sum(self.patients_by_precedence.values())

    def _check_equipment(self) -> None:
        if self.equipment is None:
            return
        codes = " ".join(sorted(str(getattr(item, "value", item)) for item in self.equipment))
        if not self.equipment or not all(isinstance(item, Equipment) for item in self.equipment):
            raise NineLineError(4, codes, "one or more of A, B, C, D (A alone means none)")
        if Equipment.NONE in self.equipment and len(self.equipment) > 1:
            raise NineLineError(4, codes, "A (none) alone, or any of B, C, D")

    def _check_counts(self) -> None:
        found = f"L{self.litter} A{self.ambulatory}"
        for count in (self.litter, self.ambulatory):
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise NineLineError(5, found, "whole numbers of 0 or more for L and A")
        if self.patients_by_nationality is not None:
            counts = _checked_counts(self.patients_by_nationality, codes=Nationality, line=8)
            self._set("patients_by_nationality", counts)

    def _check_marking(self) -> None:
        if self.marking is not None and not isinstance(self.marking, Marking):
            raise NineLineError(7, str(self.marking), "one of A, B, C, D, E")
        if self.marking_detail is None:
            return
        if self.marking is not Marking.OTHER:
            code = "none" if self.marking is None else self.marking.value
            raise NineLineError(
                7, f"{code} {self.marking_detail}", "a description only with E (other)"
            )
        self._set(
            "marking_detail",
            normalise_free_text(self.marking_detail, line=7, what="marking description"),
        )

    def _check_line_9(self) -> None:
        if self.nbc is not None and self.terrain is not None:
            raise NineLineError(9, f"{self.nbc} and {self.terrain!r}", "NBC codes or terrain")
        if self.nbc is not None and not all(isinstance(item, Nbc) for item in self.nbc):
            raise NineLineError(9, str(set(self.nbc)), "none, or any of N, B, C")
        if self.terrain is not None:
            self._set(
                "terrain", normalise_free_text(self.terrain, line=9, what="terrain description")
            )


def normalise_location(text: str) -> str:
    """Return a line 1 MGRS reference compact and upper case; raise ``NineLineError`` if bad."""
    try:
        return parse_mgrs(text).text
    except MgrsError as error:
        raise NineLineError(
            1, text, f"an MGRS grid reference, e.g. 37U DQ 45019 90123 ({error.reason})"
        ) from error
