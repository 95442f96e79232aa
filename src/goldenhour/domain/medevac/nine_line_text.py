"""The 9-line MEDEVAC request as text: one written form out, many hand-typed forms in.

The written form is one labelled line per 9-line line, in ATP 4-02.2 order, for example::

    LINE 1: 37U DQ 45019 90123
    LINE 2: 38.900 MHZ / KALYNA 21
    LINE 3: A0 B1 C0 D0 E0
    LINE 4: A
    LINE 5: L1 A0
    LINE 6: E
    LINE 7: E OTHER: ORANGE CLOTH
    LINE 8: A1 B0 C0 D0 E0
    LINE 9: NONE

Lines that are not given (4, 6, 7, 8, 9 may be missing) are left out. A request received without
a usable frequency (an ATAK marker with ``freq="0.0"``) writes line 2 as
``NO FREQUENCY / <call sign>``, and the reader reads that back. Line 9 is ``NONE`` or NBC
letters in wartime, ``TERRAIN: <text>`` in peacetime. The reader ignores case, blank lines and
extra spaces, takes labels as ``LINE 1:``, ``Line 1 -``, ``L1:``, ``1.``, ``1)`` or ``1:``, counts
as ``A2 B1``, ``a 2, b 1`` or ``2A 1B`` (letters left out count 0), and raises ``NineLineError``
naming the line, what was found and what is allowed for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import Enum
from typing import TypeVar

from goldenhour.domain.errors import NineLineError
from goldenhour.domain.geo.mgrs import format_mgrs
from goldenhour.domain.medevac.mist import Mist, parse_mists
from goldenhour.domain.medevac.nine_line import (
    MAX_PATIENTS,
    NO_FREQUENCY,
    Equipment,
    Marking,
    Nationality,
    Nbc,
    NineLineRequest,
    Security,
    normalise_free_text,
    normalise_frequency,
    normalise_location,
)
from goldenhour.domain.triage.categories import Precedence

__all__ = [
    "encode_nine_line", "nine_line_texts", "parse_nine_line", "parse_nine_line_and_mists",
]  # fmt: skip

# re.ASCII keeps IGNORECASE from matching look-alikes such as the Kelvin sign for K.
_FLAGS = re.ASCII | re.IGNORECASE
# A separator between a label or code and what follows: a colon or dash, or a space.
_SEP = r"(?: ?[:\-\u2013\u2014] ?| )"
_LABEL = re.compile(
    r"^(?:LINE ?|L ?)?(?P<number>[0-9]{1,2})(?: ?[:.)\-\u2013\u2014] ?| |$)(?P<content>.*)$",
    _FLAGS,
)
# Line 2: the frequency (checked by the model), then "/", "," or a space, then the call sign.
# The atomic group keeps a written unit with the frequency: "38.9 MHZ" is not call sign "MHZ".
_FREQUENCY_AND_CALL_SIGN = re.compile(
    r"^(?P<frequency>(?>[0-9]+(?:[.,][0-9]+)?(?: ?(?:MHZ|KHZ))?))"
    r"(?: ?/ ?| ?, ?| )(?P<call_sign>.+)$",
    _FLAGS,
)
# What encode_nine_line writes for a received request that gave no usable frequency.
_NO_FREQUENCY_AND_CALL_SIGN = re.compile(
    rf"^{NO_FREQUENCY.replace(' ', ' ?')} ?/ ?(?P<call_sign>.+)$", _FLAGS
)
_MARKING_OTHER = re.compile(
    rf"^(?:E{_SEP}(?:OTHER(?:{_SEP}|$))?|OTHER(?:{_SEP}|$))(?P<detail>.*)$", _FLAGS
)
_TERRAIN = re.compile(rf"^TERRAIN(?:{_SEP}|$)(?P<text>.*)$", _FLAGS)
_MARKING_WORDS = {
    "PANEL": "A",
    "PANELS": "A",
    "PYRO": "B",
    "PYROTECHNIC": "B",
    "SMOKE": "C",
    "NONE": "D",
}
_LITTER_WORDS = re.compile(r"\b(?:LITTERS?|LIT)\b", _FLAGS)
_AMBULATORY_WORDS = re.compile(r"\b(?:AMBULATORY|AMB)\b", _FLAGS)
# Counts longer than this cannot be valid (MAX_PATIENTS) and are refused before int().
_MAX_COUNT_DIGITS = len(str(MAX_PATIENTS))

_E = TypeVar("_E", bound=Enum)
_T = TypeVar("_T")

_ALLOWED = {
    1: "an MGRS grid reference, e.g. 37U DQ 45019 90123",
    2: "FREQUENCY / CALL SIGN, e.g. 38.900 MHZ / KALYNA 21",
    3: "patient counts by precedence A-E, e.g. A1 B0 C2 D0 E0 (letters left out count 0)",
    4: "one or more of A, B, C, D (A alone means none), e.g. B D",
    5: "litter and ambulatory counts, e.g. L2 A1",
    6: "one of N, P, E, X",
    7: "one of A, B, C, D, E (E may be followed by a description, e.g. E OTHER: ORANGE CLOTH)",
    8: "patient counts by nationality A-E, e.g. A1 B0 C0 D0 E0 (letters left out count 0)",
    9: "NONE, one or more of N, B, C, or TERRAIN: <description>",
}


def encode_nine_line(request: NineLineRequest) -> str:
    """Write a request in the standard text form, one ``LINE n:`` line each, newline-terminated.

    >>> print(encode_nine_line(request), end="")  # doctest: +SKIP
    LINE 1: 37U DQ 45019 90123
    LINE 2: 38.900 MHZ / KALYNA 21
    LINE 3: A0 B1 C0 D0 E0
    LINE 5: L1 A0
    """
    lines = nine_line_texts(request)
    return "".join(f"LINE {number}: {lines[number]}\n" for number in sorted(lines))


def nine_line_texts(request: NineLineRequest, *, compact: bool = False) -> dict[int, str]:
    """Return the text of each line the request gives, by line number (1, 2, 3 and 5 always).

    The standard form spaces its codes (``L1 A0``, ``A0 B1 C0 D0 E0``, ``37U DQ 45019 90123``);
    the compact one, which the SMS text form uses, does not, and leaves out counts of zero
    (``L1A0``, ``B1``, ``37UDQ4501990123``). Line 2 is ``FREQUENCY / CALL SIGN`` in both.
    """
    gap = "" if compact else " "
    counts = _compact_counts_text if compact else _counts_text
    lines = {
        1: request.location if compact else format_mgrs(request.location, spaced=True),
        2: f"{request.frequency or NO_FREQUENCY} / {request.call_sign}",
        3: counts(request.patients_by_precedence),
        5: f"L{request.litter}{gap}A{request.ambulatory}",
    }
    if request.equipment is not None:
        lines[4] = gap.join(item.value for item in Equipment if item in request.equipment)
    if request.security is not None:
        lines[6] = request.security.value
    if request.marking is not None:
        lines[7] = request.marking.value
        if request.marking_detail is not None:
            lines[7] += f" OTHER: {request.marking_detail}"
    if request.patients_by_nationality is not None:
        lines[8] = counts(request.patients_by_nationality)
    if request.nbc is not None:
        lines[9] = " ".join(item.value for item in Nbc if item in request.nbc) or "NONE"
    elif request.terrain is not None:
        lines[9] = f"TERRAIN: {request.terrain}"
    return lines


def parse_nine_line(text: str, *, check_totals: bool = True) -> NineLineRequest:
    """Read a 9-line request from text, tolerating case, spacing and label styles.

    Raises ``NineLineError`` (and nothing else) naming the line: 0 for an unlabelled or
    unknown line, otherwise the first line that is missing, repeated or malformed. With
    ``check_totals=False`` counts that do not add up across lines 3, 5 and 8 are kept as sent.

    >>> parse_nine_line("1: 37udq4501990123\\n2: 38.9 / KALYNA 21\\n3: B1\\n5: L1").litter
    1
    """
    contents = _split_lines(text)
    # Lines are read in order so that the first bad or missing line is the one reported.
    location = normalise_location(_required(contents, 1))
    frequency, call_sign = _read_frequency_and_call_sign(_required(contents, 2))
    by_precedence = _read_counts(_required(contents, 3), letters="ABCDE", line=3)
    equipment = _optional(contents.get(4), _read_equipment)
    litter_and_ambulatory = _read_counts(_required(contents, 5), letters="LA", line=5)
    security = _optional(contents.get(6), _read_security)
    marking, marking_detail = _read_marking(contents.get(7))
    by_nationality = _optional(
        contents.get(8), lambda found: _read_counts(found, letters="ABCDE", line=8)
    )
    nbc, terrain = _read_line_9(contents.get(9))
    try:
        return NineLineRequest(
            location=location,
            frequency=frequency,
            call_sign=call_sign,
            patients_by_precedence={
                Precedence(letter): count for letter, count in by_precedence.items()
            },
            equipment=equipment,
            litter=litter_and_ambulatory["L"],
            ambulatory=litter_and_ambulatory["A"],
            security=security,
            marking=marking,
            marking_detail=marking_detail,
            patients_by_nationality=None
            if by_nationality is None
            else {Nationality(letter): count for letter, count in by_nationality.items()},
            nbc=nbc,
            terrain=terrain,
            check_totals=check_totals,
        )
    except NineLineError as error:
        # The model checks across lines (totals, A with other equipment); quote the line as sent.
        found = contents.get(error.line, error.found)
        raise NineLineError(error.line, found, error.allowed) from error


def _counts_text(counts: Mapping[_E, int]) -> str:
    return " ".join(f"{code.value}{count}" for code, count in counts.items())


def _compact_counts_text(counts: Mapping[_E, int]) -> str:
    return "".join(f"{code.value}{count}" for code, count in counts.items() if count) or "A0"


def _ascii_upper(text: str) -> str:
    # Upper-casing non-ASCII text can make ASCII letters (long s becomes S); compare ASCII only.
    return text.upper() if text.isascii() else ""


def _required(contents: Mapping[int, str], number: int) -> str:
    # Lines 1, 2, 3 and 5 (where, whom to call, how many, how carried) are the fields
    # NineLineRequest requires: a project decision, not a doctrinal rule.
    content = contents.get(number)
    if not content:
        raise NineLineError(number, "", f"line {number} is required: {_ALLOWED[number]}")
    return content


def _optional(content: str | None, reader: Callable[[str], _T]) -> _T | None:
    return None if not content else reader(content)


def _split_lines(text: str) -> dict[int, str]:
    """Return each labelled line's content by line number; refuse unlabelled or repeated lines."""
    contents: dict[int, str] = {}
    # A byte-order mark is what Windows editors put before the first label.
    for raw in text.removeprefix("\ufeff").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        match = _LABEL.match(line)
        number = int(match["number"]) if match else 0
        if match is None or not 1 <= number <= 9:
            raise NineLineError(0, line, "lines labelled 1 to 9, e.g. LINE 1:, L1:, 1. or 1)")
        if number in contents:
            raise NineLineError(number, match["content"], f"line {number} given once")
        contents[number] = match["content"].strip()
    return contents


