"""Tests for ``goldenhour mgrs``, driving the command line in process."""

from __future__ import annotations

import json

import pytest

from cli_runner import CliResult
from cli_runner import goldenhour as run_goldenhour

KYIV_CENTRE = "50.450099122 30.523404139\n"


#: A wide, colourless terminal, so that help and error text are not wrapped or styled.
PLAIN_TERMINAL = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def goldenhour(*args: str) -> CliResult:
    return run_goldenhour(*args, env=PLAIN_TERMINAL)


class TestLatLonToMgrs:
    """``goldenhour mgrs LAT LON`` prints the MGRS reference."""

    def test_prints_the_1m_reference(self) -> None:
        """Kyiv converts to GeoConvert's 1 m reference."""
        result = goldenhour("mgrs", "50.4501", "30.5234")
        assert (result.returncode, result.stdout) == (0, "36UUA2418291607\n")

    @pytest.mark.parametrize(
        ("precision", "expected"),
        [
            ("1m", "36UUA2418291607\n"),
            ("10m", "36UUA24189160\n"),
            ("100m", "36UUA241916\n"),
            ("1km", "36UUA2491\n"),
            ("10km", "36UUA29\n"),
            ("100km", "36UUA\n"),
        ],
    )
    def test_prints_the_reference_at_the_precision_asked(
        self, precision: str, expected: str
    ) -> None:
        """``--precision`` truncates the digits to the square size asked for."""
        result = goldenhour("mgrs", "50.4501", "30.5234", "--precision", precision)
        assert (result.returncode, result.stdout) == (0, expected)

    def test_accepts_the_precision_before_the_coordinates(self) -> None:
        """The short option ``-p`` may come first."""
        result = goldenhour("mgrs", "-p", "1km", "50.4501", "30.5234")
        assert (result.returncode, result.stdout) == (0, "36UUA2491\n")

    def test_accepts_a_negative_latitude(self) -> None:
        """A southern latitude is read as a coordinate, not an option."""
        result = goldenhour("mgrs", "-33.9", "18.4")
        assert (result.returncode, result.stdout) == (0, "34HBH5958345888\n")

    def test_accepts_negative_coordinates_after_a_double_dash(self) -> None:
        """After ``--`` a latitude just south of 80S converts to a UPS reference."""
        result = goldenhour("mgrs", "--", "-80.00005", "0")
        assert (result.returncode, result.stdout) == (0, "BAZ0000012945\n")

    def test_prints_json(self) -> None:
        """``--json`` prints the reference, its precision and the input coordinates."""
        result = goldenhour("mgrs", "50.4501", "30.5234", "--precision", "1km", "--json")
        assert json.loads(result.stdout) == {
            "mgrs": "36UUA2491",
            "precision": "1km",
            "lat": 50.4501,
            "lon": 30.5234,
        }

    def test_refuses_a_latitude_out_of_range(self) -> None:
        """A latitude of 91 exits with code 2 and names ``lat`` on standard error."""
        result = goldenhour("mgrs", "91", "0")
        assert (result.returncode, result.stdout) == (2, "")
        assert "lat" in result.stderr

    def test_refuses_a_longitude_out_of_range(self) -> None:
        """A longitude of 181 exits with code 2 and names ``lon`` on standard error."""
        result = goldenhour("mgrs", "0", "181")
        assert (result.returncode, result.stdout) == (2, "")
        assert "lon" in result.stderr

    def test_refuses_an_unknown_precision(self) -> None:
        """A precision that is not a square size is refused with a usage error."""
        result = goldenhour("mgrs", "50.4501", "30.5234", "--precision", "5m")
        assert (result.returncode, result.stdout) == (2, "")


class TestMgrsToLatLon:
    """``goldenhour mgrs REF`` prints LAT LON of the square's centre."""

    @pytest.mark.parametrize(
        "ref",
        [
            ["36UUA2418291607"],
            ["36uua2418291607"],
            ["36U UA 24182 91607"],
            ["36U", "UA", "24182", "91607"],
            ["36u", "ua", "2418291607"],
        ],
        ids=["compact", "lower-case", "spaced", "separate-arguments", "mixed"],
    )
    def test_prints_the_centre_with_nine_decimals(self, ref: list[str]) -> None:
        """Any case and spacing reads back to GeoConvert's centre, to 9 decimals."""
        result = goldenhour("mgrs", *ref)
        assert (result.returncode, result.stdout) == (0, KYIV_CENTRE)

    def test_prints_the_centre_of_a_100km_square(self) -> None:
        """A 100 km square reads back to GeoConvert's centre of the square."""
        result = goldenhour("mgrs", "50ULU")
        assert (result.returncode, result.stdout) == (0, "48.285415778 114.977929028\n")

    def test_prints_json(self) -> None:
        """``--json`` prints the normalised reference, its precision and the centre."""
        result = goldenhour("mgrs", "--json", "36u ua 24182 91607")
        assert json.loads(result.stdout) == {
            "mgrs": "36UUA2418291607",
            "precision": "1m",
            "lat": 50.450099122,
            "lon": 30.523404139,
        }

    def test_refuses_garbage(self) -> None:
        """Text that is no reference exits with code 2 and names ``mgrs`` on standard error."""
        result = goldenhour("mgrs", "garbage")
        assert (result.returncode, result.stdout) == (2, "")
        assert "mgrs" in result.stderr

    def test_refuses_an_odd_number_of_digits(self) -> None:
        """Digits that do not split into easting and northing exit with code 2."""
        result = goldenhour("mgrs", "36U", "UA", "1234", "56789")
        assert (result.returncode, result.stdout) == (2, "")
        assert "mgrs" in result.stderr


def test_help_describes_both_directions() -> None:
    """``--help`` exits 0 and shows the arguments and the options."""
    result = goldenhour("mgrs", "--help")
    assert result.returncode == 0
    assert "LAT LON | REF" in result.stdout
    assert "--precision" in result.stdout
    assert "--json" in result.stdout
