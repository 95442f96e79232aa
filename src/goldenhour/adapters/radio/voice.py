"""Voice read-back of a compact message: the 9-line and MIST as words for a radio net.

Letters are spoken in the NATO phonetic alphabet and digits as radiotelephony pronounces them
(ACP 125(G) and ICAO Annex 10 Vol. II: TREE, FOWER, FIFE, NINER), digit by digit, as a grid
reference is read. Free text (call signs, MIST items) is read as written, except that words
holding a digit (``1232Z``, ``PA4821``) are spelt out so they cannot be misheard.
"""

from __future__ import annotations

from collections.abc import Mapping

from goldenhour.adapters.radio.model import CasualtyHandover, CompactMessage
from goldenhour.adapters.radio.sms import essentials_text
from goldenhour.domain.geo.mgrs import format_mgrs
from goldenhour.domain.medevac.nine_line import Equipment, Nationality, Nbc, NineLineRequest
from goldenhour.domain.triage.categories import Precedence

__all__ = ["spell", "voice_readback"]

_LETTERS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (
            "ALFA BRAVO CHARLIE DELTA ECHO FOXTROT GOLF HOTEL INDIA JULIETT KILO LIMA MIKE "
            "NOVEMBER OSCAR PAPA QUEBEC ROMEO SIERRA TANGO UNIFORM VICTOR WHISKEY XRAY "
            "YANKEE ZULU"
        ).split(),
        strict=True,
    )
)
_DIGITS = dict(
    zip("0123456789", "ZERO ONE TWO TREE FOWER FIFE SIX SEVEN EIGHT NINER".split(), strict=True)
)
_SYMBOLS = {".": "DECIMAL", "/": "SLANT", "-": "DASH"}
_LINE_NAMES = ("", "ONE", "TWO", "TREE", "FOWER", "FIFE", "SIX", "SEVEN", "EIGHT", "NINER")


def spell(text: str) -> str:
    """Spell text character by character: ``37U`` -> ``TREE SEVEN UNIFORM``."""
    words = []
    for char in text.upper():
        if char in _LETTERS:
            words.append(_LETTERS[char])
        elif char in _DIGITS:
            words.append(_DIGITS[char])
        elif char in _SYMBOLS:
            words.append(_SYMBOLS[char])
        elif not char.isspace():
            words.append(char)
    return " ".join(words)


def _spoken(text: str) -> str:
    return " ".join(
        spell(word) if any(c.isdigit() for c in word) else word for word in text.split()
    )


def voice_readback(message: CompactMessage) -> str:
    """Return the words to read a message out on a voice net, one line per 9-line line."""
    request = message.request
    kind = "CASEVAC" if message.casevac else "MEDEVAC"
    lines = [f"{kind} REQUEST, 9-LINE, BREAK."]
    lines += [f"LINE {_LINE_NAMES[number]}: {words}." for number, words in _lines(request)]
    for number, handover in enumerate(message.casualties, start=1):
        lines += _casualty(number, handover)
    lines.append("OVER.")
    return "\n".join(lines) + "\n"


def _lines(request: NineLineRequest) -> list[tuple[int, str]]:
    # A received request without a frequency is read out as such, never as a made-up one.
    frequency, _, unit = (request.frequency or "").partition(" ")
    unit_words = {"MHZ": " MEGAHERTZ", "KHZ": " KILOHERTZ"}.get(unit, "")
    lines = [
        (1, "GRID " + spell(format_mgrs(request.location, spaced=False))),
        (
            2,
            f"{spell(frequency)}{unit_words}, CALL SIGN {_spoken(request.call_sign)}"
            if frequency
            else f"NO FREQUENCY, CALL SIGN {_spoken(request.call_sign)}",
        ),
        (3, _counts(request.patients_by_precedence)),
    ]
    if request.equipment is not None:
        lines.append((4, spell("".join(e.value for e in Equipment if e in request.equipment))))
    lines.append(
        (5, f"LITTER {spell(str(request.litter))}, AMBULATORY {spell(str(request.ambulatory))}")
    )
    if request.security is not None:
        lines.append((6, spell(request.security.value)))
    if request.marking is not None:
        detail = f", {_spoken(request.marking_detail)}" if request.marking_detail else ""
        lines.append((7, spell(request.marking.value) + detail))
    if request.patients_by_nationality is not None:
        lines.append((8, _counts(request.patients_by_nationality)))
    if request.nbc is not None:
        lines.append((9, spell("".join(n.value for n in Nbc if n in request.nbc)) or "NONE"))
    elif request.terrain is not None:
        lines.append((9, f"TERRAIN, {_spoken(request.terrain)}"))
    return lines


def _counts(counts: Mapping[Precedence, int] | Mapping[Nationality, int]) -> str:
    said = [
        f"{spell(str(code.value))} {spell(str(count))}" for code, count in counts.items() if count
    ]
    return ", ".join(said) or "NONE"


def _casualty(number: int, handover: CasualtyHandover) -> list[str]:
    mist = handover.mist
    lines = [f"CASUALTY {spell(str(number))}, ZAP {_spoken(mist.zap)}."]
    if mist.age is not None:
        lines.append(f"AGE {spell(str(mist.age))}.")
    for label, items in (
        ("MIKE", mist.mechanism),
        ("INDIA", mist.injuries),
        ("SIERRA", mist.signs),
        ("TANGO", mist.treatment),
    ):
        if items:
            lines.append(f"{label}: {'; '.join(_spoken(item) for item in items)}.")
    essentials = essentials_text(handover)
    if essentials:
        lines.append(f"CARD: {_spoken(essentials)}.")
    return lines