def _read_frequency_and_call_sign(content: str) -> tuple[str | None, str]:
    unknown = _NO_FREQUENCY_AND_CALL_SIGN.match(content)
    if unknown is not None:
        call_sign = normalise_free_text(unknown["call_sign"], line=2, what="call sign")
        return None, call_sign
    match = _FREQUENCY_AND_CALL_SIGN.match(content)
    if match is None:
        raise NineLineError(2, content, _ALLOWED[2])
    try:
        frequency = normalise_frequency(match["frequency"])
        call_sign = normalise_free_text(match["call_sign"], line=2, what="call sign")
    except NineLineError as error:
        raise NineLineError(2, content, error.allowed) from error
    return frequency, call_sign


def _read_counts(content: str, *, letters: str, line: int) -> dict[str, int]:
    """Return a count for each letter from ``A2 B1``, ``a 2, b 1`` or ``2A 1B`` (missing is 0)."""
    text = content
    if line == 5:
        text = _AMBULATORY_WORDS.sub("A", _LITTER_WORDS.sub("L", text))
    text = " ".join(text.replace(",", " ").replace(";", " ").split())
    code = f"[{letters}]"
    if re.fullmatch(rf"(?:{code} ?[:=\-]? ?[0-9]+ ?)+", text, _FLAGS):
        pairs = re.findall(rf"({code}) ?[:=\-]? ?([0-9]+)", text, _FLAGS)
    elif re.fullmatch(rf"(?:[0-9]+ ?{code} ?)+", text, _FLAGS):
        pairs = [
            (letter, digits) for digits, letter in re.findall(rf"([0-9]+) ?({code})", text, _FLAGS)
        ]
    else:
        raise NineLineError(line, content, _ALLOWED[line])
    counts = dict.fromkeys(letters, 0)
    seen: set[str] = set()
    for letter, digits in pairs:
        # Leading zeros are dropped before int(), which refuses strings over 4300 digits.
        significant = digits.lstrip("0") or "0"
        if letter.upper() in seen or len(significant) > _MAX_COUNT_DIGITS:
            raise NineLineError(
                line, content, f"{_ALLOWED[line]}; each letter once, at most {MAX_PATIENTS}"
            )
        seen.add(letter.upper())
        counts[letter.upper()] = int(significant)
    return counts


