"""Who a casualty is: the identity fields of DD 1380's header and Form 100's identity block."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date

from goldenhour.domain.casualty import limits
from goldenhour.domain.casualty.vocabulary import Gender, PersonStatus
from goldenhour.domain.errors import InvalidEventError

#: ABO and RhD groups as written on Ukrainian and NATO identity tags.
BLOOD_GROUPS = frozenset({"O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"})

_LAST4 = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """Identity fields, every one optional: a casualty is often unknown at first.

    Two identity schemes are kept side by side: DD 1380's battle roster number and last four of
    the service number, and Form 100's personal number and identity document.
    """

    name_last: str | None = None
    name_first: str | None = None
    patronymic: str | None = None  # Form 100 по батькові
    callsign: str | None = None  # позивний: how comrades know him at the front
    battle_roster: str | None = None  # DD 1380 BATTLE ROSTER #, e.g. JD1234
    last4: str | None = None  # DD 1380 LAST 4
    personal_number: str | None = None  # Form 100 Особистий №
    id_document: str | None = None  # Form 100 Посвідчення особи
    rank: str | None = None  # Form 100 в/звання (free text; ranks differ by service)
    gender: Gender | None = None
    date_of_birth: date | None = None
    age_years: int | None = None
    service: str | None = None  # DD 1380 SERVICE: branch or nationality code
    unit: str | None = None  # DD 1380 UNIT; Form 100 в/ч, з'єднання
    nationality: str | None = None
    status: PersonStatus | None = None
    allergies: str | None = None  # DD 1380 ALLERGIES, "NKDA" if none known
    blood_group: str | None = None

    def __post_init__(self) -> None:
        # Every field is checked before refusing, so one answer names all that is wrong.
        problems = limits.Problems()
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str) or item.name in _TEXT_FIELDS:
                problems.run(limits.check_text, f"identity.{item.name}", value)
        if self.last4 is not None:
            problems.run(self.check_last4, "identity.last4", self.last4)
        problems.run(_check_kind, "identity.gender", self.gender, Gender, "is not male or female")
        problems.run(_check_kind, "identity.status", self.status, PersonStatus, "is not a status")
        problems.run(_check_kind, "identity.date_of_birth", self.date_of_birth, date, "is no date")
        if self.age_years is not None:
            problems.run(
                limits.check_range, "identity.age_years", self.age_years, limits.AGE_RANGE,
                "years",
            )  # fmt: skip
        if self.blood_group is not None and self.blood_group not in BLOOD_GROUPS:
            problems.run(_refuse, "identity.blood_group",
                f"{self.blood_group!r}; allowed: {', '.join(sorted(BLOOD_GROUPS))}",
            )  # fmt: skip
        problems.raise_any()

    @staticmethod
    def check_last4(field: str, value: str) -> None:
        """Refuse a "last 4" that is not four digits."""
        if not isinstance(value, str) or not _LAST4.match(value):
            raise InvalidEventError(field, f"{value!r} is not four digits")

    def merged_with(self, newer: Identity) -> Identity:
        """Return this identity with every field that ``newer`` gives replaced."""
        changes = {
            item.name: getattr(newer, item.name)
            for item in fields(newer)
            if getattr(newer, item.name) is not None
        }
        return replace(self, **changes)

    def display_name(self) -> str:
        """Return "Last, First" or whatever is known, for people reading a card."""
        if self.name_last or self.name_first:
            return ", ".join(part for part in (self.name_last, self.name_first) if part)
        return self.callsign or self.battle_roster or "unknown"


_TEXT_FIELDS = frozenset(
    {"name_last", "name_first", "patronymic", "callsign", "battle_roster", "personal_number",
     "id_document", "rank", "service", "unit", "nationality", "allergies"}
)  # fmt: skip


def _check_kind(field: str, value: object, kind: type, reason: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise InvalidEventError(field, f"{value!r} {reason}")


def _refuse(field: str, reason: str) -> None:
    raise InvalidEventError(field, reason)
