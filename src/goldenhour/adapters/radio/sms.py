"""The SMS text form of a compact message: short labelled lines a person can read, and a CRC.

Example (the reference 9-line, one casualty)::

    GH1
    1 13SDD9144388921
    2 67.0/calllsign
    3 A1C2D3
    4 BCD
    5 L4A5
    6 X
    7 E OTHER: other marking
    8 A6B7C8D9E10
    9 TERRAIN: SLOPE S, ROUGH, LOOSE, OTHER: other terrain features
    Z:zap number 1
    M:Frag Single Burn > 20%
    S:Skin: Cold/Clammy;Pulse Radial: Has Radial
    K:T1 TQLL@202206141232 V@202206141245 P118 R24 O94 S96 D60 CA
    #5D2A0C1F

``GH1`` is the form and its version (``GH1 CASEVAC`` for a casualty evacuation); lines 1-9 are
read by the 9-line text reader, ``Z:``/``A:``/``TIME:``/``M:``/``I:``/``S:``/``T:`` by the MIST
reader; ``K:`` holds the card essentials (triage, ``TQ<limb>@<UTC YYYYMMDDHHMM>``, and
``V@<time>`` with P pulse, R respiratory rate, O SpO2, S systolic, D diastolic, C AVPU). The last
line is ``#`` and the CRC-32 (zlib.crc32) of the UTF-8 lines above it, joined by LF.

Everything we write is in the GSM-7 basic character set (3GPP TS 23.038 section 6.2.1) except
what people typed. Text with a character outside GSM-7 (Cyrillic, for one) is sent by the
phone as UCS-2: 70 characters in one part, 67 per part when split, instead of 160 and 153;
``sms_parts`` says which. We do not transliterate: a name or a drug spelt back wrong is worse
than a longer message.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from goldenhour.adapters.radio.errors import CompactError
from goldenhour.adapters.radio.model import (
    CasualtyHandover,
    CompactMessage,
    LastVitals,
    TourniquetTime,
    minutes_since_epoch,
)
from goldenhour.domain.casualty.vocabulary import Avpu, Limb
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.medevac.mist import Mist, format_dtg, parse_mists
from goldenhour.domain.medevac.nine_line import NineLineRequest
from goldenhour.domain.medevac.nine_line_text import nine_line_texts, parse_nine_line
from goldenhour.domain.triage.categories import NatoCategory

__all__ = [
    "MAX_SMS_CHARACTERS",
    "SmsParts",
    "decode_sms",
    "encode_sms",
    "essentials_text",
    "sms_parts",
]

#: Longest SMS text read: 100 concatenated UCS-2 parts is more than any phone sends.
MAX_SMS_CHARACTERS = 16_000
_HEADER = "GH1"
# GSM 03.38 / 3GPP TS 23.038: the basic set (one septet each) and its extension (two).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
_LIMB_CODES = {Limb.RIGHT_ARM: "RA", Limb.LEFT_ARM: "LA", Limb.RIGHT_LEG: "RL", Limb.LEFT_LEG: "LL"}
_TRIAGE_CODES = {category: category.value.upper() for category in NatoCategory}
_TIME = r"([0-9]{12})"
_TOKEN = re.compile(
    rf"^(?:(?P<triage>T[1-4]|DEAD)|TQ(?P<limb>RA|LA|RL|LL|X)@{_TIME}|V@(?P<vitals>[0-9]{{12}})"
    r"|(?P<sign>[PROSD])(?P<value>[0-9]{1,3})|C(?P<avpu>[AVPU]))$"
)
_SIGNS = {"P": "pulse", "R": "respiratory_rate", "O": "spo2", "S": "systolic", "D": "diastolic"}


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsParts:
    """How a text travels as SMS: its encoding, length in that encoding's units, and parts."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int