def _read_letters(content: str, *, letters: str, line: int) -> set[str]:
    """Return the code letters of ``B D``, ``B, D`` or ``BD``."""
    found = set(_ascii_upper(re.sub(r"[\s,;/+&]", "", content)))
    if not found or not found <= set(letters):
        raise NineLineError(line, content, _ALLOWED[line])
    return found


def _read_equipment(content: str) -> frozenset[Equipment]:
    if _ascii_upper(content) == "NONE":
        return frozenset({Equipment.NONE})
    return frozenset(Equipment(letter) for letter in _read_letters(content, letters="ABCD", line=4))


def _read_security(content: str) -> Security:
    code = _ascii_upper(content)
    if code not in ("N", "P", "E", "X"):
        raise NineLineError(6, content, _ALLOWED[6])
    return Security(code)


def _read_marking(content: str | None) -> tuple[Marking | None, str | None]:
    if not content:
        return None, None
    word = _ascii_upper(content)
    if word in ("A", "B", "C", "D", "E"):
        return Marking(word), None
    if word in _MARKING_WORDS:
        return Marking(_MARKING_WORDS[word]), None
    match = _MARKING_OTHER.match(content)
    if match is None:
        raise NineLineError(7, content, _ALLOWED[7])
    detail = match["detail"].strip()
    if not detail:
        return Marking.OTHER, None
    try:
        return Marking.OTHER, normalise_free_text(detail, line=7, what="marking description")
    except NineLineError as error:
        raise NineLineError(7, content, error.allowed) from error


def _read_line_9(content: str | None) -> tuple[frozenset[Nbc] | None, str | None]:
    if not content:
        return None, None
    if _ascii_upper(content) in ("NONE", "NIL"):
        return frozenset(), None
    match = _TERRAIN.match(content)
    if match is None:
        return frozenset(
            Nbc(letter) for letter in _read_letters(content, letters="NBC", line=9)
        ), None
    try:
        return None, normalise_free_text(match["text"], line=9, what="terrain description")
    except NineLineError as error:
        raise NineLineError(9, content, error.allowed) from error


_MIST_START = re.compile(r"^\s*(?:MIST\s+Z|Z)\s*[:.\-]", re.IGNORECASE | re.MULTILINE)


def parse_nine_line_and_mists(text: str) -> tuple[NineLineRequest, tuple[Mist, ...]]:
    """Read a 9-line text followed by zero or more MISTs (each starting ``MIST Z:``)."""
    match = _MIST_START.search(text)
    nine_line = text if match is None else text[: match.start()]
    mists = () if match is None else parse_mists(text[match.start() :])
    return parse_nine_line(nine_line), mists
