"""Voice read-back: grids and codes in the NATO phonetic alphabet and radio digits."""

from __future__ import annotations

from reference_message import reference_message

from goldenhour.adapters.radio import voice_readback
from goldenhour.adapters.radio.voice import spell

READBACK = voice_readback(reference_message())


def test_a_grid_is_spelt_letter_by_letter_and_digit_by_digit() -> None:
    assert spell("37U DQ 49") == "TREE SEVEN UNIFORM DELTA QUEBEC FOWER NINER"


def test_line_one_reads_the_grid_phonetically() -> None:
    assert "LINE ONE: GRID TREE SEVEN UNIFORM DELTA QUEBEC FOWER FOWER TWO FIFE FIFE" in READBACK


def test_codes_are_read_as_phonetic_letters() -> None:
    assert "LINE SIX: ECHO." in READBACK
    assert "LINE TREE: ALFA TWO, CHARLIE ONE." in READBACK


def test_the_frequency_is_read_with_its_unit() -> None:
    assert (
        "LINE TWO: TREE EIGHT DECIMAL NINER ZERO ZERO MEGAHERTZ, "
        "CALL SIGN BRAVO ECHO ROMEO ECHO GOLF TREE." in READBACK
    )


def test_words_with_digits_are_spelt_and_the_readback_ends_with_over() -> None:
    assert "TANGO: TQ ONE TWO : TREE TWO; combat gauze." in READBACK
    assert READBACK.endswith("OVER.\n")
