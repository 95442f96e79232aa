"""Bit-level writing and reading for the compact message: fixed-width fields and Elias gamma.

Elias gamma (Elias 1975, "Universal codeword sets and representations of the integers") writes
a positive integer x as floor(log2 x) zeros followed by x in binary: 1 -> ``1``, 2 -> ``010``,
5 -> ``00101``. Small counts, the common case on a 9-line, cost one to five bits.
"""

from __future__ import annotations

from goldenhour.adapters.radio.errors import CompactError

__all__ = ["BitReader", "BitWriter"]

#: Longest gamma code: values below 2**48 (a frequency in millionths of a unit needs 40 bits).
_MAX_GAMMA_ZEROS = 48


class BitWriter:
    """Collect fields most significant bit first; ``to_bytes`` pads the last byte with zeros."""

    __slots__ = ("_bits", "_value")

    def __init__(self) -> None:
        self._value = 0
        self._bits = 0

    def write(self, value: int, width: int, *, field: str) -> None:
        """Append ``value`` in ``width`` bits; raise ``CompactError`` if it does not fit."""
        if value < 0 or value >> width:
            raise CompactError(field, f"{value} does not fit in {width} bits")
        self._value = (self._value << width) | value
        self._bits += width

    def flag(self, value: bool) -> None:
        """Append one bit."""
        self.write(int(value), 1, field="flag")

    def gamma(self, value: int, *, field: str) -> None:
        """Append ``value + 1`` in Elias gamma code (so 0 costs one bit)."""
        if value < 0 or value + 1 >> _MAX_GAMMA_ZEROS:
            raise CompactError(field, f"{value} is out of range")
        number = value + 1
        self.write(number, 2 * number.bit_length() - 1, field=field)

    def append(self, other: BitWriter) -> None:
        """Append every bit another writer holds."""
        self._value = (self._value << other._bits) | other._value
        self._bits += other._bits

    def to_bytes(self) -> bytes:
        """Return the bits written, zero-padded to whole bytes."""
        padding = -self._bits % 8
        return (self._value << padding).to_bytes((self._bits + padding) // 8, "big")


class BitReader:
    """Read fields back from bytes; running past the end raises ``CompactError``."""

    __slots__ = ("_data", "_position", "_size")

    def __init__(self, data: bytes) -> None:
        self._data = int.from_bytes(data, "big")
        self._size = len(data) * 8
        self._position = 0

    def read(self, width: int, *, field: str) -> int:
        """Return the next ``width`` bits as an unsigned integer."""
        if self._position + width > self._size:
            raise CompactError(field, "the message ends too early (truncated)")
        self._position += width
        return (self._data >> (self._size - self._position)) & ((1 << width) - 1)

    def flag(self, *, field: str) -> bool:
        """Return the next bit."""
        return bool(self.read(1, field=field))

    def gamma(self, *, field: str) -> int:
        """Return the next Elias gamma code, minus one."""
        zeros = 0
        while not self.read(1, field=field):
            zeros += 1
            if zeros > _MAX_GAMMA_ZEROS:
                raise CompactError(field, "a number is longer than any the format writes")
        return ((1 << zeros) | self.read(zeros, field=field)) - 1

    def byte_offset(self) -> int:
        """Return the offset of the first whole byte not yet (even partly) read."""
        return -(-self._position // 8)

    def rest_is_zero(self) -> bool:
        """Return whether the padding bits up to the next byte boundary are all zero."""
        remainder = -self._position % 8
        return remainder == 0 or self.read(remainder, field="padding") == 0
