"""CoT as other TAK clients and servers write it (issue 12, item 13), in the project's own messages.

Each form here was found in other projects' captures (``../shared/reference/cot-peers/``, run by
``test_cot_peers_corpus.py`` when present); these messages, written for this project, test the
same forms on a bare clone.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

import pytest

from goldenhour.adapters.cot import (
    ChatMessage,
    CotError,
    FreehandArea,
    PointKind,
    PointMarker,
    PolygonArea,
    PositionReport,
    ThreatKind,
    ThreatShape,
    decode_cot,
    encode_cot,
    threat_geojson,
)
from goldenhour.adapters.cot.model import UNKNOWN

TIMES = 'time="2026-03-15T14:22:10Z" start="2026-03-15T14:22:10Z" stale="2026-03-16T14:22:10Z"'


def _event(cot_type: str, detail: str, *, point: str = 'lat="48.5" lon="37.9"') -> str:
    return (
        f'<event version="2.0" uid="test-{cot_type}" type="{cot_type}" how="h-e" {TIMES}>'
        f'<point {point} ce="9999999.0" le="9999999.0"/>'
        f"<detail>{detail}</detail></event>"
    )


def _stroke(*points: str) -> str:
    links = "".join(f"<link point='{point}'/>" for point in points)
    nested = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
        f"<event version='2.0' uid='stroke' type='u-d-f' how='h-e' time='2026-03-15T14:22:10Z' "
        "start='2026-03-15T14:22:10Z' stale='2026-03-16T14:22:10Z'>"
        "<point lat='48.5' lon='37.9' hae='9999999.0' ce='9999999.0' le='9999999.0'/>"
        f"<detail>{links}<strokeColor value='-1'/><contact callsign='Freehand 1'/></detail></event>"
    )
    return f"<link line={quoteattr(nested)}/>"


def _threat(xml: str) -> ThreatShape:
    meaning = decode_cot(xml).meaning
    assert isinstance(meaning, ThreatShape)
    return meaning


class TestFreehandDrawing:
    """ATAK's telestration ``u-d-f-m``: each stroke a whole u-d-f event, escaped, in a link."""

    XML = _event(
        "u-d-f-m",
        _stroke("48.50,37.90", "48.51,37.91", "48.52,37.90")
        + _stroke("48.40,37.80", "48.41,37.80", "48.41,37.81", "48.40,37.80")
        + "<contact callsign='Mines here'/><remarks></remarks>",
        point='lat="0.0" lon="0.0"',
    )

    def test_each_stroke_is_read(self) -> None:
        shape = _threat(self.XML)
        assert shape.kind is ThreatKind.MINEFIELD
        assert isinstance(shape.area, FreehandArea)
        first, second = shape.area.strokes
        assert (first.closed, len(first.vertices)) == (False, 3)
        assert (second.closed, len(second.vertices)) == (True, 3)  # ends where it began

    def test_geojson_is_one_line_per_stroke(self) -> None:
        geometry = threat_geojson(decode_cot(self.XML))["geometry"]
        assert geometry["type"] == "MultiLineString"
        assert geometry["coordinates"][0] == [[37.9, 48.5], [37.91, 48.51], [37.9, 48.52]]
        assert geometry["coordinates"][1][0] == geometry["coordinates"][1][-1]

    def test_written_back_as_atak_draws_it_and_read_the_same(self) -> None:
        event = decode_cot(self.XML)
        again = decode_cot(encode_cot(event))
        assert again.meaning == event.meaning
        assert b"<link line=" in encode_cot(event)
        assert again.links == ()  # strokes are the shape's, not links to other events

    def test_a_stroke_that_is_not_an_event_is_refused_naming_the_link(self) -> None:
        xml = _event("u-d-f-m", "<link line='&lt;note/&gt;'/>")
        with pytest.raises(CotError) as caught:
            decode_cot(xml)
        assert caught.value.field == "link@line"

    def test_a_stroke_with_a_dtd_is_refused(self) -> None:
        hostile = '<!DOCTYPE e [<!ENTITY x "y">]><event/>'
        with pytest.raises(CotError) as caught:
            decode_cot(_event("u-d-f-m", f"<link line={quoteattr(hostile)}/>"))
        assert caught.value.element == "link"
        assert "DTD" in caught.value.reason


class TestGenericPoint:
    """ATAK's drawing-tools point ``u-d-p`` (its GenericPoint) is a point, not a shape."""

    def test_a_generic_point_is_a_point_marker(self) -> None:
        event = decode_cot(_event("u-d-p", '<contact callsign="HLZ north"/><color value="-1"/>'))
        assert event.meaning == PointMarker(kind=PointKind.LANDING_ZONE)

    def test_a_generic_point_without_detail_is_a_point_marker(self) -> None:
        xml = _event("u-d-p", "").replace("<detail></detail>", "")
        assert isinstance(decode_cot(xml).meaning, PointMarker)

    def test_vertices_on_a_generic_point_do_not_make_it_a_line_and_are_kept(self) -> None:
        links = "".join(
            f'<link point="{p}"/>'
            for p in ("48.51,37.91", "48.52,37.92", "48.51,37.93", "48.50,37.92", "48.50,37.91")
        )
        event = decode_cot(_event("u-d-p", links + '<contact callsign="Polygon 1"/>'))
        assert isinstance(event.meaning, PointMarker)
        assert b'point="48.52,37.92"' in encode_cot(event)


