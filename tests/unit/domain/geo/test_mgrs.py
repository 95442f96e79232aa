"""Tests for MGRS conversion: the GeoConvert reference table, round-trip properties and errors."""

from __future__ import annotations

import contextlib
import csv
import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from goldenhour.domain.errors import MgrsError, ValidationError
from goldenhour.domain.geo.mgrs import (
    MgrsPrecision,
    MgrsReference,
    format_mgrs,
    mgrs_to_latlon,
    parse_mgrs,
    to_mgrs,
)

# GeoConvert's own conversions, kept with the tests (tests/data/README.md says how to remake it).
REFERENCE_TSV = Path(__file__).resolve().parents[3] / "data" / "mgrs" / "geoconvert-reference.tsv"

#: The table prints 9 decimals; GeoConvert's centres are exact to far better than this.
CENTRE_TOLERANCE_DEGREES = 1e-8

#: Beyond this latitude a 1 m square's centre is within metres of the pole: longitude is arbitrary.
POLE_LATITUDE = 89.9999

#: The cell's half-diagonal is measured on the grid; on the ground it is longer by at most
#: 1 / (the smallest grid scale factor), 0.994 at the UPS poles (0.9996 on UTM central meridians).
GRID_SCALE_ALLOWANCE = 1.01

COARSER_PRECISIONS = [precision for precision in MgrsPrecision if precision is not MgrsPrecision.M1]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceRow:
    """One GeoConvert conversion from the reference table."""

    id: str
    category: str
    lat: float
    lon: float
    mgrs_1m: str
    lat_center: float
    lon_center: float


