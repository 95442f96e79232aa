"""Tests for the 9-line text form: the golden example, tolerant reading, round trip and fuzz."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenhour.domain.errors import NineLineError
from goldenhour.domain.medevac.nine_line import (
    Equipment,
    Marking,
    Nationality,
    Nbc,
    NineLineRequest,
    Security,
)
from goldenhour.domain.medevac.nine_line_text import (
    encode_nine_line,
    nine_line_texts,
    parse_nine_line,
)
from goldenhour.domain.triage.categories import Precedence

from strategies_nine_line import nine_line_requests

GOLDEN_TEXT = """\
LINE 1: 37U DQ 45019 90123
LINE 2: 38.900 MHZ / KALYNA 21
LINE 3: A1 B1 C0 D1 E0
LINE 4: B D
LINE 5: L2 A1
LINE 6: E
LINE 7: E OTHER: ORANGE CLOTH
LINE 8: A2 B0 C0 D1 E0
LINE 9: N C
"""

GOLDEN_REQUEST = NineLineRequest(
    location="37UDQ4501990123",
    frequency="38.900 MHZ",
    call_sign="KALYNA 21",
    patients_by_precedence={
        Precedence.URGENT: 1,
        Precedence.URGENT_SURGICAL: 1,
        Precedence.PRIORITY: 0,
        Precedence.ROUTINE: 1,
        Precedence.CONVENIENCE: 0,
    },
    equipment=frozenset({Equipment.HOIST, Equipment.VENTILATOR}),
    litter=2,
    ambulatory=1,
    security=Security.ENEMY_IN_AREA,
    marking=Marking.OTHER,
    marking_detail="ORANGE CLOTH",
    patients_by_nationality={
        Nationality.OWN_MILITARY: 2,
        Nationality.OWN_CIVILIAN: 0,
        Nationality.OTHER_MILITARY: 0,
        Nationality.OTHER_CIVILIAN: 1,
        Nationality.EPW: 0,
    },
    nbc=frozenset({Nbc.NUCLEAR, Nbc.CHEMICAL}),
)

MINIMAL_TEXT = "1: 37U DQ 45019 90123\n2: 38.9 / KALYNA 21\n3: B1\n5: L1\n"


def with_line(number: int, content: str) -> str:
    return MINIMAL_TEXT + f"{number}: {content}\n"


def refusal(text: str) -> NineLineError:
    with pytest.raises(NineLineError) as caught:
        parse_nine_line(text)
    return caught.value


def test_encodes_the_golden_example_exactly() -> None:
    assert encode_nine_line(GOLDEN_REQUEST) == GOLDEN_TEXT


def test_parses_the_golden_example() -> None:
    assert parse_nine_line(GOLDEN_TEXT) == GOLDEN_REQUEST


def test_encodes_only_the_lines_that_are_given() -> None:
    assert encode_nine_line(parse_nine_line(MINIMAL_TEXT)) == (
        "LINE 1: 37U DQ 45019 90123\nLINE 2: 38.900 MHZ / KALYNA 21\n"
        "LINE 3: A0 B1 C0 D0 E0\nLINE 5: L1 A0\n"
    )


def test_encodes_line_9_as_none_terrain_or_nbc_letters_in_order() -> None:
    assert encode_nine_line(parse_nine_line(with_line(9, "none"))).endswith("LINE 9: NONE\n")
    assert encode_nine_line(parse_nine_line(with_line(9, "c b"))).endswith("LINE 9: B C\n")
    assert encode_nine_line(parse_nine_line(with_line(9, "Terrain - flat"))).endswith(
        "LINE 9: TERRAIN: flat\n"
    )


def test_reads_a_missing_optional_line_as_none() -> None:
    parsed = parse_nine_line(MINIMAL_TEXT)
    assert (parsed.equipment, parsed.security, parsed.marking, parsed.marking_detail) == (
        None,
        None,
        None,
        None,
    )
    assert (parsed.patients_by_nationality, parsed.nbc, parsed.terrain) == (None, None, None)


def test_reads_an_empty_optional_line_as_missing() -> None:
    assert parse_nine_line(with_line(6, "")).security is None


@pytest.mark.parametrize(
    "label", ["LINE 6:", "Line 6 -", "line 6 :", "L6:", "l 6", "6.", "6)", "6:", "6 -", "LINE6"]
)
def test_reads_every_label_style(label: str) -> None:
    assert parse_nine_line(MINIMAL_TEXT + f"{label} X\n").security is Security.ARMED_ESCORT_REQUIRED


def test_ignores_case_blank_lines_tabs_crlf_and_a_byte_order_mark() -> None:
    text = (
        "\ufeff\r\n\tline 1:\t37u dq 45019   90123\r\n\r\n"
        "  l2:  38.9  /  KALYNA 21 \r\n3: b1\r\n5: l1\r\n"
    )
    assert parse_nine_line(text) == parse_nine_line(MINIMAL_TEXT)


@pytest.mark.parametrize("location", ["37UDQ4501990123", "37u dq 45019 90123", "37U DQ4501990123"])
def test_reads_mgrs_with_or_without_spaces(location: str) -> None:
    text = MINIMAL_TEXT.replace("37U DQ 45019 90123", location)
    assert parse_nine_line(text).location == "37UDQ4501990123"


@pytest.mark.parametrize(
    ("content", "frequency", "call_sign"),
    [
        ("38.900 MHZ / KALYNA 21", "38.900 MHZ", "KALYNA 21"),
        ("67MHz/KALYNA 21", "67.000 MHZ", "KALYNA 21"),
        ("38,9 mhz, Kalyna 21", "38.900 MHZ", "Kalyna 21"),
        ("38.9 KALYNA 21", "38.900 MHZ", "KALYNA 21"),
        ("5 / КАЛИНА 21", "5", "КАЛИНА 21"),
        ("38.9 / KALYNA / 21", "38.900 MHZ", "KALYNA / 21"),
    ],
)
def test_reads_line_2_as_frequency_and_call_sign(
    content: str, frequency: str, call_sign: str
) -> None:
    parsed = parse_nine_line(MINIMAL_TEXT.replace("38.9 / KALYNA 21", content))
    assert (parsed.frequency, parsed.call_sign) == (frequency, call_sign)


@pytest.mark.parametrize(
    "content", ["A2 B1", "a 2, b 1", "2A 1B", "A:2 B:1", "b1 a2", "A-2; B-1", "A2 B1 C0 D0 E0"]
)
def test_reads_line_3_counts_in_any_common_form(content: str) -> None:
    text = MINIMAL_TEXT.replace("3: B1", f"3: {content}").replace("5: L1", "5: L3")
    counts = parse_nine_line(text).patients_by_precedence
    assert dict(counts) == {
        Precedence.URGENT: 2,
        Precedence.URGENT_SURGICAL: 1,
        Precedence.PRIORITY: 0,
        Precedence.ROUTINE: 0,
        Precedence.CONVENIENCE: 0,
    }


@pytest.mark.parametrize(
    "content", ["L2 A1", "2L 1A", "L 2 A 1", "l2, a1", "A1 L2", "litter 2 ambulatory 1"]
)
def test_reads_line_5_counts_in_any_common_form(content: str) -> None:
    text = MINIMAL_TEXT.replace("3: B1", "3: B3").replace("5: L1", f"5: {content}")
    parsed = parse_nine_line(text)
    assert (parsed.litter, parsed.ambulatory) == (2, 1)


@pytest.mark.parametrize(
    ("content", "equipment"),
    [
        ("A", frozenset({Equipment.NONE})),
        ("none", frozenset({Equipment.NONE})),
        ("B D", frozenset({Equipment.HOIST, Equipment.VENTILATOR})),
        ("bd", frozenset({Equipment.HOIST, Equipment.VENTILATOR})),
        ("D, B", frozenset({Equipment.HOIST, Equipment.VENTILATOR})),
        ("C", frozenset({Equipment.EXTRACTION})),
    ],
)
def test_reads_line_4_equipment_letters(content: str, equipment: frozenset[Equipment]) -> None:
    assert parse_nine_line(with_line(4, content)).equipment == equipment


@pytest.mark.parametrize(
    ("content", "marking", "detail"),
    [
        ("A", Marking.PANELS, None),
        ("smoke", Marking.SMOKE, None),
        ("d", Marking.NONE, None),
        ("E", Marking.OTHER, None),
        ("E OTHER: ORANGE CLOTH", Marking.OTHER, "ORANGE CLOTH"),
        ("e - orange cloth", Marking.OTHER, "orange cloth"),
        ("E: orange cloth", Marking.OTHER, "orange cloth"),
        ("E orange cloth", Marking.OTHER, "orange cloth"),
        ("other: orange cloth", Marking.OTHER, "orange cloth"),
        ("E OTHER", Marking.OTHER, None),
    ],
)
def test_reads_line_7_marking_with_an_optional_description_for_e(
    content: str, marking: Marking, detail: str | None
) -> None:
    parsed = parse_nine_line(with_line(7, content))
    assert (parsed.marking, parsed.marking_detail) == (marking, detail)


@pytest.mark.parametrize("content", ["A1", "a 1", "1A", "A1 B0 C0 D0 E0"])
def test_reads_line_8_listing_only_the_non_zero_letters(content: str) -> None:
    counts = parse_nine_line(with_line(8, content)).patients_by_nationality
    assert counts is not None
    assert counts[Nationality.OWN_MILITARY] == 1
    assert sum(counts.values()) == 1


@pytest.mark.parametrize(
    ("content", "nbc", "terrain"),
    [
        ("NONE", frozenset(), None),
        ("nil", frozenset(), None),
        ("N C", frozenset({Nbc.NUCLEAR, Nbc.CHEMICAL}), None),
        ("n,b", frozenset({Nbc.NUCLEAR, Nbc.BIOLOGICAL}), None),
        ("NBC", frozenset(Nbc), None),
        ("TERRAIN: flat field, no wires", None, "flat field, no wires"),
        ("terrain - slope to the north", None, "slope to the north"),
    ],
)
def test_reads_line_9_as_nbc_or_terrain(
    content: str, nbc: frozenset[Nbc] | None, terrain: str | None
) -> None:
    parsed = parse_nine_line(with_line(9, content))
    assert (parsed.nbc, parsed.terrain) == (nbc, terrain)


@pytest.mark.parametrize("missing", [1, 2, 3, 5])
def test_refuses_a_request_missing_a_required_line(missing: int) -> None:
    lines = [line for line in MINIMAL_TEXT.splitlines() if not line.startswith(f"{missing}:")]
    error = refusal("\n".join(lines))
    assert (error.line, error.found) == (missing, "")
    assert f"line {missing} is required" in error.allowed


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6, 7, 8, 9])
def test_refuses_a_repeated_line(number: int) -> None:
    error = refusal(GOLDEN_TEXT + GOLDEN_TEXT.splitlines()[number - 1])
    assert error.line == number
    assert error.allowed == f"line {number} given once"


@pytest.mark.parametrize(
    "garbage", ["hello", "LINE 10: A", "0: A", "LINE: A", "37U DQ 45019 90123"]
)
def test_refuses_an_unlabelled_or_unknown_line_as_line_0(garbage: str) -> None:
    error = refusal(MINIMAL_TEXT + garbage)
    assert (error.line, error.found) == (0, garbage)
    assert "request" in str(error)
    assert "lines labelled 1 to 9" in error.allowed


@pytest.mark.parametrize(
    ("number", "content", "allowed"),
    [
        (1, "37U DQ 123", "an MGRS grid reference"),
        (2, "KALYNA 21", "FREQUENCY / CALL SIGN"),
        (2, "38.900 MHZ", "FREQUENCY / CALL SIGN"),
        (2, "1234567 / KALYNA", "a positive number"),
        (3, "B one", "patient counts by precedence A-E"),
        (3, "F1", "patient counts by precedence A-E"),
        (3, "A1 A2", "each letter once"),
        (3, "A1000", "at most 999"),
        (3, "A0", "at least one patient in total"),
        (4, "E", "one or more of A, B, C, D"),
        (4, "A B", "A (none) alone, or any of B, C, D"),
        (5, "L1 X1", "litter and ambulatory counts"),
        (5, "L2 A1", "litter + ambulatory equal to line 3's total, 1"),
        (6, "Q", "one of N, P, E, X"),
        (6, "N P", "one of N, P, E, X"),
        (7, "F", "one of A, B, C, D, E"),
        (7, "A red panel", "one of A, B, C, D, E"),
        (8, "A2", "counts adding up to line 3's total, 1"),
        (8, "G1", "patient counts by nationality A-E"),
        (9, "flat field", "NONE, one or more of N, B, C, or TERRAIN"),
        (9, "TERRAIN:", "a non-empty terrain description"),
    ],
)
def test_refuses_a_bad_line_naming_the_line_what_was_found_and_what_is_allowed(
    number: int, content: str, allowed: str
) -> None:
    lines = {int(line[0]): line for line in MINIMAL_TEXT.splitlines()}
    lines[number] = f"{number}: {content}"
    error = refusal("\n".join(lines.values()))
    assert (error.line, error.found) == (number, content)
    assert allowed in error.allowed
    assert f"line {number}: found {content!r}; allowed: " in str(error)


def test_reads_counts_with_thousands_of_leading_zeros_without_overflowing() -> None:
    text = MINIMAL_TEXT.replace("3: B1", "3: B" + "0" * 5000 + "1")
    assert parse_nine_line(text).total_patients == 1


def test_refuses_a_count_of_thousands_of_digits_as_line_3() -> None:
    assert refusal(MINIMAL_TEXT.replace("3: B1", "3: B" + "9" * 5000)).line == 3


def test_reports_the_first_bad_line_when_several_are_bad() -> None:
    error = refusal("6: Q\n1: nowhere\n2: 38.9 / K\n3: B1\n5: L1")
    assert error.line == 1


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nine_line_requests())
def test_parsing_an_encoded_request_gives_the_request_back(request: NineLineRequest) -> None:
    text = encode_nine_line(request)
    assert parse_nine_line(text) == request
    assert encode_nine_line(parse_nine_line(text)) == text
    assert len(text.splitlines()) <= 9


def parse_or_refuse(text: str) -> None:
    """Parse ``text``; only a NineLineError may escape, and what parses must re-encode stably."""
    try:
        parsed = parse_nine_line(text)
    except NineLineError:
        return
    assert parse_nine_line(encode_nine_line(parsed)) == parsed


@settings(deadline=None)
@given(st.text())
def test_arbitrary_text_only_ever_parses_or_raises_nine_line_error(text: str) -> None:
    parse_or_refuse(text)


label_like_lines = st.tuples(
    st.sampled_from(["LINE 1:", "2.", "L3", "4)", "5 -", "line 6:", "7:", "8.", "9:", "10:", ""]),
    st.text("ABCDELNPXT0123456789 ,.:-/MHZmhzOTHERNONE\t", max_size=25),
).map(" ".join)


@settings(deadline=None)
@given(st.lists(label_like_lines, max_size=12).map("\n".join))
def test_label_like_garbage_only_ever_parses_or_raises_nine_line_error(text: str) -> None:
    parse_or_refuse(text)


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """Draw a valid request's text with lines deleted, duplicated, garbled or swapped."""
    lines = encode_nine_line(draw(nine_line_requests())).splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1)) if lines else 0
        action = draw(st.sampled_from(["delete", "duplicate", "garble", "truncate", "insert"]))
        if action == "insert" or not lines:
            lines.insert(index, draw(st.text(max_size=30)))
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "garble":
            label, _, _ = lines[index].partition(": ")
            lines[index] = f"{label}: {draw(st.text(max_size=30))}"
        else:
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
    return "\n".join(lines)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_texts())
def test_mutated_valid_text_only_ever_parses_or_raises_nine_line_error(text: str) -> None:
    parse_or_refuse(text)


@given(nine_line_requests())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_the_compact_lines_are_the_standard_ones_without_spaces_or_zero_counts(
    request: NineLineRequest,
) -> None:
    """The SMS text's lines and the standard text's come from one place and say the same."""
    standard, compact = nine_line_texts(request), nine_line_texts(request, compact=True)
    assert standard.keys() == compact.keys()
    assert encode_nine_line(request).splitlines() == [
        f"LINE {number}: {standard[number]}" for number in sorted(standard)
    ]
    for number in (1, 4, 5):
        if number in standard:
            assert compact[number] == standard[number].replace(" ", "")
    for number in (3, 8):
        if number in standard:
            given_counts = [code for code in standard[number].split() if code[1:] != "0"]
            assert compact[number] == ("".join(given_counts) or "A0")
    for number in (2, 6, 7, 9):
        if number in standard:
            assert compact[number] == standard[number]
