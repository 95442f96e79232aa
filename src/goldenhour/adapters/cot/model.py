"""What a CoT event is (its envelope) and what it means to Golden Hour (its meaning).

The envelope mirrors the CoT 2.0 ``<event>``: uid, type, how, times, ``<point>``, and the
``<detail>`` children every event may carry (``contact@callsign``, ``remarks``, ``link``).
Detail children no meaning owns are kept verbatim in ``other_detail`` so that an event written
back is read by ATAK the same way (icons, colours, archive flags, flow tags...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from goldenhour.adapters.cot.errors import CotError
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line import NineLineRequest

#: What CoT writes for an unknown height or error (CoT 2.0 schema: 9999999.0 means "unknown").
UNKNOWN = 9_999_999.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CotPoint:
    """The event's ``<point>``: WGS84 degrees, height above ellipsoid and errors in metres."""

    lat: float
    lon: float
    hae: float = UNKNOWN
    ce: float = UNKNOWN
    le: float = UNKNOWN

    def __post_init__(self) -> None:
        if not math.isfinite(self.lat) or not -90.0 <= self.lat <= 90.0:
            raise CotError("point", f"{self.lat!r} is not a latitude", attribute="lat")
        if not math.isfinite(self.lon) or not -180.0 <= self.lon <= 180.0:
            raise CotError("point", f"{self.lon!r} is not a longitude", attribute="lon")
        for name in ("hae", "ce", "le"):
            if not math.isfinite(getattr(self, name)):
                raise CotError("point", "is not a finite number", attribute=name)


@dataclass(frozen=True, slots=True, kw_only=True)
class CotLink:
    """A ``<link>`` to another event (its creator ``p-p``, a parent...), shape vertices aside."""

    uid: str | None = None
    type: str | None = None
    relation: str | None = None
    parent_callsign: str | None = None
    production_time: str | None = None


class PointKind(Enum):
    """What a point marker marks, read from its name and remarks (Golden Hour's convention)."""

    PICKUP = "pickup"  # PZ, pickup point: where a MEDEVAC collects casualties
    LANDING_ZONE = "landing_zone"  # HLZ / LZ
    EXCHANGE = "exchange"  # AXP, ambulance exchange point (ATP 4-02.2)
    CASUALTY_COLLECTION = "casualty_collection"  # CCP
    OTHER = "other"


class ThreatKind(Enum):
    """What a threat area warns of, read from its name and remarks (Golden Hour's convention)."""

    MINEFIELD = "minefield"
    INDIRECT_FIRE = "indirect_fire"
    SNIPER = "sniper"
    DRONE = "drone"
    CBRN = "cbrn"
    ENEMY = "enemy"
    UNSPECIFIED = "unspecified"


@dataclass(frozen=True, slots=True, kw_only=True)
class HlzBrief:
    """ATAK's HLZ brief on the MEDEVAC marker: kept as written, no 9-line line holds it."""

    zone_protected_coord: str | None = None
    zone_prot_marker: str | None = None
    zone_prot_selection: str | None = None
    marked_by: str | None = None
    obstacles: str | None = None
    winds_are_from: str | None = None
    friendlies: str | None = None
    enemy: str | None = None
    hlz_remarks: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ZMist:
    """One ``<zMist>`` casualty card: ATAK's title for it and the MIST it holds."""

    title: str | None
    mist: Mist


@dataclass(frozen=True, slots=True, kw_only=True)
class MedevacMarker:
    """A ``b-r-f-h-c`` casualty / MEDEVAC marker with its ``<_medevac_>`` 9-line and ZMISTs.

    ``nine_line`` is built with ``check_totals=False``: counts that do not add up are kept as
    ATAK sent them and named in ``warnings``. Each line is read on its own: a line that cannot
    be read (``freq="0.0"``, a count that is not a number...) is left out, named in
    ``warnings`` and kept in ``extras`` verbatim, and the request keeps the other lines. It is
    ``None`` only when no request can be made: no call sign, or a 9-line left empty (no
    frequency and no patient count). ATAK fields the 9-line has no place for are kept:
    ``equipment_other``/``equipment_detail`` (line 4), ``children`` (line 8 ``child``), the HLZ
    brief, and in ``extras`` any attribute we do not know.
    """

    nine_line: NineLineRequest | None
    warnings: tuple[str, ...] = ()
    title: str | None = None
    medline_remarks: str | None = None
    casevac: bool = False
    equipment_other: bool = False
    equipment_detail: str | None = None
    children: int | None = None
    hlz: HlzBrief = field(default_factory=HlzBrief)
    mists: tuple[ZMist, ...] = ()
    extras: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionReport:
    """A device's or vehicle's own position (SA / PLI), with what ATAK reports beside it."""

    endpoint: str | None = None
    team: str | None = None
    role: str | None = None
    course: float | None = None
    speed: float | None = None
    device: str | None = None
    platform: str | None = None
    os: str | None = None
    version: str | None = None

    def is_vehicle(self, cot_type: str) -> bool:
        """Return whether ``cot_type`` is a ground vehicle (MIL-STD-2525 ``G-E-V``)."""
        return "-G-E-V" in cot_type