def sms_parts(text: str) -> SmsParts:
    """Return how many SMS parts ``text`` needs (3GPP TS 23.038 / 23.040 limits)."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in text):
        units = sum(2 if char in _GSM_EXTENSION else 1 for char in text)
        # One part holds 160 septets; a concatenated part loses 7 to its header (153).
        return SmsParts(
            encoding="GSM-7", units=units, parts=1 if units <= 160 else -(-units // 153)
        )
    units = len(text.encode("utf-16-le")) // 2
    return SmsParts(encoding="UCS-2", units=units, parts=1 if units <= 70 else -(-units // 67))


def encode_sms(message: CompactMessage) -> str:
    """Write a message in the SMS text form, ending with its checksum line."""
    lines = [_HEADER + (" CASEVAC" if message.casevac else "")]
    lines += _nine_line_lines(message.request)
    for handover in message.casualties:
        lines += _mist_lines(handover.mist)
        essentials = essentials_text(handover)
        if essentials:
            lines.append(f"K:{essentials}")
    body = "\n".join(lines)
    return f"{body}\n#{zlib.crc32(body.encode('utf-8')):08X}"


def _nine_line_lines(request: NineLineRequest) -> list[str]:
    if request.frequency is None:
        raise CompactError("line 2", "has no frequency; give one before sending by radio")
    whole, _, rest = request.frequency.partition(".")
    fraction, _, unit = rest.partition(" ")
    frequency = whole if not rest else f"{whole}.{fraction.rstrip('0') or '0'}"
    if unit == "KHZ":
        frequency += "KHZ"
    lines = nine_line_texts(request, compact=True)
    lines[2] = f"{frequency}/{request.call_sign}"
    return [f"{number} {lines[number]}" for number in sorted(lines)]


def _mist_lines(mist: Mist) -> list[str]:
    lines = [f"Z:{mist.zap}"]
    if mist.age is not None:
        lines.append(f"A:{mist.age}")
    if mist.time_of_injury is not None:
        # A date-time group has a two-digit year, which parse_dtg reads as 20YY.
        if not 2000 <= mist.time_of_injury.astimezone(UTC).year <= 2099:
            raise CompactError("mist.time_of_injury", "a DTG holds the years 2000 to 2099")
        lines.append(f"TIME:{format_dtg(mist.time_of_injury)}")
    for label, items in zip(
        "MIST", (mist.mechanism, mist.injuries, mist.signs, mist.treatment), strict=True
    ):
        if items:
            escaped = (item.replace("\\", "\\\\").replace(";", "\\;") for item in items)
            lines.append(f"{label}:{';'.join(escaped)}")
    return lines


def essentials_text(handover: CasualtyHandover) -> str:
    """Return the card essentials as ``K:`` tokens: ``T1 TQLL@202206141232 V@... P118 ...``."""
    tokens = [] if handover.triage is None else [_TRIAGE_CODES[handover.triage]]
    for tourniquet in handover.tourniquets:
        limb = "X" if tourniquet.limb is None else _LIMB_CODES[tourniquet.limb]
        tokens.append(f"TQ{limb}@{_stamp(tourniquet.applied_at)}")
    vitals = handover.vitals
    if vitals is not None:
        tokens.append(f"V@{_stamp(vitals.taken_at)}")
        tokens += [
            f"{sign}{getattr(vitals, name)}"
            for sign, name in _SIGNS.items()
            if getattr(vitals, name) is not None
        ]
        if vitals.avpu is not None:
            tokens.append(f"C{vitals.avpu.value}")
    return " ".join(tokens)


def _stamp(moment: datetime) -> str:
    minutes_since_epoch(moment, field="time")
    return f"{moment.astimezone(UTC):%Y%m%d%H%M}"


def decode_sms(text: str) -> CompactMessage:
    """Read the SMS text form back, checking its version line and checksum first.

    Raises ``CompactError`` (and nothing else) for a text that is corrupted, truncated or
    holds values a 9-line or MIST may not; line endings and blank lines are forgiven.
    """
    if not isinstance(text, str):
        raise CompactError("sms", "is not text")
    if len(text) > MAX_SMS_CHARACTERS:
        raise CompactError("length", f"{len(text)} characters; at most {MAX_SMS_CHARACTERS}")
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not lines[-1].startswith("#"):
        raise CompactError("checksum", "the closing #CRC line is missing (truncated)")
    body = "\n".join(lines[:-1])
    try:
        expected = int(lines[-1][1:], 16) if len(lines[-1]) == 9 else -1
    except ValueError:
        expected = -1
    if zlib.crc32(body.encode("utf-8", "surrogatepass")) != expected:
        raise CompactError("checksum", "does not match: the text is corrupted or truncated")
    header = lines[0].split()
    if not header or header[0] != _HEADER or header[1:] not in ([], ["CASEVAC"]):
        raise CompactError("version", f"{lines[0]!r} is not a form this reader knows ({_HEADER})")
    try:
        return _read(lines[1:-1], casevac=header[1:] == ["CASEVAC"])
    except CompactError:
        raise
    except ValidationError as error:
        raise CompactError(error.field, error.reason) from error
    except ValueError as error:
        # parse_mist lets int() see an AGE of digits such as "²" (reported upstream); a reader
        # must still refuse, never crash.
        raise CompactError("mist", f"cannot be read ({error})") from None


def _read(lines: list[str], *, casevac: bool) -> CompactMessage:
    first_mist = next((i for i, line in enumerate(lines) if line.startswith("Z:")), len(lines))
    request = parse_nine_line("\n".join(lines[:first_mist]), check_totals=False)
    blocks: list[list[str]] = []
    for line in lines[first_mist:]:
        if line.startswith("Z:"):
            blocks.append([])
        blocks[-1].append(line)
    casualties = []
    for number, block in enumerate(blocks, start=1):
        essentials = [line[2:] for line in block if line.startswith("K:")]
        if len(essentials) > 1:
            raise CompactError(f"casualty {number}", "has more than one K: line")
        (mist,) = parse_mists("\n".join(line for line in block if not line.startswith("K:")))
        casualties.append(_essentials(mist, essentials[0] if essentials else "", number))
    return CompactMessage(request=request, casualties=tuple(casualties), casevac=casevac)


def _essentials(mist: Mist, text: str, number: int) -> CasualtyHandover:
    field = f"casualty {number}.essentials"
    triage: NatoCategory | None = None
    tourniquets: list[TourniquetTime] = []
    vitals: dict[str, object] | None = None
    for token in text.split():
        match = _TOKEN.match(token)
        if match is None:
            raise CompactError(field, f"{token!r} is not triage, TQ, V@ or a vital sign")
        if match["triage"] and triage is None and not tourniquets and vitals is None:
            triage = NatoCategory(
                match["triage"].lower() if match["triage"] == "DEAD" else match["triage"]
            )
        elif match["limb"] and vitals is None:
            limb = next((k for k, v in _LIMB_CODES.items() if v == match["limb"]), None)
            tourniquets.append(TourniquetTime(limb=limb, applied_at=_time(match[3], field)))
        elif match["vitals"] and vitals is None:
            vitals = {"taken_at": _time(match["vitals"], field)}
        elif match["sign"] and vitals is not None and _SIGNS[match["sign"]] not in vitals:
            vitals[_SIGNS[match["sign"]]] = int(match["value"])
        elif match["avpu"] and vitals is not None and "avpu" not in vitals:
            vitals["avpu"] = Avpu(match["avpu"])
        else:
            raise CompactError(field, f"{token!r} is repeated or out of order")
    return CasualtyHandover(
        mist=mist,
        triage=triage,
        tourniquets=tuple(tourniquets),
        vitals=None if vitals is None else LastVitals(**vitals),  # type: ignore[arg-type]
    )


def _time(stamp: str, field: str) -> datetime:
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        raise CompactError(field, f"{stamp!r} is not a UTC time YYYYMMDDHHMM") from None
