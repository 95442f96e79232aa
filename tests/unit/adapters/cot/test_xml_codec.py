"""CoT XML: every reference event decodes, means what ATAK meant, and re-encodes the same way.

The detailed checks read the project's own ATAK-shaped messages (tests/data/cot/); the real
ATAK-CIV captures, when they are beside the repository, go through the generic checks and one
check of what the captured 9-line means.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

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

from cot_samples import (
    CAPTURED_COT,
    CAPTURED_FILES,
    GEOCHAT,
    MINIMAL_MARKER,
    NINE_LINE_ZMIST,
    OWN_FILES,
    PLI,
    USER_ICON,
    cot_files,
)
from shared_reference import needs_shared_reference


def _marker(path: Path) -> MedevacMarker:
    meaning = decode_cot(path.read_bytes()).meaning
    assert isinstance(meaning, MedevacMarker)
    return meaning


def _medevac_attributes(data: bytes) -> dict[str, str]:
    element = ET.fromstring(data).find("detail/_medevac_")  # our own output: trusted
    assert element is not None
    return dict(element.attrib)


def test_the_project_has_its_own_five_messages() -> None:
    assert [path.name for path in OWN_FILES] == [
        "geochat-p2p.xml",
        "marker-usericon.xml",
        "medevac-9line-zmist.xml",
        "medevac-marker-minimal.xml",
        "pli-sa.xml",
    ]


@needs_shared_reference("cot")
def test_there_are_five_captured_atak_events() -> None:
    assert len(CAPTURED_FILES) == 5


@pytest.mark.parametrize("path", cot_files())
def test_every_reference_event_decodes_to_something_we_use(path: Path) -> None:
    assert decode_cot(path.read_bytes()).meaning is not None


@pytest.mark.parametrize("path", cot_files())
def test_every_reference_event_re_encodes_to_the_same_meaning(path: Path) -> None:
    """decode(encode(decode(ref))) == decode(ref): ATAK would read our output the same way."""
    event = decode_cot(path.read_bytes())
    assert decode_cot(encode_cot(event)) == event


class TestNineLineWithZmist:
    marker = _marker(NINE_LINE_ZMIST)
    request = marker.nine_line

    def test_line_1_is_the_point_as_a_1_m_mgrs_reference(self) -> None:
        assert self.request is not None and self.request.location == "37UDQ4425519810"

    def test_line_2_is_the_frequency_and_the_contact_call_sign(self) -> None:
        assert self.request is not None
        assert (self.request.frequency, self.request.call_sign) == ("38.900 MHZ", "BEREG3")

    def test_line_3_counts_urgent_priority_routine(self) -> None:
        assert self.request is not None
        assert dict(self.request.patients_by_precedence) == {
            Precedence.URGENT: 2,
            Precedence.URGENT_SURGICAL: 0,
            Precedence.PRIORITY: 1,
            Precedence.ROUTINE: 0,
            Precedence.CONVENIENCE: 0,
        }

    def test_lines_4_to_8_follow_atak_names_and_indexes(self) -> None:
        """security='2' is E; hlz_marking='4' is E (other) with hlz_other as its description."""
        request = self.request
        assert request is not None
        assert request.equipment == {Equipment.VENTILATOR}
        assert (request.litter, request.ambulatory) == (2, 1)
        assert request.security is Security.ENEMY_IN_AREA
        assert (request.marking, request.marking_detail) == (Marking.OTHER, "IR strobe")
        assert request.patients_by_nationality is not None
        assert request.patients_by_nationality[Nationality.OTHER_MILITARY] == 2

    def test_line_9_is_atak_terrain(self) -> None:
        assert self.request is not None
        assert self.request.terrain == "SLOPE N, LOOSE, OTHER: wheat field"

    def test_counts_that_do_not_add_up_are_kept_with_warnings(self) -> None:
        """Line 8 counts 2 of line 3's 3 patients: kept as sent, with a warning."""
        assert [w[:6] for w in self.marker.warnings] == ["line 8"]

    def test_fields_outside_the_9_line_are_kept(self) -> None:
        marker = self.marker
        assert (marker.title, marker.medline_remarks, marker.casevac) == (
            "MED.14.124107",
            "shelling at the treeline",
            False,
        )
        assert (marker.equipment_other, marker.equipment_detail) == (True, "blood warmer")
        assert marker.children is None
        assert marker.hlz.marked_by == "green smoke on request"
        assert marker.hlz.winds_are_from == "sw"
        assert marker.extras == ()

    def test_each_zmist_becomes_a_mist_with_its_lines_as_items(self) -> None:
        first, second = self.marker.mists
        assert (first.title, first.mist.zap) == ("ZMIST1", "UA-4821")
        assert first.mist.signs == ("Pulse Radial: Has Radial", "Bleeding: Massive")
        assert first.mist.treatment == ("TQ 12:32", "combat gauze")
        assert second.mist.mechanism == ("Blast",)

    def test_encoding_writes_atak_attribute_names_and_indexes(self) -> None:
        data = encode_cot(decode_cot(NINE_LINE_ZMIST.read_bytes()))
        attributes = _medevac_attributes(data)
        assert attributes["security"] == "2"
        assert attributes["hlz_marking"] == "4"
        assert attributes["hlz_other"] == "IR strobe"
        assert attributes["casevac"] == "false"
        assert "equipment_none" not in attributes
        assert attributes["terrain_slope_dir"] == "N"


