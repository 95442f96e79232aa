"""Cross-check of MGRS conversion against GeographicLib's GeoConvert on seeded random points.

GeoConvert is the oracle (shared/reference/mgrs/README.md). It comes from the Debian package
``geographiclib-tools``, which ``scripts/bootstrap --test`` installs; without it these tests fail.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Iterable

import pytest

from goldenhour.domain.geo.mgrs import MgrsPrecision, mgrs_to_latlon, to_mgrs

SEED = 20_260_001

#: GeoConvert's centres are printed to 14 decimals (-g -p 9); both sides use Karney's series.
CENTRE_TOLERANCE_DEGREES = 1e-7

#: Just across an edge: 1e-7 degrees is about a centimetre.
NUDGE = 1e-7


def _rounded(lat: float, lon: float) -> tuple[float, float]:
    # Both converters must see the same double: feed each the value printed to 10 decimals.
    return float(f"{lat:.10f}"), float(f"{lon:.10f}")


def _world_points(rng: random.Random, count: int) -> list[tuple[float, float]]:
    return [_rounded(rng.uniform(-90.0, 90.0), rng.uniform(-180.0, 180.0)) for _ in range(count)]


def _ukraine_points(rng: random.Random, count: int) -> list[tuple[float, float]]:
    return [_rounded(rng.uniform(44.0, 53.0), rng.uniform(22.0, 41.0)) for _ in range(count)]


def _edge_points(rng: random.Random) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    # UTM zone edges every 6 degrees, on and either side of the edge, at a random latitude.
    for edge in range(-174, 180, 6):
        lat = rng.uniform(-80.0, 84.0)
        points += [(lat, edge - NUDGE), (lat, float(edge)), (lat, edge + NUDGE)]
    lat = rng.uniform(-80.0, 84.0)
    points += [(lat, -180.0), (lat, -180.0 + NUDGE), (lat, 180.0 - NUDGE), (lat, 180.0)]
    # Latitude band edges every 8 degrees from 80S to 72N, plus the UTM/UPS limits.
    for edge in [*range(-80, 80, 8), 84]:
        lon = rng.uniform(-180.0, 180.0)
        points += [(edge - NUDGE, lon), (float(edge), lon), (edge + NUDGE, lon)]
    # Norway (zone 32V, 56-64N from 3E) and Svalbard (band X: zones 31, 33, 35, 37).
    for lon in (3.0, 12.0):
        points += [(60.0, lon - NUDGE), (60.0, lon), (56.0, lon), (64.0 - NUDGE, lon)]
    for lon in (9.0, 21.0, 33.0, 42.0):
        points += [(78.0, lon - NUDGE), (78.0, lon), (72.0, lon), (84.0 - NUDGE, lon)]
    # Poles, equator, prime meridian and anti-meridian, and the Ukrainian zone edges.
    points += [(90.0, 0.0), (-90.0, 0.0), (0.0, 0.0), (0.0, -180.0), (0.0, 180.0)]
    points += [(48.0, lon) for lon in (24.0, 30.0, 36.0)]
    return [_rounded(lat, lon) for lat, lon in points]


def _points() -> list[tuple[float, float]]:
    rng = random.Random(SEED)
    return [*_world_points(rng, 120), *_ukraine_points(rng, 120), *_edge_points(rng)]


POINTS = _points()

#: References whose northing inside the 100 km square is zero on their band's lowest row, where
#: pygeodesy 26.10.26 alone adds 2,000 km too much; and 100 km squares cut by a band edge.
EDGE_REFERENCES = [
    "50ULU1234500000",
    "50ULU12345000",
    "50ULU123000",
    "50ULU1200",
    "50ULU10",
    "50ULU",
    "41VLC",
    "41VLC0000",
    "05KKP",
    "36UUA",
    "ZAH",
    "BAN",
    "ZAH0000000000",
    "BAN0000000000",
]


def precision_id(precision: MgrsPrecision) -> str:
    return precision.value


@pytest.fixture(scope="module")
def geoconvert() -> str:
    """Return the path of GeoConvert, failing (never skipping) when it is not installed."""
    path = shutil.which("GeoConvert")
    if path is None:
        pytest.fail(
            "GeoConvert not found on PATH: install geographiclib-tools "
            "(apt-get install geographiclib-tools, or run scripts/bootstrap --test)"
        )
    return path


def run_geoconvert(geoconvert: str, options: list[str], lines: Iterable[str]) -> list[str]:
    """Run GeoConvert once over all ``lines`` and return one output line per input line."""
    completed = subprocess.run(
        [geoconvert, *options],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return completed.stdout.splitlines()


def geoconvert_references(geoconvert: str, precision: MgrsPrecision) -> list[str]:
    """Return GeoConvert's reference for each of ``POINTS`` at ``precision``."""
    # GeoConvert --help, PRECISION: "For MGRS, the number of digits per coordinate is 5 + prec",
    # so -p 0 is 1 m and -p -5 is the 100 km square.
    options = ["-m", "-p", str(precision.digits - 5)]
    return run_geoconvert(geoconvert, options, (f"{lat:.10f} {lon:.10f}" for lat, lon in POINTS))


def geoconvert_centres(geoconvert: str, refs: list[str]) -> list[float]:
    """Return GeoConvert's centres of ``refs`` as one flat list: lat, lon, lat, lon..."""
    lines = run_geoconvert(geoconvert, ["-g", "-p", "9"], refs)
    return [float(number) for line in lines for number in line.split()]


def our_references(precision: MgrsPrecision) -> list[str]:
    return [to_mgrs(lat, lon, precision) for lat, lon in POINTS]


def our_centres(refs: list[str]) -> list[float]:
    return [number for ref in refs for number in mgrs_to_latlon(ref)]


def test_sample_holds_at_least_300_distinct_points() -> None:
    """The seeded sample covers the world, Ukraine and the edges with at least 300 points."""
    assert len(set(POINTS)) >= 300


def test_geoconvert_is_geographiclib(geoconvert: str) -> None:
    """The oracle on the path is GeographicLib's GeoConvert."""
    version = run_geoconvert(geoconvert, ["--version"], [])
    assert "GeoConvert: GeographicLib version " in version[0]


@pytest.mark.parametrize("precision", list(MgrsPrecision), ids=precision_id)
def test_references_match_geoconvert(geoconvert: str, precision: MgrsPrecision) -> None:
    """Every point converts to GeoConvert's reference at every precision, digits truncated."""
    expected = geoconvert_references(geoconvert, precision)
    assert list(zip(POINTS, our_references(precision), strict=True)) == list(
        zip(POINTS, expected, strict=True)
    )


@pytest.mark.parametrize("precision", list(MgrsPrecision), ids=precision_id)
def test_centres_match_geoconvert(geoconvert: str, precision: MgrsPrecision) -> None:
    """Every reference GeoConvert made reads back to GeoConvert's centre of the square."""
    refs = geoconvert_references(geoconvert, precision)
    assert our_centres(refs) == pytest.approx(
        geoconvert_centres(geoconvert, refs), abs=CENTRE_TOLERANCE_DEGREES
    )


@pytest.mark.parametrize("ref", EDGE_REFERENCES)
def test_edge_reference_centre_matches_geoconvert(geoconvert: str, ref: str) -> None:
    """A reference on a band's lowest row, or at a pole, reads back to GeoConvert's centre."""
    assert our_centres([ref]) == pytest.approx(
        geoconvert_centres(geoconvert, [ref]), abs=CENTRE_TOLERANCE_DEGREES
    )
