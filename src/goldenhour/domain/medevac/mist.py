"""MIST handover (Mechanism, Injuries, Signs, Treatment) and its text form for voice and print.

One casualty's MIST reads, in the order it is spoken (DD 1380 instructions; ATAK's ZMIST adds
the Z, a zap or battle-roster number that identifies the casualty)::

    MIST Z: PA4821
    AGE: 34
    TIME: 141230ZJUN22
    M: artillery; blast
    I: left thigh (front): fragment wound, vascular
    S: 1245Z P 118 RR 24 SpO2 94 BP 96/60 AVPU A PAIN 7
    T: TQ left leg above the knee 1232Z CAT

Items on a line are separated by ``;`` (a ``;`` or ``\\`` inside an item is escaped with ``\\``).
``AGE`` and ``TIME`` are optional; ``TIME`` is a date-time group in Zulu (DDHHMMZMONYY).
Several casualties are separated by a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from goldenhour.domain.errors import MistError

__all__ = [
    "Mist",
    "encode_mist",
    "encode_mists",
    "format_dtg",
    "parse_dtg",
    "parse_mist",
    "parse_mists",
]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DTG = re.compile(r"^(\d{2})(\d{2})(\d{2})Z([A-Z]{3})(\d{2})$")
_LIST_FIELDS = ("mechanism", "injuries", "signs", "treatment")
_LABELS = {"M": "mechanism", "I": "injuries", "S": "signs", "T": "treatment"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Mist:
    """One casualty's MIST handover; every item is a short line of text without line breaks."""

    zap: str
    age: int | None = None
    time_of_injury: datetime | None = None
    mechanism: tuple[str, ...] = ()
    injuries: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()
    treatment: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_item("zap", self.zap)
        if self.age is not None and (
            isinstance(self.age, bool) or not isinstance(self.age, int) or not 0 <= self.age <= 130
        ):
            raise MistError("age", f"{self.age!r} is not an age in years (0 to 130)")
        if self.time_of_injury is not None:
            if self.time_of_injury.tzinfo is None:
                raise MistError("time_of_injury", "has no time zone")
        for name in _LIST_FIELDS:
            items = getattr(self, name)
            if not isinstance(items, tuple):
                raise MistError(name, "must be a tuple of text items")
            for index, item in enumerate(items, start=1):
                _check_item(f"{name}[{index}]", item)


def _check_item(field: str, item: object) -> None:
    if not isinstance(item, str) or not item.strip():
        raise MistError(field, "must be non-blank text")
    if item != item.strip() or len(item.splitlines()) != 1:
        raise MistError(field, "must be one line without leading or trailing spaces")


def format_dtg(moment: datetime) -> str:
    """Return a date-time group in Zulu, e.g. ``141230ZJUN22`` (seconds are dropped)."""
    utc = moment.astimezone(UTC)
    return f"{utc:%d%H%M}Z{_MONTHS[utc.month - 1]}{utc:%y}"


def parse_dtg(text: str) -> datetime:
    """Parse a Zulu date-time group such as ``141230ZJUN22`` (any case, spaces ignored)."""
    compact = re.sub(r"\s+", "", text).upper()
    match = _DTG.match(compact)
    if match is None or match[4] not in _MONTHS:
        raise MistError("time", f"{text!r} is not a date-time group like 141230ZJUN22")
    day, hour, minute, month, year = match.groups()
    try:
        return datetime(
            2000 + int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), tzinfo=UTC
        )
    except ValueError:
        raise MistError("time", f"{text!r} is not a real date and time") from None


def _escape(item: str) -> str:
    return item.replace("\\", "\\\\").replace(";", "\\;")


def _split(line: str) -> tuple[str, ...]:
    items: list[str] = []
    current: list[str] = []
    characters = iter(line)
    for character in characters:
        if character == "\\":
            current.append(next(characters, "\\"))
        elif character == ";":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(character)
    items.append("".join(current).strip())
    return tuple(item for item in items if item)


def encode_mist(mist: Mist) -> str:
    """Encode one casualty's MIST as text, one labelled line each."""
    lines = [f"MIST Z: {mist.zap}"]
    if mist.age is not None:
        lines.append(f"AGE: {mist.age}")
    if mist.time_of_injury is not None:
        lines.append(f"TIME: {format_dtg(mist.time_of_injury)}")
    for letter, name in _LABELS.items():
        items: tuple[str, ...] = getattr(mist, name)
        lines.append(f"{letter}: {'; '.join(_escape(item) for item in items)}".rstrip())
    return "\n".join(lines)


def encode_mists(mists: tuple[Mist, ...] | list[Mist]) -> str:
    """Encode several MISTs, separated by a blank line."""
    return "\n\n".join(encode_mist(mist) for mist in mists)


_LINE = re.compile(r"^\s*(MIST\s+Z|Z|AGE|A|TIME|M|I|S|T)\s*[:.\-]\s?(.*)$", re.IGNORECASE)


def parse_mist(text: str) -> Mist:
    """Parse one casualty's MIST text; labels in any case, ``Z`` first.

    Raises ``MistError`` naming the line that cannot be read.
    """
    values: dict[str, object] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        match = _LINE.match(raw)
        if match is None:
            raise MistError(f"line {number}", f"{raw.strip()!r} is not a MIST line (Z, M, I, S, T)")
        label = re.sub(r"\s+", " ", match[1].upper())
        content = match[2].strip()
        name = _field_of(label)
        if name in values:
            raise MistError(f"line {number}", f"{label} appears twice")
        values[name] = _read(name, content)
    if "zap" not in values:
        raise MistError("zap", "missing: a MIST starts with 'MIST Z:' naming the casualty")
    return Mist(**values)  # type: ignore[arg-type]


def _field_of(label: str) -> str:
    if label in ("MIST Z", "Z"):
        return "zap"
    if label in ("AGE", "A"):
        return "age"
    if label == "TIME":
        return "time_of_injury"
    return _LABELS[label]


def _read(name: str, content: str) -> object:
    if name == "zap":
        if not content:
            raise MistError("zap", "is empty")
        return content
    if name == "age":
        if not (content.isascii() and content.isdigit()):
            raise MistError("age", f"{content!r} is not an age in years")
        return int(content)
    if name == "time_of_injury":
        return parse_dtg(content)
    return _split(content)


def parse_mists(text: str) -> tuple[Mist, ...]:
    """Parse one or more MISTs; each begins with a ``MIST Z:`` (or ``Z:``) line."""
    blocks: list[list[str]] = []
    for raw in text.splitlines():
        if re.match(r"^\s*(MIST\s+Z|Z)\s*[:.\-]", raw, re.IGNORECASE):
            blocks.append([])
        if not blocks:
            if raw.strip():
                raise MistError("line 1", f"{raw.strip()!r}: a MIST starts with 'MIST Z:'")
            continue
        blocks[-1].append(raw)
    if not blocks:
        raise MistError("zap", "no MIST found: each starts with 'MIST Z:'")
    return tuple(parse_mist("\n".join(block)) for block in blocks)