@dataclass(frozen=True, slots=True, kw_only=True)
class PointMarker:
    """A point dropped on the map: a pickup, landing zone, exchange or collection point."""

    kind: PointKind


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessage:
    """A GeoChat message (``b-t-f``); its text is the event's remarks."""

    chatroom: str | None
    sender_callsign: str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Vertex:
    """One corner of a drawn shape, from ``<link point='lat,lon[,hae]'/>``."""

    lat: float
    lon: float
    hae: float | None = None

    def __post_init__(self) -> None:
        CotPoint(lat=self.lat, lon=self.lon, hae=UNKNOWN if self.hae is None else self.hae)


@dataclass(frozen=True, slots=True, kw_only=True)
class CircleArea:
    """A circle or ellipse round the event's point (``<shape><ellipse major minor angle>``)."""

    major_m: float
    minor_m: float
    angle_deg: float = 360.0

    def __post_init__(self) -> None:
        for name in ("major_m", "minor_m", "angle_deg"):
            value = getattr(self, name)
            if not math.isfinite(value) or (name != "angle_deg" and value <= 0):
                raise CotError("ellipse", f"{value!r} is not a positive size", attribute=name)


@dataclass(frozen=True, slots=True, kw_only=True)
class PolygonArea:
    """A drawn polygon (closed) or line (open) through ``vertices``."""

    vertices: tuple[Vertex, ...]
    closed: bool = True

    def __post_init__(self) -> None:
        needed = 3 if self.closed else 2
        if len({(v.lat, v.lon) for v in self.vertices}) < needed:
            raise CotError("link", f"a shape needs at least {needed} distinct points")


@dataclass(frozen=True, slots=True, kw_only=True)
class FreehandArea:
    """An ATAK freehand drawing (``u-d-f-m``, telestration): one or more strokes drawn apart."""

    strokes: tuple[PolygonArea, ...]

    def __post_init__(self) -> None:
        if not self.strokes:
            raise CotError("link", "a freehand drawing needs at least one stroke", attribute="line")


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatShape:
    """A drawn shape (``u-d-...``) read as a threat area, with the kind its words name."""

    kind: ThreatKind
    area: CircleArea | PolygonArea | FreehandArea


Meaning = MedevacMarker | PositionReport | PointMarker | ThreatShape | ChatMessage


@dataclass(frozen=True, slots=True, kw_only=True)
class CotEvent:
    """A CoT event: the envelope ATAK and servers route on, and what it means to us.

    ``meaning`` is ``None`` for event types Golden Hour has no use for; ``other_detail`` keeps
    the detail children no meaning owns, as XML text, in a stable (tag-sorted) order.
    ``times_received`` names the times (``time``, ``start``, ``stale``) the sender left out and
    the reader filled from the moment it received the event.
    """

    uid: str
    type: str
    time: datetime
    start: datetime
    stale: datetime
    point: CotPoint
    times_received: tuple[str, ...] = ()
    how: str | None = None
    callsign: str | None = None
    remarks: str | None = None
    remarks_attributes: tuple[tuple[str, str], ...] = ()
    links: tuple[CotLink, ...] = ()
    other_detail: tuple[str, ...] = ()
    meaning: Meaning | None = None

    def __post_init__(self) -> None:
        for name in ("uid", "type"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise CotError("event", "is missing or empty", attribute=name)
        for name in ("time", "start", "stale"):
            if getattr(self, name).tzinfo is None:
                raise CotError("event", "has no time zone", attribute=name)
