"""Tests for ``goldenhour nineline``, run through the installed console script (errors exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

from goldenhour.domain.medevac.nine_line_text import parse_nine_line

from cli_runner import goldenhour

HAND_TYPED = """\
line 1 - 37u dq 4501990123
L2: 38.9mhz / KALYNA 21
3) b1
4. a
5:  1L  0A
6: e
7: e orange cloth
8: A1
9: none
"""

NORMALISED = """\
LINE 1: 37U DQ 45019 90123
LINE 2: 38.900 MHZ / KALYNA 21
LINE 3: A0 B1 C0 D0 E0
LINE 4: A
LINE 5: L1 A0
LINE 6: E
LINE 7: E OTHER: orange cloth
LINE 8: A1 B0 C0 D0 E0
LINE 9: NONE
"""


def test_parse_prints_a_good_file_normalised(tmp_path: Path) -> None:
    path = tmp_path / "request.txt"
    path.write_text(HAND_TYPED, encoding="utf-8")
    result = goldenhour("nineline", "parse", str(path))
    assert (result.returncode, result.stdout, result.stderr) == (0, NORMALISED, "")


def test_parse_reads_standard_input_when_given_a_dash() -> None:
    result = goldenhour("nineline", "parse", "-", stdin=HAND_TYPED)
    assert (result.returncode, result.stdout) == (0, NORMALISED)


def test_parse_refuses_a_garbled_line_6_with_exit_code_2_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "request.txt"
    path.write_text(HAND_TYPED.replace("6: e", "6: enemy maybe"), encoding="utf-8")
    result = goldenhour("nineline", "parse", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "line 6" in result.stderr
    assert "'enemy maybe'" in result.stderr
    assert "one of N, P, E, X" in result.stderr


def test_parse_refuses_a_missing_file_with_exit_code_2(tmp_path: Path) -> None:
    result = goldenhour("nineline", "parse", str(tmp_path / "absent.txt"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_parse_json_prints_codes_counts_and_meanings() -> None:
    result = goldenhour("nineline", "parse", "-", "--json", stdin=HAND_TYPED)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["location"] == "37UDQ4501990123"
    assert data["location_spaced"] == "37U DQ 45019 90123"
    assert (data["frequency"], data["call_sign"]) == ("38.900 MHZ", "KALYNA 21")
    assert data["patients_by_precedence"] == {"A": 0, "B": 1, "C": 0, "D": 0, "E": 0}
    assert data["equipment"] == [{"code": "A", "meaning": "none"}]
    assert (data["litter"], data["ambulatory"], data["total_patients"]) == (1, 0, 1)
    assert data["security"]["code"] == "E"
    assert data["marking"] == {"code": "E", "meaning": "other"}
    assert data["marking_detail"] == "orange cloth"
    assert data["patients_by_nationality"] == {"A": 1, "B": 0, "C": 0, "D": 0, "E": 0}
    assert (data["nbc"], data["terrain"]) == ([], None)


def test_example_prints_a_request_that_parses_back_unchanged() -> None:
    result = goldenhour("nineline", "example")
    assert result.returncode == 0
    assert result.stdout.startswith("LINE 1: ")
    again = goldenhour("nineline", "parse", "-", stdin=result.stdout)
    assert (again.returncode, again.stdout) == (0, result.stdout)
    assert parse_nine_line(result.stdout).total_patients == 3


def test_example_json_parses() -> None:
    result = goldenhour("nineline", "example", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["call_sign"] == "KALYNA 21"
