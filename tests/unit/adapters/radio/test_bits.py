"""Bit fields and Elias gamma codes write and read back exactly; reading past the end is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.adapters.radio import CompactError
from goldenhour.adapters.radio.bits import BitReader, BitWriter


@given(values=st.lists(st.integers(0, 2**40)))
def test_gamma_codes_round_trip(values: list[int]) -> None:
    writer = BitWriter()
    for value in values:
        writer.gamma(value, field="n")
    reader = BitReader(writer.to_bytes())
    assert [reader.gamma(field="n") for _ in values] == values
    assert reader.rest_is_zero()


def test_small_counts_cost_few_bits() -> None:
    """0 is one bit, 1 and 2 are three (Elias 1975)."""
    writer = BitWriter()
    for value in (0, 1, 2, 0, 0):
        writer.gamma(value, field="n")
    assert writer.to_bytes() == bytes([0b10100111, 0b10000000])


def test_a_value_wider_than_its_field_is_refused() -> None:
    with pytest.raises(CompactError):
        BitWriter().write(8, 3, field="x")


def test_reading_past_the_end_is_refused_as_truncation() -> None:
    with pytest.raises(CompactError, match="truncated"):
        BitReader(b"\x00").read(9, field="x")
