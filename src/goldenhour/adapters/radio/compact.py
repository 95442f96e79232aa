"""The compact binary form of a 9-line with MIST and card essentials, for mesh radio (version 1).

Byte layout::

    byte 0        format version (1)
    bytes 1..     bit fields, most significant bit first, zero-padded to a whole byte
    then          the text block: stored, or raw deflate (RFC 1951) with PRESET_DICTIONARY
    last 4 bytes  CRC-32 (zlib.crc32, the IEEE 802.3 polynomial), big-endian, of all before it

The bit fields, in order (``g`` is Elias gamma of n + 1, see bits.py)::

    1  text block deflated          1  CASEVAC (not MEDEVAC)
    line 1  3 precision p (digits per coordinate), 6 UTM zone (0 = UPS), 5 band, 5 + 5 square
            letters (index in A-Z without I and O), easting and northing digits in 0/4/7/10/14/17
            bits for p = 0..5
    line 2  2 kind (0 channel, 1 MHZ, 2 KHZ); channel: g(channel - 1); MHZ/KHZ: 3 e, g(m - 1)
            where the frequency in millionths of the unit is m * 10**e
    line 3  g(count) for A, B, C, D, E          line 4  1 given, 4 flags A B C D
    line 5  g(litter), g(ambulatory)            line 6  1 given, 2 N/P/E/X
    line 7  1 given, 3 A-E, 1 description follows (only with E)
    line 8  1 given, g(count) for A-E           line 9  2 (0 none, 1 NBC, 2 terrain), NBC: 3 N B C
    g(casualties), then per casualty: 1+8 age, 1+26 time of injury (minutes since 2000-01-01Z),
       g(items) for M, I, S, T, 1+3 NATO triage (T1 T2 T3 T4 dead), g(tourniquets) of
       3 limb (0 unknown, 1-4) + 26 time, 1 vitals: 26 time, 6 present-flags, then pulse 9,
       respiratory rate 7, SpO2 7, systolic 9, diastolic 8, AVPU 2 bits (those present)

The text block is each string's UTF-8 byte length as a LEB128 varint and its bytes: the call
sign, the line 7 description, the line 9 terrain, then per casualty the zap number and the
M, I, S, T items. The encoder deflates it only when that is smaller.

Why a full CRC-32: a wrong grid or count decoded as right is the failure that matters, and the
4 bytes fit the budget. For messages under 2974 bits (371 bytes) this CRC detects every error
of up to four flipped bits and every burst of up to 32 (Koopman 2002, "32-Bit Cyclic
Redundancy Codes for Internet Applications", Table 1); a CRC-16 would pass one random
corruption in 65,536. Truncation and trailing bytes move the CRC and are refused too.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from goldenhour.adapters.radio.bits import BitReader, BitWriter
from goldenhour.adapters.radio.casualty_bits import read_casualty, write_casualty
from goldenhour.adapters.radio.dictionary import PRESET_DICTIONARY
from goldenhour.adapters.radio.errors import CompactError
from goldenhour.adapters.radio.model import CompactMessage
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.medevac.nine_line import (
    Equipment,
    Marking,
    Nationality,
    Nbc,
    NineLineRequest,
    Security,
)
from goldenhour.domain.triage.categories import Precedence

__all__ = [
    "DESIGN_BUDGET",
    "FORMAT_VERSION",
    "MAX_MESSAGE_BYTES",
    "MESHTASTIC_MAX_PAYLOAD",
    "decode_compact",
    "encode_compact",
]

FORMAT_VERSION = 1
#: A Meshtastic packet carries at most 233 bytes of payload (Meshtastic mesh.proto,
#: ``Constants.DATA_PAYLOAD_LEN``); we design for 200 to leave room for a header of our own.
MESHTASTIC_MAX_PAYLOAD = 233
DESIGN_BUDGET = 200
#: Largest message read or written: far above any real 9-line, small enough to refuse floods.
MAX_MESSAGE_BYTES = 4096
_MAX_TEXT_BYTES = 16 * 1024
_CRC_BYTES = 4
_SQUARE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # MGRS letters: A-Z without I and O
_DIGIT_BITS = (0, 4, 7, 10, 14, 17)  # bits for 10**p - 1, p = 0..5
_MGRS = re.compile(r"^([0-9]{2})?([A-HJ-NP-Z])([A-HJ-NP-Z])([A-HJ-NP-Z])([0-9]{0,10})$")
_FREQUENCY = re.compile(r"^([0-9]{1,6})(?:\.([0-9]{3,6}) (MHZ|KHZ))?$")
_UNITS = ("", "MHZ", "KHZ")
_EQUIPMENT = tuple(Equipment)
_SECURITY = tuple(Security)
_MARKING = tuple(Marking)
_NBC = tuple(Nbc)


def encode_compact(message: CompactMessage) -> bytes:
    """Encode a message in the compact binary form.

    Raises ``CompactError`` for a value the format cannot hold (a time before 2000...).

    >>> len(encode_compact(CompactMessage(request=request)))  # doctest: +SKIP
    29
    """
    body = BitWriter()
    strings: list[str] = []
    _write_request(body, message.request, strings)
    body.gamma(len(message.casualties), field="casualties")
    for handover in message.casualties:
        write_casualty(body, handover, strings)
    block = _text_block(strings)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, PRESET_DICTIONARY)
    deflated = packer.compress(block) + packer.flush()
    use_deflate = len(deflated) < len(block)
    bits = BitWriter()
    bits.flag(use_deflate)
    bits.flag(message.casevac)
    bits.append(body)
    data = bytes([FORMAT_VERSION]) + bits.to_bytes() + (deflated if use_deflate else block)
    if len(data) + _CRC_BYTES > MAX_MESSAGE_BYTES:
        raise CompactError("length", f"{len(data)} bytes; at most {MAX_MESSAGE_BYTES}")
    return data + zlib.crc32(data).to_bytes(_CRC_BYTES, "big")


def _write_request(writer: BitWriter, request: NineLineRequest, strings: list[str]) -> None:
    _write_location(writer, request.location)
    _write_frequency(writer, request.frequency)
    strings.append(request.call_sign)
    for code in Precedence:
        writer.gamma(request.patients_by_precedence[code], field="line 3")
    writer.flag(request.equipment is not None)
    if request.equipment is not None:
        for equipment in _EQUIPMENT:
            writer.flag(equipment in request.equipment)
    writer.gamma(request.litter, field="line 5")
    writer.gamma(request.ambulatory, field="line 5")
    writer.flag(request.security is not None)
    if request.security is not None:
        writer.write(_SECURITY.index(request.security), 2, field="line 6")
    writer.flag(request.marking is not None)
    if request.marking is not None:
        writer.write(_MARKING.index(request.marking), 3, field="line 7")
        if request.marking is Marking.OTHER:
            writer.flag(request.marking_detail is not None)
            if request.marking_detail is not None:
                strings.append(request.marking_detail)
    nationality = request.patients_by_nationality
    writer.flag(nationality is not None)
    if nationality is not None:
        for status in Nationality:
            writer.gamma(nationality[status], field="line 8")
    if request.nbc is not None:
        writer.write(1, 2, field="line 9")
        for nbc in _NBC:
            writer.flag(nbc in request.nbc)
    elif request.terrain is not None:
        writer.write(2, 2, field="line 9")
        strings.append(request.terrain)
    else:
        writer.write(0, 2, field="line 9")


def _write_location(writer: BitWriter, location: str) -> None:
    match = _MGRS.match(location)
    if match is None or len(match[5]) % 2:
        raise CompactError("line 1", f"{location!r} is not a canonical MGRS reference")
    zone, band, column, row, digits = match.groups()
    precision = len(digits) // 2
    writer.write(precision, 3, field="line 1")
    writer.write(int(zone or 0), 6, field="line 1")
    for letter in (band, column, row):
        writer.write(_SQUARE_LETTERS.index(letter), 5, field="line 1")
    for part in (digits[:precision], digits[precision:]):
        writer.write(int(part or 0), _DIGIT_BITS[precision], field="line 1")


def _write_frequency(writer: BitWriter, frequency: str | None) -> None:
    if frequency is None:
        raise CompactError("line 2", "has no frequency; give one before sending by radio")
    match = _FREQUENCY.match(frequency)
    if match is None or int(match[1]) + int(match[2] or 0) == 0:
        raise CompactError("line 2", f"{frequency!r} is not a normalised frequency")
    whole, fraction, unit = match.groups()
    if unit is None:
        writer.write(0, 2, field="line 2")
        writer.gamma(int(whole) - 1, field="line 2")
        return
    writer.write(_UNITS.index(unit), 2, field="line 2")
    millionths = int(whole) * 10**6 + int(fraction.ljust(6, "0"))
    exponent = 0
    while exponent < 6 and millionths % 10 == 0:
        millionths //= 10
        exponent += 1
    writer.write(exponent, 3, field="line 2")
    writer.gamma(millionths - 1, field="line 2")


def _text_block(strings: list[str]) -> bytes:
    block = bytearray()
    for text in strings:
        data = text.encode("utf-8")
        length = len(data)
        while length > 0x7F:
            block.append(0x80 | (length & 0x7F))
            length >>= 7
        block.append(length)
        block += data
    return bytes(block)


def decode_compact(data: bytes) -> CompactMessage:
    """Decode a compact binary message, checking its version, checksum and length first.

    Raises ``CompactError`` (and nothing else) for a message that is corrupted, truncated,
    padded, of another version, or holds values a 9-line or MIST may not.
    """
    if not isinstance(data, bytes | bytearray):
        raise CompactError("message", "is not bytes")
    if len(data) > MAX_MESSAGE_BYTES:
        raise CompactError("length", f"{len(data)} bytes; at most {MAX_MESSAGE_BYTES}")
    if len(data) < 1 + 1 + _CRC_BYTES:
        raise CompactError("length", f"{len(data)} bytes is too short for a message (truncated)")
    if data[0] != FORMAT_VERSION:
        raise CompactError("version", f"{data[0]} is not a version this reader knows (1)")
    if zlib.crc32(data[:-_CRC_BYTES]) != int.from_bytes(data[-_CRC_BYTES:], "big"):
        raise CompactError("checksum", "does not match: the message is corrupted or truncated")
    reader = BitReader(bytes(data[1:-_CRC_BYTES]))
    deflated = reader.flag(field="flags")
    casevac = reader.flag(field="flags")
    try:
        return _read_message(reader, bytes(data[1:-_CRC_BYTES]), deflated, casevac)
    except CompactError:
        raise
    except ValidationError as error:
        raise CompactError(error.field, error.reason) from error


def _read_message(reader: BitReader, body: bytes, deflated: bool, casevac: bool) -> CompactMessage:
    fields = _read_request_fields(reader)
    count = reader.gamma(field="casualties")
    readers = [read_casualty(reader, number) for number in range(1, count + 1)]
    if not reader.rest_is_zero():
        raise CompactError("padding", "is not zero: not a message this format writes")
    block = body[reader.byte_offset() :]
    strings = iter(_strings(_inflate(block) if deflated else block))
    request = _build_request(fields, strings)
    casualties = tuple(build(strings) for build in readers)
    if next(strings, None) is not None:
        raise CompactError("text", "holds more text than the message uses (trailing bytes)")
    return CompactMessage(request=request, casualties=casualties, casevac=casevac)


def _read_request_fields(reader: BitReader) -> dict[str, object]:
    fields: dict[str, object] = {"location": _read_location(reader)}
    fields["frequency"] = _read_frequency(reader)
    fields["patients_by_precedence"] = {c: reader.gamma(field="line 3") for c in Precedence}
    if reader.flag(field="line 4"):
        flags = [reader.flag(field="line 4") for _ in _EQUIPMENT]
        fields["equipment"] = frozenset(e for e, on in zip(_EQUIPMENT, flags, strict=True) if on)
    fields["litter"] = reader.gamma(field="line 5")
    fields["ambulatory"] = reader.gamma(field="line 5")
    if reader.flag(field="line 6"):
        fields["security"] = _SECURITY[reader.read(2, field="line 6")]
    if reader.flag(field="line 7"):
        index = reader.read(3, field="line 7")
        if index >= len(_MARKING):
            raise CompactError("line 7", f"code {index} is not one of A-E")
        fields["marking"] = _MARKING[index]
        fields["has_detail"] = index == 4 and reader.flag(field="line 7")
    if reader.flag(field="line 8"):
        fields["patients_by_nationality"] = {c: reader.gamma(field="line 8") for c in Nationality}
    kind = reader.read(2, field="line 9")
    if kind == 1:
        flags = [reader.flag(field="line 9") for _ in _NBC]
        fields["nbc"] = frozenset(n for n, on in zip(_NBC, flags, strict=True) if on)
    elif kind == 3:
        raise CompactError("line 9", "kind 3 is not one this format writes")
    fields["has_terrain"] = kind == 2
    return fields


def _build_request(fields: dict[str, object], strings: Iterator[str]) -> NineLineRequest:
    values = dict(fields)
    values["call_sign"] = _next(strings, "line 2")
    if values.pop("has_detail", False):
        values["marking_detail"] = _next(strings, "line 7")
    if values.pop("has_terrain"):
        values["terrain"] = _next(strings, "line 9")
    # Totals are kept as sent (a request relayed from ATAK may not add up); the reader warns.
    return NineLineRequest(**values, check_totals=False)  # type: ignore[arg-type]


def _next(strings: Iterator[str], field: str) -> str:
    text = next(strings, None)
    if text is None:
        raise CompactError(field, "its text is missing (truncated)")
    return text


def _read_location(reader: BitReader) -> str:
    precision = reader.read(3, field="line 1")
    if precision > 5:
        raise CompactError("line 1", f"precision {precision} is not 0 to 5 digits")
    zone = reader.read(6, field="line 1")
    letters = [reader.read(5, field="line 1") for _ in range(3)]
    if any(index >= len(_SQUARE_LETTERS) for index in letters):
        raise CompactError("line 1", "a grid letter is out of range")
    parts = [reader.read(_DIGIT_BITS[precision], field="line 1") for _ in range(2)]
    if any(part >= 10**precision for part in parts):
        raise CompactError("line 1", f"a coordinate has more than {precision} digits")
    digits = "".join(f"{part:0{precision}d}" if precision else "" for part in parts)
    prefix = f"{zone:02d}" if zone else ""
    return prefix + "".join(_SQUARE_LETTERS[index] for index in letters) + digits


def _read_frequency(reader: BitReader) -> str:
    kind = reader.read(2, field="line 2")
    if kind == 0:
        return str(reader.gamma(field="line 2") + 1)
    if kind == 3:
        raise CompactError("line 2", "kind 3 is not one this format writes")
    exponent = reader.read(3, field="line 2")
    if exponent > 6:
        raise CompactError("line 2", f"exponent {exponent} is over 6")
    millionths = (reader.gamma(field="line 2") + 1) * 10**exponent
    fraction = f"{millionths % 10**6:06d}".rstrip("0").ljust(3, "0")
    return f"{millionths // 10**6}.{fraction} {_UNITS[kind]}"


def _inflate(block: bytes) -> bytes:
    unpacker = zlib.decompressobj(-15, zdict=PRESET_DICTIONARY)
    try:
        text = unpacker.decompress(block, _MAX_TEXT_BYTES + 1)
    except zlib.error as error:
        raise CompactError("text", f"cannot be inflated ({error})") from None
    if len(text) > _MAX_TEXT_BYTES or unpacker.unconsumed_tail:
        raise CompactError("text", f"inflates to more than {_MAX_TEXT_BYTES} bytes")
    if not unpacker.eof:
        raise CompactError("text", "the compressed text ends too early (truncated)")
    if unpacker.unused_data:
        raise CompactError("text", "trailing bytes follow the compressed text")
    return text


def _strings(block: bytes) -> list[str]:
    strings: list[str] = []
    position = 0
    while position < len(block):
        length, shift = 0, 0
        while True:
            if position >= len(block) or shift > 14:
                raise CompactError("text", "a length prefix is cut short or too long")
            byte = block[position]
            position += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if position + length > len(block):
            raise CompactError("text", "a string runs past the end (truncated)")
        try:
            strings.append(block[position : position + length].decode("utf-8"))
        except UnicodeDecodeError:
            raise CompactError("text", "is not UTF-8") from None
        position += length
    return strings