@needs_shared_reference("cot")
def test_the_captured_atak_9_line_means_what_its_sender_filled_in() -> None:
    """ATAK-CIV 4.0.0.7's own 9-line: security='3' is X, hlz_marking='4' is E with its text."""
    assert CAPTURED_COT is not None
    marker = _marker(CAPTURED_COT / "atak-medevac-9line-zmist.xml")
    request = marker.nine_line
    assert request is not None
    assert (request.location, request.frequency) == ("13SDD9144388921", "67.000 MHZ")
    assert request.security is Security.ARMED_ESCORT_REQUIRED
    assert (request.marking, request.marking_detail) == (Marking.OTHER, "other marking")
    assert request.terrain == "SLOPE S, ROUGH, LOOSE, OTHER: other terrain features"
    assert [entry.mist.zap for entry in marker.mists] == ["zap 2", "zap number 1"]


class TestMinimalMarker:
    def test_a_marker_without_a_frequency_keeps_atak_fields_as_sent(self) -> None:
        marker = _marker(MINIMAL_MARKER)
        assert marker.nine_line is None
        assert "no frequency" in marker.warnings[0]
        assert marker.extras == (("equipment_none", "true"), ("terrain_none", "true"))
        assert marker.title == "MED.14.130215"

    def test_booleans_are_written_only_when_true_and_casevac_always(self) -> None:
        attributes = _medevac_attributes(encode_cot(decode_cot(MINIMAL_MARKER.read_bytes())))
        assert attributes["equipment_none"] == "true"
        assert attributes["casevac"] == "false"
        assert "hoist" not in attributes


def test_the_pli_is_a_position_report() -> None:
    event = decode_cot(PLI.read_bytes())
    assert isinstance(event.meaning, PositionReport)
    assert (event.callsign, event.meaning.team, event.meaning.endpoint) == (
        "BEREG3",
        "Cyan",
        "10.8.0.12:4242:tcp",
    )


def test_a_user_icon_marker_is_a_point_with_its_icon_kept() -> None:
    event = decode_cot(USER_ICON.read_bytes())
    assert event.meaning == PointMarker(kind=PointKind.OTHER)
    assert any("usericon" in text for text in event.other_detail)


def test_geochat_is_a_chat_message() -> None:
    event = decode_cot(GEOCHAT.read_bytes())
    assert event.meaning == ChatMessage(
        chatroom="SOKIL",
        sender_callsign="BEREG3",
        text="two urgent at the treeline, smoke on request",
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


def test_an_unknown_declared_encoding_is_a_cot_error() -> None:
    """A prolog naming an encoding Python does not know (found by the mutation fuzzer)."""
    data = "<?xml version='1.0' encoding='U-F-8' standalone='yes'?>" + EVENT.format(detail="")
    with pytest.raises(CotError) as caught:
        decode_cot(data.encode())
    assert caught.value.field == "event"


def test_text_xml_cannot_carry_is_written_as_a_visible_escape_on_encoding() -> None:
    """A stored record may hold a control character; the marker is still sent, escaped."""
    event = decode_cot(PLI.read_bytes())
    read = decode_cot(encode_cot(replace(event, callsign="bell\x07")))
    assert read.callsign == "bell\\x07"
