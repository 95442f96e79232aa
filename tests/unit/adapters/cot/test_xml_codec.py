"""CoT XML: every reference event decodes, means what ATAK meant, and re-encodes the same way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from reference_cot import (
    GEOCHAT,
    MINIMAL_MARKER,
    NINE_LINE_ZMIST,
    PLI,
    REFERENCE_FILES,
    USER_ICON,
)

from goldenhour.adapters.cot import (
    ChatMessage,
    CotError,
    MedevacMarker,
    PointKind,
    PointMarker,
    PositionReport,
    decode_cot,
    encode_cot,
)
from goldenhour.domain.medevac.nine_line import Equipment, Marking, Nationality, Security
from goldenhour.domain.triage.categories import Precedence


def _marker(path: Path) -> MedevacMarker:
    meaning = decode_cot(path.read_bytes()).meaning
    assert isinstance(meaning, MedevacMarker)
    return meaning


def _medevac_attributes(data: bytes) -> dict[str, str]:
    element = ET.fromstring(data).find("detail/_medevac_")  # our own output: trusted
    assert element is not None
    return dict(element.attrib)


def test_there_are_five_reference_events() -> None:
    assert len(REFERENCE_FILES) == 5


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_every_reference_event_decodes_to_something_we_use(path: Path) -> None:
    assert decode_cot(path.read_bytes()).meaning is not None


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_every_reference_event_re_encodes_to_the_same_meaning(path: Path) -> None:
    """decode(encode(decode(ref))) == decode(ref): ATAK would read our output the same way."""
    event = decode_cot(path.read_bytes())
    assert decode_cot(encode_cot(event)) == event


class TestNineLineWithZmist:
    marker = _marker(NINE_LINE_ZMIST)
    request = marker.nine_line

    def test_line_1_is_the_point_as_a_1_m_mgrs_reference(self) -> None:
        assert self.request is not None and self.request.location == "13SDD9144388921"

    def test_line_2_is_the_frequency_and_the_contact_call_sign(self) -> None:
        assert self.request is not None
        assert (self.request.frequency, self.request.call_sign) == ("67.000 MHZ", "calllsign")

    def test_line_3_counts_urgent_priority_routine(self) -> None:
        assert self.request is not None
        assert dict(self.request.patients_by_precedence) == {
            Precedence.URGENT: 1,
            Precedence.URGENT_SURGICAL: 0,
            Precedence.PRIORITY: 2,
            Precedence.ROUTINE: 3,
            Precedence.CONVENIENCE: 0,
        }

    def test_lines_4_to_8_follow_atak_names_and_indexes(self) -> None:
        """security='3' is X; hlz_marking='4' is E (other) with hlz_other as its description."""
        request = self.request
        assert request is not None
        assert request.equipment == {Equipment.HOIST, Equipment.EXTRACTION, Equipment.VENTILATOR}
        assert (request.litter, request.ambulatory) == (4, 5)
        assert request.security is Security.ARMED_ESCORT_REQUIRED
        assert (request.marking, request.marking_detail) == (Marking.OTHER, "other marking")
        assert request.patients_by_nationality is not None
        assert request.patients_by_nationality[Nationality.EPW] == 10

    def test_line_9_is_atak_terrain(self) -> None:
        assert self.request is not None
        assert self.request.terrain == "SLOPE S, ROUGH, LOOSE, OTHER: other terrain features"

    def test_counts_that_do_not_add_up_are_kept_with_warnings(self) -> None:
        assert [w[:6] for w in self.marker.warnings] == ["line 5", "line 8"]

    def test_fields_outside_the_9_line_are_kept(self) -> None:
        marker = self.marker
        assert (marker.title, marker.medline_remarks, marker.casevac) == ("title", "remark", False)
        assert (marker.equipment_other, marker.equipment_detail) == (True, "other equipment")
        assert marker.children == 11
        assert marker.hlz.marked_by == "E - panel of lasers"
        assert marker.hlz.winds_are_from == "nw"
        assert marker.extras == ()

    def test_each_zmist_becomes_a_mist_with_its_lines_as_items(self) -> None:
        first, second = self.marker.mists
        assert (first.title, first.mist.zap) == ("ZMIST2", "zap 2")
        assert second.mist.signs == (
            "Skin: Cold/Clammy",
            "Pulse Radial: Has Radial",
            "Bleeding: Massive",
        )
        assert second.mist.mechanism == ("Frag Single Burn > 20%",)

    def test_encoding_writes_atak_attribute_names_and_indexes(self) -> None:
        data = encode_cot(decode_cot(NINE_LINE_ZMIST.read_bytes()))
        attributes = _medevac_attributes(data)
        assert attributes["security"] == "3"
        assert attributes["hlz_marking"] == "4"
        assert attributes["hlz_other"] == "other marking"
        assert attributes["casevac"] == "false"
        assert "equipment_none" not in attributes
        assert attributes["terrain_slope_dir"] == "S"


class TestMinimalMarker:
    def test_a_marker_without_a_frequency_keeps_atak_fields_as_sent(self) -> None:
        marker = _marker(MINIMAL_MARKER)
        assert marker.nine_line is None
        assert "no frequency" in marker.warnings[0]
        assert marker.extras == (("equipment_none", "true"), ("terrain_none", "true"))
        assert marker.title == "MED.2.205722"

    def test_booleans_are_written_only_when_true_and_casevac_always(self) -> None:
        attributes = _medevac_attributes(encode_cot(decode_cot(MINIMAL_MARKER.read_bytes())))
        assert attributes["equipment_none"] == "true"
        assert attributes["casevac"] == "false"
        assert "hoist" not in attributes


def test_the_pli_is_a_position_report() -> None:
    event = decode_cot(PLI.read_bytes())
    assert isinstance(event.meaning, PositionReport)
    assert (event.callsign, event.meaning.team, event.meaning.endpoint) == (
        "dasuberdog",
        "Orange",
        "192.168.1.159:4242:tcp",
    )


def test_a_user_icon_marker_is_a_point_with_its_icon_kept() -> None:
    event = decode_cot(USER_ICON.read_bytes())
    assert event.meaning == PointMarker(kind=PointKind.OTHER)
    assert any("usericon" in text for text in event.other_detail)


def test_geochat_is_a_chat_message() -> None:
    event = decode_cot(GEOCHAT.read_bytes())
    assert event.meaning == ChatMessage(
        chatroom="maya", sender_callsign="dasuberdog", text="you are a dog"
    )


EVENT = (
    "<event version='2.0' uid='x' type='a-f-G-E-V-C' time='2024-01-01T00:00:00Z' "
    "start='2024-01-01T00:00:00Z' stale='2024-01-01T00:05:00Z' how='m-g' extra='?'>"
    "{detail}<point lat='48.5' lon='37.9'/></event>"
)


class TestTolerance:
    def test_element_order_unknown_elements_and_attributes_do_not_matter(self) -> None:
        """Detail before point, an unknown element and attribute: read by name."""
        xml = EVENT.format(detail="<detail><foo bar='1'/><contact callsign='AXP 2'/></detail>")
        event = decode_cot(xml)
        assert event.callsign == "AXP 2"
        assert event.meaning == PointMarker(kind=PointKind.EXCHANGE)

    def test_remarks_may_be_an_attribute_of_detail(self) -> None:
        """FreeTAKServer rewrites <remarks>text</remarks> as <detail remarks='text'>."""
        event = decode_cot(EVENT.format(detail="<detail remarks='CCP north'/>"))
        assert event.remarks == "CCP north"
        assert event.meaning == PointMarker(kind=PointKind.CASUALTY_COLLECTION)

    def test_a_vehicle_reporting_its_track_is_a_position(self) -> None:
        xml = EVENT.format(detail="<detail><track course='90.0' speed='12.5'/></detail>")
        event = decode_cot(xml)
        assert isinstance(event.meaning, PositionReport)
        assert event.meaning.is_vehicle(event.type)

    def test_an_event_type_we_do_not_use_decodes_without_meaning(self) -> None:
        event = decode_cot(EVENT.format(detail="").replace("a-f-G-E-V-C", "t-x-c-t"))
        assert event.meaning is None


@pytest.mark.parametrize(
    ("xml", "field"),
    [
        ("<notevent/>", "event"),
        (EVENT.format(detail="").replace("<point lat='48.5' lon='37.9'/>", ""), "point"),
        (EVENT.format(detail="").replace("48.5", "north"), "point@lat"),
        (EVENT.format(detail="").replace("48.5", "91"), "point@lat"),
        (
            EVENT.format(detail="").replace("2024-01-01T00:00:00Z' start", "soon' start"),
            "event@time",
        ),
        (EVENT.format(detail="").replace("uid='x'", ""), "event@uid"),
        ("<event", "event"),
    ],
)
def test_malformed_events_raise_cot_error_naming_the_element(xml: str, field: str) -> None:
    with pytest.raises(CotError) as caught:
        decode_cot(xml)
    assert caught.value.field == field


def test_text_xml_cannot_carry_is_written_as_a_visible_escape_on_encoding() -> None:
    """A stored record may hold a control character; the marker is still sent, escaped."""
    event = decode_cot(PLI.read_bytes())
    read = decode_cot(encode_cot(replace(event, callsign="bell\x07")))
    assert read.callsign == "bell\\x07"
