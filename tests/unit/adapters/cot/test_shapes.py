"""Drawn shapes are threat areas: circles and polygons, with a kind, out as GeoJSON and back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from goldenhour.adapters.cot import (
    CircleArea,
    CotError,
    PolygonArea,
    ThreatKind,
    ThreatShape,
    decode_cot,
    encode_cot,
    threat_from_geojson,
    threat_geojson,
)
from goldenhour.adapters.cot.shapes import threat_kind

TIMES = "time='2026-03-15T14:22:10Z' start='2026-03-15T14:22:10Z' stale='2026-03-16T14:22:10Z'"
# As ATAK draws them: a circle round the point, a closed free-hand shape repeating its start.
CIRCLE = (
    f"<event version='2.0' uid='c1' type='u-d-c-c' how='h-e' {TIMES}>"
    "<point lat='48.6' lon='37.95' hae='9999999.0' ce='9999999.0' le='9999999.0'/><detail>"
    "<shape><ellipse major='250.0' minor='250.0' angle='360'/></shape>"
    "<contact callsign='Mortar position'/><strokeColor value='-65536'/></detail></event>"
)
POLYGON = (
    f"<event version='2.0' uid='p1' type='u-d-f' how='h-e' {TIMES}><point lat='48.6' lon='37.9'/>"
    "<detail><link point='48.61,37.91'/><link point='48.61,37.95'/><link point='48.58,37.95'/>"
    "<link point='48.61,37.91'/><contact callsign='Area'/><remarks>мінне поле</remarks>"
    "</detail></event>"
)


def test_a_circle_is_a_threat_circle_with_its_kind_from_its_name() -> None:
    event = decode_cot(CIRCLE)
    assert event.meaning == ThreatShape(
        kind=ThreatKind.INDIRECT_FIRE, area=CircleArea(major_m=250.0, minor_m=250.0)
    )


def test_a_circle_is_geojson_point_with_a_radius() -> None:
    feature = threat_geojson(decode_cot(CIRCLE))
    assert feature["geometry"] == {"type": "Point", "coordinates": [37.95, 48.6]}
    assert feature["properties"]["radius_m"] == 250.0
    assert feature["properties"]["kind"] == "indirect_fire"


def test_a_closed_free_hand_shape_is_a_polygon_read_in_ukrainian_too() -> None:
    event = decode_cot(POLYGON)
    assert isinstance(event.meaning, ThreatShape)
    assert event.meaning.kind is ThreatKind.MINEFIELD
    assert isinstance(event.meaning.area, PolygonArea) and len(event.meaning.area.vertices) == 3
    ring = threat_geojson(event)["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] == [37.91, 48.61]


@pytest.mark.parametrize("xml", [CIRCLE, POLYGON], ids=["circle", "polygon"])
def test_shapes_re_encode_as_atak_draws_them(xml: str) -> None:
    event = decode_cot(xml)
    assert decode_cot(encode_cot(event)) == event


def test_geojson_polygon_becomes_a_u_d_f_shape_and_back() -> None:
    feature = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[37.91, 48.61], [37.95, 48.61], [37.95, 48.58], [37.91, 48.61]]],
        },
        "properties": {"name": "Sniper alley"},
    }
    now = datetime(2026, 3, 15, tzinfo=UTC)
    event = threat_from_geojson(feature, uid="t1", now=now, stale=now)
    decoded = decode_cot(encode_cot(event))
    assert decoded.type == "u-d-f"
    assert decoded.meaning == event.meaning
    assert threat_geojson(decoded)["geometry"] == feature["geometry"]


@pytest.mark.parametrize(
    "feature",
    [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.9, 48.6]}},
        {"type": "Polygon", "coordinates": [[[37.9, 48.6], [37.9, 48.6], [37.9, 48.6]]]},
        {"type": "LineString", "coordinates": [[37.9, "north"]]},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "Feature", "geometry": None},
    ],
)
def test_geojson_we_cannot_draw_raises_cot_error(feature: dict[str, object]) -> None:
    now = datetime(2026, 3, 15, tzinfo=UTC)
    with pytest.raises(CotError):
        threat_from_geojson(feature, uid="t1", now=now, stale=now)


def test_a_shape_without_geometry_is_refused() -> None:
    with pytest.raises(CotError):
        decode_cot(
            CIRCLE.replace("<shape><ellipse major='250.0' minor='250.0' angle='360'/></shape>", "")
        )


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("FPV drone route", ThreatKind.DRONE),
        ("снайпер", ThreatKind.SNIPER),
        ("determined", ThreatKind.UNSPECIFIED),
        ("Enemy platoon", ThreatKind.ENEMY),
    ],
)
def test_threat_kind_is_read_from_whole_words(words: str, kind: ThreatKind) -> None:
    assert threat_kind(words) is kind
