"""MGRS grid references to and from WGS84 latitude/longitude, following GeographicLib's rules.

pygeodesy implements the NGA rules exactly as GeographicLib's GeoConvert does, including the
Norway/Svalbard exceptions and the UPS polar zones (the PyPI ``mgrs`` package is wrong in a ~10 m
strip at the UTM/UPS limits, see shared/reference/mgrs/README.md). Digits are truncated, never
rounded, and a reference read back gives the centre of its square, as GeoConvert does.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum

from pygeodesy import MGRSError as _PygeodesyMGRSError
from pygeodesy import parseMGRS, toMgrs, toUtmUps8
from pygeodesy.ellipsoidalKarney import LatLon as _KarneyLatLon
from pygeodesy.ups import Ups
from pygeodesy.utm import Utm

from goldenhour.domain.errors import MgrsError

__all__ = [
    "MgrsPrecision",
    "MgrsReference",
    "format_mgrs",
    "mgrs_to_latlon",
    "parse_mgrs",
    "to_mgrs",
]


class MgrsPrecision(Enum):
    """How fine an MGRS reference is: the side of its square."""

    M1 = "1m"
    M10 = "10m"
    M100 = "100m"
    KM1 = "1km"
    KM10 = "10km"
    KM100 = "100km"

    @property
    def digits(self) -> int:
        """Return the digits per coordinate (5 at 1 m, 0 at 100 km)."""
        return int(_DIGITS[self])

    @property
    def metres(self) -> int:
        """Return the side of the square in metres."""
        return int(10 ** (5 - self.digits))

    @classmethod
    def from_digits(cls, digits: int) -> MgrsPrecision:
        """Return the precision that has ``digits`` digits per coordinate."""
        for precision, count in _DIGITS.items():
            if count == digits:
                return precision
        raise MgrsError("precision", f"{digits} digits per coordinate; allowed: 0 to 5")


_DIGITS: dict[MgrsPrecision, int] = {
    MgrsPrecision.M1: 5,
    MgrsPrecision.M10: 4,
    MgrsPrecision.M100: 3,
    MgrsPrecision.KM1: 2,
    MgrsPrecision.KM10: 1,
    MgrsPrecision.KM100: 0,
}

#: The false northing of the southern hemisphere: the equator, seen from the south (metres).
_EQUATOR_SOUTH = 10_000_000.0
#: Latitude bands C to M lie south of the equator, N to X north.
_LAST_SOUTHERN_BAND = "M"

# Grid zone (1-60 and a band letter, or A/B/Y/Z for UPS), 100 km square letters, then digits.
_REFERENCE = re.compile(
    r"^(?P<gzd>\d{1,2}[C-HJ-NP-X]|[ABYZ])(?P<square>[A-HJ-NP-Z]{2})(?P<digits>\d*)$"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class MgrsReference:
    """A parsed MGRS reference: its normalised text, precision and the centre of its square."""

    text: str
    precision: MgrsPrecision
    lat: float
    lon: float

    def spaced(self) -> str:
        """Return the reference spaced for reading aloud: ``37U DQ 12345 67890``."""
        return format_mgrs(self.text, spaced=True)


def _check_latlon(lat: float, lon: float) -> None:
    if not isinstance(lat, int | float) or not math.isfinite(lat) or not -90.0 <= lat <= 90.0:
        raise MgrsError("lat", f"{lat!r} is not a latitude between -90 and 90 degrees")
    if not isinstance(lon, int | float) or not math.isfinite(lon) or not -180.0 <= lon <= 180.0:
        raise MgrsError("lon", f"{lon!r} is not a longitude between -180 and 180 degrees")


def to_mgrs(lat: float, lon: float, precision: MgrsPrecision = MgrsPrecision.M1) -> str:
    """Convert WGS84 latitude/longitude to an MGRS reference, digits truncated (no spaces).

    Raises ``MgrsError`` for a latitude or longitude out of range.

    >>> to_mgrs(50.4501, 30.5234)
    '36UUA2418291607'
    """
    _check_latlon(lat, lon)
    quick = _quick_reference(float(lat), float(lon), precision)
    return quick if quick is not None else _exact_reference(lat, lon, precision)


def _exact_reference(lat: float, lon: float, precision: MgrsPrecision) -> str:
    # In exact arithmetic (pygeodesy's Fsum): milliseconds a point.
    utm_ups = _southern_edge_below_the_equator(toUtmUps8(_KarneyLatLon(lat, lon)))
    grid = toMgrs(_polar_band_by_easting(utm_ups))
    # pygeodesy's prec is the negated power of ten of the square side: 0 is 1 m, -5 is 100 km.
    text: str = grid.toStr(prec=precision.digits - 5, sep="")
    return text


#: WGS84, and the UTM scale on the central meridian.
_A, _F, _K0 = 6_378_137.0, 1 / 298.257223563, 0.9996
_E = math.sqrt(_F * (2 - _F))
_N = _F / (2 - _F)
#: Krüger's series to the sixth order in n (Karney 2011, "Transverse Mercator with an accuracy
#: of a few nanometers", eq. 35): the rectifying radius and the coefficients of the forward map.
_RECTIFYING = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64 + _N**6 / 256)
_ALPHA = (
    _N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16 + 41 * _N**4 / 180 - 127 * _N**5 / 288
    + 7891 * _N**6 / 37800,
    13 * _N**2 / 48 - 3 * _N**3 / 5 + 557 * _N**4 / 1440 + 281 * _N**5 / 630
    - 1983433 * _N**6 / 1935360,
    61 * _N**3 / 240 - 103 * _N**4 / 140 + 15061 * _N**5 / 26880 + 167603 * _N**6 / 181440,
    49561 * _N**4 / 161280 - 179 * _N**5 / 168 + 6601661 * _N**6 / 7257600,
    34729 * _N**5 / 80640 - 3418889 * _N**6 / 1995840,
    212378941 * _N**6 / 319334400,
)  # fmt: skip
_BANDS = "CDEFGHJKLMNPQRSTUVWX"
_COLUMNS = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")
_ROWS = "ABCDEFGHJKLMNPQRSTUV"
#: How close (metres, degrees) a point may come to a line where its reference changes before
#: the quick path leaves it to the exact one. The series in floating point is off by well under
#: a micrometre in a UTM zone; these margins are a thousand times that and more.
_MARGIN_METRES = 0.001
_MARGIN_DEGREES = 1e-6


def _quick_reference(lat: float, lon: float, precision: MgrsPrecision) -> str | None:
    """Return the reference by the series in floating point, or None where it might differ.

    The exact projection takes milliseconds a point, which a rebuild of the registry pays for
    every casualty. The series is exact to nanometres inside a UTM zone, so the reference it
    gives is the exact one unless the point lies within a millimetre of a line of its square
    (then the digits could differ), near a zone or band edge or the equator, or where the
    grid has exceptions (Norway, Svalbard, the polar UPS zones): there it answers None.
    """
    if not -79.5 < lat < 71.5 or (55.5 < lat < 64.5 and -0.5 < lon < 12.5):
        return None
    if abs(lat) < _MARGIN_DEGREES or _near_multiple(lat + 80, 8, _MARGIN_DEGREES):
        return None
    if _near_multiple(lon + 180, 6, _MARGIN_DEGREES) or lon >= 180 - _MARGIN_DEGREES:
        return None
    zone = int((lon + 180) // 6) + 1
    easting, northing = _utm(lat, lon - (zone * 6 - 183))
    if lat < 0:
        northing += _EQUATOR_SOUTH
    side = float(precision.metres)
    if _near_multiple(easting, side, _MARGIN_METRES):
        return None
    if _near_multiple(northing, side, _MARGIN_METRES):
        return None
    column = _COLUMNS[(zone - 1) % 3][int(easting // 100_000) - 1]
    row = _ROWS[(int(northing // 100_000) + (5 if zone % 2 == 0 else 0)) % 20]
    band = _BANDS[int((lat + 80) // 8)]
    digits = precision.digits
    inside_e = int(easting % 100_000 // side)
    inside_n = int(northing % 100_000 // side)
    figures = f"{inside_e:0{digits}d}{inside_n:0{digits}d}" if digits else ""
    return f"{zone:02d}{band}{column}{row}{figures}"


def _near_multiple(value: float, step: float, margin: float) -> bool:
    left = value % step
    return left < margin or step - left < margin


def _utm(lat: float, lon_from_centre: float) -> tuple[float, float]:
    """Return the false easting and the northing (north of the equator) of a point."""
    phi, lam = math.radians(lat), math.radians(lon_from_centre)
    tau = math.tan(phi)
    sigma = math.sinh(_E * math.atanh(_E * tau / math.hypot(1.0, tau)))
    tau_c = tau * math.hypot(1.0, sigma) - sigma * math.hypot(1.0, tau)
    xi_c = math.atan2(tau_c, math.cos(lam))
    eta_c = math.asinh(math.sin(lam) / math.hypot(tau_c, math.cos(lam)))
    xi, eta = xi_c, eta_c
    for j, alpha in enumerate(_ALPHA, start=1):
        xi += alpha * math.sin(2 * j * xi_c) * math.cosh(2 * j * eta_c)
        eta += alpha * math.cos(2 * j * xi_c) * math.sinh(2 * j * eta_c)
    return 500_000.0 + _K0 * _RECTIFYING * eta, _K0 * _RECTIFYING * xi


def _southern_edge_below_the_equator(grid: Utm | Ups) -> Utm | Ups:
    # A latitude a hair south of the equator (-7e-15) comes back from the projection with a
    # northing of exactly 10,000,000, the equator itself, and (below about -1e-15) band N:
    # written as it was it named row A of band M, 2,000 km south (31MAA6600, read back at
    # 18S), or band N's row V, 2,000 km north. GeoConvert keeps every negative latitude just
    # below the equator in band M (31MAV6699), and so do we.
    if isinstance(grid, Ups) or grid.hemisphere != "S" or grid.northing < _EQUATOR_SOUTH:
        return grid
    below = math.nextafter(_EQUATOR_SOUTH, 0.0)
    band = min(grid.band, _LAST_SOUTHERN_BAND)
    return Utm(grid.zone, "S", grid.easting, below, band=band, datum=grid.datum)


def _polar_band_by_easting(grid: Utm | Ups) -> Utm | Ups:
    # GeographicLib picks the UPS band (A/B south, Y/Z north) by easting; pygeodesy picks it by
    # the longitude's sign. A point a hair west of the dividing meridian (88N 179.99999999999997W)
    # whose easting rounds to 2,000,000 then got the western band with the eastern square's
    # digits: YZK0000022069 instead of GeoConvert's ZAK0000022069, 100 km away.
    if not isinstance(grid, Ups):
        return grid
    west = grid.easting < 2_000_000
    band = ("A" if west else "B") if grid.pole == "S" else ("Y" if west else "Z")
    if band == grid.band:
        return grid
    return Ups(grid.zone, grid.pole, grid.easting, grid.northing, band=band)


def _normalise(ref: str) -> str:
    if not isinstance(ref, str):
        raise MgrsError("mgrs", f"{ref!r} is not text")
    compact = re.sub(r"\s+", "", ref).upper()
    if not compact:
        raise MgrsError("mgrs", "empty reference")
    return compact


def parse_mgrs(ref: str) -> MgrsReference:
    """Parse an MGRS reference (any case, spaces allowed) into its square's centre.

    Raises ``MgrsError`` naming what is wrong: the grid zone, the square letters or the digits.

    >>> parse_mgrs("36u ua 24182 91607").text
    '36UUA2418291607'
    """
    compact = _normalise(ref)
    match = _REFERENCE.match(compact)
    if match is None:
        raise MgrsError(
            "mgrs",
            f"{ref!r} is not an MGRS reference; expected a grid zone (e.g. 37U), two square "
            "letters and an even number of digits, e.g. 37U DQ 12345 67890",
        )
    digits = match["digits"]
    if len(digits) % 2 or len(digits) > 10:
        raise MgrsError(
            "mgrs", f"{ref!r} has {len(digits)} digits; expected an even number from 0 to 10"
        )
    gzd = match["gzd"]
    if gzd[0].isdigit() and not 1 <= int(gzd[:-1]) <= 60:
        raise MgrsError("mgrs", f"zone {gzd[:-1]} in {ref!r} is not between 1 and 60")
    precision = MgrsPrecision.from_digits(len(digits) // 2)
    try:
        centre = _centre_of_square(gzd + match["square"], digits)
    except (_PygeodesyMGRSError, ValueError) as error:
        raise MgrsError("mgrs", f"{ref!r} is not a valid square: {error}") from error
    return MgrsReference(
        text=_canonical(compact, gzd), precision=precision, lat=centre.lat, lon=centre.lon
    )


def _canonical(compact: str, gzd: str) -> str:
    # GeoConvert writes zones 1-9 with a leading zero (01CDM…); so do we, in both directions.
    if gzd[0].isdigit() and len(gzd) == 2:
        return "0" + compact
    return compact


def _centre_of_square(zone_square: str, digits: str) -> _KarneyLatLon:
    # The centre of a square is the south-west corner of its child square "5" "5" (one digit
    # finer per coordinate). Reading that corner, rather than asking pygeodesy for the centre,
    # avoids a pygeodesy 26.10.26 bug: when the northing inside the 100 km square is exactly 0
    # and the square is in its band's lowest 100 km row, it adds one 2,000 km block too many
    # (50ULU1234500000 and the 100 km square 50ULU came back near 65.8N instead of 47.8N).
    half = len(digits) // 2
    child = f"{zone_square}{digits[:half]}5{digits[half:]}5"
    centre: _KarneyLatLon = parseMGRS(child).toLatLon(_KarneyLatLon, center=False)
    return centre


def mgrs_to_latlon(ref: str) -> tuple[float, float]:
    """Return ``(lat, lon)`` of the centre of the square an MGRS reference names."""
    parsed = parse_mgrs(ref)
    return parsed.lat, parsed.lon


def format_mgrs(ref: str, *, spaced: bool = True) -> str:
    """Return a reference normalised: upper case, spaced as ``37U DQ 12345 67890`` or compact."""
    compact = _normalise(ref)
    match = _REFERENCE.match(compact)
    if match is None or len(match["digits"]) % 2:
        raise MgrsError("mgrs", f"{ref!r} is not an MGRS reference")
    if not spaced:
        return compact
    digits = match["digits"]
    half = len(digits) // 2
    parts = [match["gzd"], match["square"], digits[:half], digits[half:]]
    return " ".join(part for part in parts if part)