class TestShapeSchemaPolyline:
    """CoT's shape schema: ``<shape><polyline closed="..."><vertex lat lon hae/>``."""

    @staticmethod
    def _polyline(closed: str, *vertices: tuple[float, float]) -> str:
        inner = "".join(f'<vertex lat="{lat}" lon="{lon}" hae="120.5"/>' for lat, lon in vertices)
        return _event(
            "u-d-f",
            '<contact callsign="Sniper alley"/>'
            f"<shape><polyline {closed}>{inner}</polyline></shape>",
        )

    def test_a_closed_polyline_is_a_polygon(self) -> None:
        shape = _threat(self._polyline('closed="true"', (48.5, 37.9), (48.6, 37.9), (48.6, 38.0)))
        assert shape.kind is ThreatKind.SNIPER
        assert isinstance(shape.area, PolygonArea)
        assert shape.area.closed
        assert [(v.lat, v.lon, v.hae) for v in shape.area.vertices] == [
            (48.5, 37.9, 120.5),
            (48.6, 37.9, 120.5),
            (48.6, 38.0, 120.5),
        ]

    def test_an_open_polyline_is_a_line(self) -> None:
        shape = _threat(self._polyline('closed="false"', (48.5, 37.9), (48.6, 37.9)))
        assert isinstance(shape.area, PolygonArea)
        assert not shape.area.closed

    def test_a_vertex_that_is_not_a_number_is_refused_naming_it(self) -> None:
        xml = self._polyline("", (48.5, 37.9), (48.6, 37.9)).replace('lat="48.6"', 'lat="x"')
        with pytest.raises(CotError) as caught:
            decode_cot(xml)
        assert caught.value.field == "vertex@lat"

    def test_written_back_as_atak_vertices_and_read_the_same(self) -> None:
        event = decode_cot(
            self._polyline('closed="true"', (48.5, 37.9), (48.6, 37.9), (48.6, 38.0))
        )
        assert decode_cot(encode_cot(event)).meaning == event.meaning


class TestDeclaredUtf16OverEightBitText:
    """WinTAK declares encoding="utf-16" and sends the text as 8-bit (UTF-8) bytes."""

    XML = '<?xml version="1.0" encoding="utf-16" standalone="yes"?>' + _event(
        "a-f-G-U-C-I", '<contact callsign="Kyiv-Лев" endpoint="*:-1:stcp"/>'
    )

    def test_the_bytes_are_read_as_they_are(self) -> None:
        event = decode_cot(self.XML.encode("utf-8"))
        assert event.callsign == "Kyiv-Лев"
        assert isinstance(event.meaning, PositionReport)

    @pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
    def test_real_utf16_is_still_read_as_utf16(self, codec: str) -> None:
        data = self.XML.encode(codec)
        if codec != "utf-16":
            data = "\ufeff".encode(codec) + data
        assert decode_cot(data).callsign == "Kyiv-Лев"

    def test_bytes_that_are_not_utf8_are_still_refused(self) -> None:
        with pytest.raises(CotError):
            decode_cot(self.XML.encode("utf-8").replace("Лев".encode(), b"\xff\xfe\xfd"))


class TestNotANumberHeight:
    def test_a_marker_with_nan_height_and_errors_is_read_with_them_unknown(self) -> None:
        event = decode_cot(
            _event(
                "a-u-G", '<contact callsign="CCP"/>', point='lat="48.5" lon="37.9" hae="NaN"'
            ).replace('ce="9999999.0"', 'ce="NaN"')
        )
        assert isinstance(event.meaning, PointMarker)
        assert (event.point.hae, event.point.ce) == (UNKNOWN, UNKNOWN)

    def test_a_nan_latitude_is_still_refused(self) -> None:
        with pytest.raises(CotError) as caught:
            decode_cot(_event("a-u-G", "", point='lat="NaN" lon="37.9"'))
        assert caught.value.field == "point@lat"


class TestChatReceipts:
    """``b-t-f-d`` (delivered) and ``b-t-f-r`` (read) acknowledge a message; they are none."""

    @pytest.mark.parametrize("cot_type", ["b-t-f-d", "b-t-f-r"])
    def test_a_receipt_is_not_a_chat_message(self, cot_type: str) -> None:
        detail = (
            '<__chatreceipt chatroom="All Chat Rooms" senderCallsign="TR-SSC" messageId="m1"/>'
            '<link uid="ANDROID-1" type="a-f-G-U-C" relation="p-p"/><remarks/>'
        )
        assert decode_cot(_event(cot_type, detail)).meaning is None

    def test_a_message_is_still_a_chat_message(self) -> None:
        detail = (
            '<__chat chatroom="All Chat Rooms" senderCallsign="TR-SSC"/><remarks>at CCP</remarks>'
        )
        assert decode_cot(_event("b-t-f", detail)).meaning == ChatMessage(
            chatroom="All Chat Rooms", sender_callsign="TR-SSC", text="at CCP"
        )