def read_reference_rows() -> list[ReferenceRow]:
    with REFERENCE_TSV.open(newline="", encoding="utf-8") as table:
        return [
            ReferenceRow(
                id=row["id"],
                category=row["category"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                mgrs_1m=row["mgrs_1m"],
                lat_center=float(row["lat_center"]),
                lon_center=float(row["lon_center"]),
            )
            for row in csv.DictReader(table, delimiter="\t")
        ]


ROWS = read_reference_rows()
POLE_ROWS = [row for row in ROWS if abs(row.lat) > POLE_LATITUDE]
NON_POLE_ROWS = [row for row in ROWS if abs(row.lat) <= POLE_LATITUDE]


def row_id(row: ReferenceRow) -> str:
    return f"{row.id}-{row.category}"


def precision_id(value: object) -> str | None:
    """Name a precision parameter by its value (``1km``); leave other parameters to pytest."""
    return value.value if isinstance(value, MgrsPrecision) else None


def spaced(ref_1m: str) -> str:
    """Space a 1 m reference as read aloud: zone, square, easting, northing."""
    return f"{ref_1m[:-12]} {ref_1m[-12:-10]} {ref_1m[-10:-5]} {ref_1m[-5:]}"


def truncated(ref_1m: str, digits: int) -> str:
    """Cut each coordinate of a 1 m reference to its first ``digits`` digits."""
    return ref_1m[:-10] + ref_1m[-10:-5][:digits] + ref_1m[-5:][:digits]


def grid_zone(ref: str, precision: MgrsPrecision) -> str:
    """Return the grid zone designation (zone and band, or the UPS letter) of a reference."""
    return ref[: len(ref) - 2 - 2 * precision.digits]


def ground_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the WGS84 geodesic distance in metres."""
    distance: float = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]
    return distance


def half_diagonal(precision: MgrsPrecision) -> float:
    return precision.metres * math.sqrt(2) / 2 * GRID_SCALE_ALLOWANCE


def refusal(ref: object) -> MgrsError:
    with pytest.raises(MgrsError) as caught:
        parse_mgrs(ref)  # type: ignore[arg-type]
    return caught.value


def coordinate_refusal(lat: float, lon: float) -> MgrsError:
    with pytest.raises(MgrsError) as caught:
        to_mgrs(lat, lon)
    return caught.value


class TestReferenceTable:
    """Every row of GeoConvert's reference table converts both ways as GeoConvert does."""

    def test_table_has_every_row(self) -> None:
        """The table is read whole: 220 rows, two of them at the poles."""
        assert (len(ROWS), len(POLE_ROWS)) == (220, 2)

    @pytest.mark.parametrize("row", ROWS, ids=row_id)
    def test_converts_to_the_1m_reference(self, row: ReferenceRow) -> None:
        """The 1 m reference equals GeoConvert's, digits truncated."""
        assert to_mgrs(row.lat, row.lon) == row.mgrs_1m

    @pytest.mark.parametrize("row", NON_POLE_ROWS, ids=row_id)
    def test_reads_back_the_centre_of_the_square(self, row: ReferenceRow) -> None:
        """The 1 m reference reads back as the centre of its square, as GeoConvert's does."""
        parsed = parse_mgrs(row.mgrs_1m)
        assert (parsed.lat, parsed.lon) == pytest.approx(
            (row.lat_center, row.lon_center), abs=CENTRE_TOLERANCE_DEGREES
        )

    @pytest.mark.parametrize("row", POLE_ROWS, ids=row_id)
    def test_reads_back_the_latitude_of_a_square_at_the_pole(self, row: ReferenceRow) -> None:
        """At a pole the centre's latitude matches GeoConvert's; its longitude is arbitrary."""
        assert parse_mgrs(row.mgrs_1m).lat == pytest.approx(
            row.lat_center, abs=CENTRE_TOLERANCE_DEGREES
        )

    @pytest.mark.parametrize("row", ROWS, ids=row_id)
    def test_reads_lower_case_as_upper_case(self, row: ReferenceRow) -> None:
        """A lower-case reference reads as the same square."""
        assert parse_mgrs(row.mgrs_1m.lower()) == parse_mgrs(row.mgrs_1m)

    @pytest.mark.parametrize("row", ROWS, ids=row_id)
    def test_reads_a_spaced_reference_as_the_compact_one(self, row: ReferenceRow) -> None:
        """A reference spaced as read aloud reads as the same square."""
        assert parse_mgrs(spaced(row.mgrs_1m)) == parse_mgrs(row.mgrs_1m)

    @pytest.mark.parametrize("row", ROWS, ids=row_id)
    def test_reads_a_spaced_lower_case_reference_with_stray_whitespace(
        self, row: ReferenceRow
    ) -> None:
        """Tabs, doubled and surrounding spaces and lower case are all accepted."""
        messy = "\t " + spaced(row.mgrs_1m).lower().replace(" ", "  ") + " \n"
        assert parse_mgrs(messy) == parse_mgrs(row.mgrs_1m)

    @pytest.mark.parametrize("precision", COARSER_PRECISIONS, ids=precision_id)
    @pytest.mark.parametrize("row", ROWS, ids=row_id)
    def test_coarser_precision_truncates_the_1m_digits(
        self, row: ReferenceRow, precision: MgrsPrecision
    ) -> None:
        """A coarser reference is the 1 m one with each coordinate's digits cut, never rounded."""
        assert to_mgrs(row.lat, row.lon, precision) == truncated(row.mgrs_1m, precision.digits)


class TestToMgrs:
    """Latitude/longitude to an MGRS reference."""

    def test_converts_kyiv(self) -> None:
        """Kyiv's Maidan converts to GeoConvert's 1 m reference."""
        assert to_mgrs(50.4501, 30.5234) == "36UUA2418291607"

    @pytest.mark.parametrize(
        ("precision", "expected"),
        [
            (MgrsPrecision.M1, "36UUA2418291607"),
            (MgrsPrecision.M10, "36UUA24189160"),
            (MgrsPrecision.M100, "36UUA241916"),
            (MgrsPrecision.KM1, "36UUA2491"),
            (MgrsPrecision.KM10, "36UUA29"),
            (MgrsPrecision.KM100, "36UUA"),
        ],
        ids=precision_id,
    )
    def test_converts_at_each_precision(self, precision: MgrsPrecision, expected: str) -> None:
        """Each precision keeps its number of digits per coordinate."""
        assert to_mgrs(50.4501, 30.5234, precision) == expected

    @pytest.mark.parametrize(
        ("lat", "lon", "expected"),
        [
            # GeoConvert -m (GeographicLib 2.1.2), longitudes written out in decimals.
            (88.0, -179.99999999999997, "ZAK0000022069"),
            (88.0, -180.0, "ZAK0000022069"),
            (85.0, -1e-20, "ZAB0000044542"),
            (-85.0, -1e-21, "BAT0000055457"),
            (-85.0, -0.0, "BAT0000055457"),
        ],
    )
    def test_takes_the_polar_band_from_the_easting(
        self, lat: float, lon: float, expected: str
    ) -> None:
        """A point a hair west of the UPS dividing meridian, at easting 2,000,000, is east."""
        assert to_mgrs(lat, lon) == expected

    @pytest.mark.parametrize(
        ("lat", "lon", "expected"),
        [
            # GeoConvert -m -p 0 (GeographicLib 2.1.2): kept just south of the equator.
            (-7.343402663421461e-15, 0.0, "31MAV6602199999"),
            (-1e-9, 0.0, "31MAV6602199999"),
            (-1e-70, 0.0, "31MAV6602199999"),
            (-1e-180, 0.0, "31MAV6602199999"),
        ],
    )
    def test_keeps_a_point_a_hair_south_of_the_equator_in_its_band(
        self, lat: float, lon: float, expected: str
    ) -> None:
        """A northing of exactly 10,000,000 south is the band's top row, not row A 2,000 km
        south (found by the round-trip property: 31MAA66021 read back at 18S)."""
        assert to_mgrs(lat, lon) == expected
        assert abs(parse_mgrs(to_mgrs(lat, lon, MgrsPrecision.KM1)).lat) < 0.01

    @pytest.mark.parametrize(
        ("lat", "lon", "field"),
        [
            (90.000001, 0.0, "lat"),
            (-91.0, 0.0, "lat"),
            (math.nan, 0.0, "lat"),
            (math.inf, 0.0, "lat"),
            (-math.inf, 0.0, "lat"),
            (0.0, 180.000001, "lon"),
            (0.0, -181.0, "lon"),
            (0.0, math.nan, "lon"),
            (0.0, math.inf, "lon"),
            (0.0, -math.inf, "lon"),
        ],
    )
    def test_refuses_a_coordinate_out_of_range(self, lat: float, lon: float, field: str) -> None:
        """A latitude or longitude out of range, NaN or infinite is refused, naming the field."""
        assert coordinate_refusal(lat, lon).field == field


class TestParseMgrs:
    """An MGRS reference to the centre of its square."""

    def test_reads_kyiv(self) -> None:
        """A spaced lower-case reference reads back as its normalised text, precision and centre."""
        assert parse_mgrs("36u ua 24182 91607") == MgrsReference(
            text="36UUA2418291607",
            precision=MgrsPrecision.M1,
            lat=pytest.approx(50.450099122, abs=CENTRE_TOLERANCE_DEGREES),  # type: ignore[arg-type]
            lon=pytest.approx(30.523404139, abs=CENTRE_TOLERANCE_DEGREES),  # type: ignore[arg-type]
        )

    @pytest.mark.parametrize(
        ("ref", "lat", "lon"),
        [
            # GeoConvert -g -p 9 (GeographicLib 2.1.2) on each reference.
            ("50ULU1234500000", 47.82595951340, 114.49271566585),
            ("50ULU1200", 47.83049449192, 114.49456171058),
            ("50ULU", 48.28541577790, 114.97792902761),
            ("41VLC", 56.37082179788, 60.57132918928),
            ("36UUA", 50.08331868087, 30.90328082804),
            ("ZAH", 89.36310980640, 135.0),
        ],
    )
    def test_reads_a_square_on_the_lowest_row_of_its_band(
        self, ref: str, lat: float, lon: float
    ) -> None:
        """A northing of zero on a band's lowest 100 km row is not pushed 2,000 km north."""
        assert mgrs_to_latlon(ref) == pytest.approx((lat, lon), abs=1e-9)

    def test_reads_the_north_pole(self) -> None:
        """The 1 m square at the north pole reads back as GeoConvert's centre latitude."""
        assert parse_mgrs("ZAH0000000000").lat == pytest.approx(89.999993631, abs=1e-9)

    def test_reads_the_precision_from_the_digits(self) -> None:
        """Four digits per coordinate make a 10 m reference."""
        assert parse_mgrs("36UUA24189160").precision is MgrsPrecision.M10

    @pytest.mark.parametrize(
        "ref",
        [
            "",
            "   ",
            "XYZ",
            "99UUA11",
            "0UUA11",
            "36UUA123",
            "36UUA12345678901",
            "36U UA 1234 56789",
            "36IUA1234",
            "36UIA1234",
            "36UUO1234",
            "31UZZ",
            "YAA",
            "36UUA12-34",
        ],
    )
    def test_refuses_a_malformed_reference(self, ref: str) -> None:
        """A malformed reference is refused, naming the field ``mgrs``."""
        assert refusal(ref).field == "mgrs"

    @pytest.mark.parametrize("ref", [None, 36, 36.5, b"36UUA2418291607", ["36UUA2418291607"]])
    def test_refuses_a_reference_that_is_not_text(self, ref: object) -> None:
        """Anything but a string is refused, naming the field ``mgrs``."""
        assert refusal(ref).field == "mgrs"

    def test_refusal_is_a_validation_error_and_a_value_error(self) -> None:
        """Callers may catch the refusal as ``ValidationError`` or as ``ValueError``."""
        assert isinstance(refusal("XYZ"), ValidationError)
        assert isinstance(refusal("XYZ"), ValueError)


class TestFormatMgrs:
    """Normalising the text of a reference."""

    def test_spaces_a_compact_reference(self) -> None:
        """A compact lower-case reference is spaced in upper case."""
        assert format_mgrs("36uua2418291607") == "36U UA 24182 91607"

    def test_compacts_a_spaced_reference(self) -> None:
        """A spaced reference is written without spaces."""
        assert format_mgrs("36U UA 24182 91607", spaced=False) == "36UUA2418291607"

    def test_spaces_a_parsed_reference(self) -> None:
        """A parsed reference spaces itself for reading aloud."""
        assert parse_mgrs("36uua2491").spaced() == "36U UA 24 91"


utm_latitudes = st.floats(min_value=-80.0, max_value=84.0, exclude_max=True)
north_ups_latitudes = st.floats(min_value=84.0, max_value=90.0)
south_ups_latitudes = st.floats(min_value=-90.0, max_value=-80.0, exclude_max=True)
longitudes = st.floats(min_value=-180.0, max_value=180.0, exclude_max=True)
LATITUDE_REGIONS = {
    "utm": utm_latitudes,
    "ups-north": north_ups_latitudes,
    "ups-south": south_ups_latitudes,
}

# pygeodesy's first call builds its tables; one slow example must not fail the property.
round_trip_settings = settings(deadline=None, max_examples=60)


@pytest.mark.parametrize("precision", list(MgrsPrecision), ids=precision_id)
@pytest.mark.parametrize("region", list(LATITUDE_REGIONS))
class TestRoundTrip:
    """A point's reference reads back as a centre inside the same square."""

    @round_trip_settings
    @given(data=st.data())
    def test_centre_is_within_half_a_diagonal_of_the_point(
        self, region: str, precision: MgrsPrecision, data: st.DataObject
    ) -> None:
        """The centre is no farther from the point than half the square's diagonal."""
        lat = data.draw(LATITUDE_REGIONS[region], label="lat")
        lon = data.draw(longitudes, label="lon")
        centre = parse_mgrs(to_mgrs(lat, lon, precision))
        assert ground_distance(lat, lon, centre.lat, centre.lon) <= half_diagonal(precision)

    @round_trip_settings
    @given(data=st.data())
    def test_centre_converts_back_to_the_same_reference(
        self, region: str, precision: MgrsPrecision, data: st.DataObject
    ) -> None:
        """The centre converts to the same reference, unless a zone or band edge cuts the square.

        A square cut by a grid-zone or band edge (or the UTM/UPS limit) has its centre across
        that edge, in another grid zone, exactly as GeoConvert's does; such draws are skipped
        here and covered by the distance property and the GeoConvert cross-check.
        """
        lat = data.draw(LATITUDE_REGIONS[region], label="lat")
        lon = data.draw(longitudes, label="lon")
        ref = to_mgrs(lat, lon, precision)
        centre = parse_mgrs(ref)
        back = to_mgrs(centre.lat, centre.lon, precision)
        assume(grid_zone(back, precision) == grid_zone(ref, precision))
        assert (back, centre.text, centre.precision) == (ref, ref, precision)


def test_centre_of_a_square_cut_by_a_band_edge_lies_in_the_next_band() -> None:
    """A 100 m square straddling 40°S reads back to a centre in band H, as GeoConvert's does."""
    centre = parse_mgrs(to_mgrs(-40.000030906964696, -71.47475680525372, MgrsPrecision.M100))
    assert (centre.text, to_mgrs(centre.lat, centre.lon, MgrsPrecision.M100)) == (
        "19GBR887693",
        "19HBR887693",
    )


mgrs_like_text = st.from_regex(
    r"\A\s?[0-9]{0,3}\s?[A-Za-z]{0,4}\s?[0-9]{0,12}\s?[0-9]{0,6}\s?\Z", fullmatch=True
)


@settings(deadline=None, max_examples=300)
@given(text=st.one_of(st.text(), mgrs_like_text))
def test_parsing_any_text_returns_a_reference_or_raises_mgrs_error(text: str) -> None:
    """Arbitrary text either parses or raises ``MgrsError``; never another exception."""
    with contextlib.suppress(MgrsError):
        parse_mgrs(text)
