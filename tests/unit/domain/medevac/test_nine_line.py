"""Tests for the 9-line MEDEVAC request value object and its validation."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from goldenhour.domain.errors import NineLineError, ValidationError
from goldenhour.domain.medevac.nine_line import (
    Equipment,
    Marking,
    Nationality,
    Nbc,
    NineLineRequest,
    Security,
    normalise_frequency,
)
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line
from goldenhour.domain.triage.categories import Precedence


def by_precedence(a: int = 0, b: int = 0, c: int = 0, d: int = 0, e: int = 0) -> dict[Any, int]:
    return dict(zip(Precedence, (a, b, c, d, e), strict=True))


def by_nationality(a: int = 0, b: int = 0, c: int = 0, d: int = 0, e: int = 0) -> dict[Any, int]:
    return dict(zip(Nationality, (a, b, c, d, e), strict=True))


def request(**changes: Any) -> NineLineRequest:
    fields: dict[str, Any] = {
        "location": "37U DQ 45019 90123",
        "frequency": "38.900 MHZ",
        "call_sign": "KALYNA 21",
        "patients_by_precedence": by_precedence(b=1),
        "litter": 1,
        "ambulatory": 0,
    }
    return NineLineRequest(**(fields | changes))


def refusal(**changes: Any) -> NineLineError:
    with pytest.raises(NineLineError) as caught:
        request(**changes)
    return caught.value


def test_accepts_a_request_with_only_the_required_lines() -> None:
    built = request()
    assert (built.equipment, built.security, built.marking) == (None, None, None)
    assert (built.patients_by_nationality, built.nbc, built.terrain) == (None, None, None)
    assert built.total_patients == 1


def test_accepts_a_request_with_every_line() -> None:
    built = request(
        patients_by_precedence=by_precedence(a=1, c=2),
        equipment=frozenset({Equipment.HOIST, Equipment.VENTILATOR}),
        litter=2,
        ambulatory=1,
        security=Security.ARMED_ESCORT_REQUIRED,
        marking=Marking.OTHER,
        marking_detail="ORANGE CLOTH",
        patients_by_nationality=by_nationality(a=2, e=1),
        nbc=frozenset({Nbc.CHEMICAL}),
    )
    assert built.total_patients == 3


def test_stores_the_location_compact_and_upper_case() -> None:
    assert request(location="37u dq 45019 90123").location == "37UDQ4501990123"


def test_collapses_white_space_in_free_text() -> None:
    built = request(
        call_sign="  KALYNA \t 21 ", marking=Marking.OTHER, marking_detail=" orange   cloth "
    )
    assert (built.call_sign, built.marking_detail) == ("KALYNA 21", "orange cloth")


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("67MHz", "67.000 MHZ"),
        ("38.9", "38.900 MHZ"),
        ("38,9 mhz", "38.900 MHZ"),
        ("038.90000 MHZ", "38.900 MHZ"),
        ("38.9125", "38.9125 MHZ"),
        ("250 khz", "250.000 KHZ"),
        ("05", "5"),
    ],
)
def test_normalises_frequencies_to_one_written_form(typed: str, normalised: str) -> None:
    assert normalise_frequency(typed) == normalised
    assert normalise_frequency(normalised) == normalised


def test_codes_are_their_one_letter_values_with_meanings() -> None:
    for codes in (Equipment, Security, Marking, Nationality, Nbc):
        for code in codes:
            assert len(code.value) == 1
            assert code.meaning


def test_equal_requests_are_equal_and_hash_alike() -> None:
    assert request() == request(location="37UDQ4501990123")
    assert hash(request()) == hash(request(location="37UDQ4501990123"))


def test_count_mappings_are_read_only() -> None:
    built = request()
    with pytest.raises(TypeError):
        built.patients_by_precedence[Precedence.URGENT] = 5  # type: ignore[index]


def test_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        request().litter = 2  # type: ignore[misc]


def test_nine_line_errors_are_validation_and_value_errors() -> None:
    error = refusal(location="nowhere")
    assert isinstance(error, ValidationError)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("changes", "line", "found", "allowed"),
    [
        ({"location": "37U DQ 1"}, 1, "37U DQ 1", "an MGRS grid reference"),
        ({"location": "nowhere"}, 1, "nowhere", "an MGRS grid reference"),
        ({"frequency": "channel five"}, 2, "channel five", "a positive number"),
        ({"frequency": "0.000 MHZ"}, 2, "0.000 MHZ", "a positive number"),
        ({"call_sign": "  "}, 2, "  ", "a non-empty call sign"),
        ({"call_sign": "KALYNA\x0021"}, 2, "KALYNA\x0021", "printable characters"),
        (
            {"patients_by_precedence": {Precedence.URGENT: 1}},
            3,
            "A",
            "a count for each of A, B, C, D, E",
        ),
        (
            {"patients_by_precedence": by_precedence(a=-1, b=2)},
            3,
            "A-1 B2 C0 D0 E0",
            "whole numbers of 0 or more",
        ),
        (
            {"patients_by_precedence": by_precedence(a=True)},
            3,
            "ATrue B0 C0 D0 E0",
            "whole numbers of 0 or more",
        ),
        (
            {"patients_by_precedence": by_precedence(), "litter": 0},
            3,
            "A0 B0 C0 D0 E0",
            "at least one patient in total",
        ),
        (
            {"patients_by_precedence": by_precedence(a=1000), "litter": 1000},
            3,
            "A1000 B0 C0 D0 E0 (1000 patients)",
            "at most 999 patients",
        ),
        ({"equipment": frozenset()}, 4, "", "one or more of A, B, C, D"),
        (
            {"equipment": frozenset({Equipment.NONE, Equipment.HOIST})},
            4,
            "A B",
            "A (none) alone, or any of B, C, D",
        ),
        ({"litter": -1, "ambulatory": 2}, 5, "L-1 A2", "whole numbers of 0 or more"),
        (
            {"litter": 1, "ambulatory": 1},
            5,
            "L1 A1 (2 patients)",
            "litter + ambulatory equal to line 3's total, 1",
        ),
        (
            {"marking": Marking.SMOKE, "marking_detail": "red"},
            7,
            "C red",
            "a description only with E (other)",
        ),
        (
            {"marking": Marking.OTHER, "marking_detail": " "},
            7,
            " ",
            "a non-empty marking description",
        ),
        (
            {"patients_by_nationality": by_nationality(a=2)},
            8,
            "A2 B0 C0 D0 E0 (2 patients)",
            "counts adding up to line 3's total, 1",
        ),
        (
            {"patients_by_nationality": {Nationality.EPW: 1}},
            8,
            "E",
            "a count for each of A, B, C, D, E",
        ),
        (
            {"nbc": frozenset(), "terrain": "flat"},
            9,
            "frozenset() and 'flat'",
            "NBC codes or terrain",
        ),
        ({"terrain": ""}, 9, "", "a non-empty terrain description"),
    ],
)
def test_refuses_a_bad_line_naming_the_line_what_was_found_and_what_is_allowed(
    changes: dict[str, Any], line: int, found: str, allowed: str
) -> None:
    error = refusal(**changes)
    assert (error.line, error.found) == (line, found)
    assert allowed in error.allowed
    assert f"line {line}" in str(error)
    assert repr(found) in str(error)


def test_line_5_mismatch_message_reads_as_a_medic_would_say_it() -> None:
    error = refusal(patients_by_precedence=by_precedence(b=3), litter=1, ambulatory=1)
    assert str(error) == (
        "line 5: found 'L1 A1 (2 patients)'; allowed: litter + ambulatory equal to line 3's "
        "total, 3"
    )


def test_a_received_request_that_does_not_add_up_is_kept_with_its_problems() -> None:
    text = (
        "LINE 1: 13S DD 12345 67890\nLINE 2: 67 MHZ / DUSTOFF\nLINE 3: A1 C2 D3\n"
        "LINE 5: L4 A5\nLINE 8: A6 B7\n"
    )
    with pytest.raises(NineLineError) as raised:
        parse_nine_line(text)
    assert raised.value.line == 5
    kept = parse_nine_line(text, check_totals=False)
    assert (kept.total_patients, kept.litter, kept.ambulatory) == (6, 4, 5)
    assert [problem.line for problem in kept.total_problems()] == [5, 8]
    assert parse_nine_line(encode_nine_line(kept), check_totals=False) == kept
