"""The radio and TAK forms through their service: its rules, on the real codecs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from goldenhour.adapters.cot.tool import CotFormats
from goldenhour.adapters.radio.tool import RadioFormats
from goldenhour.domain.errors import ValidationError
from goldenhour.services.formats import (
    Framing,
    MessageForm,
    check_events,
    decode_message,
    encode_message,
    read_event,
    require_meaning,
    write_event,
)

DATA = Path(__file__).parents[2] / "data" / "cot"
NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
NINE_LINE = "1 37UDQ4356118531\n2 38.9/KALYNA 21\n3 A1\n4 A\n5 L1A0\n6 E\n7 D\n9 NONE\n"
AREA = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [37.55, 48.72]},
    "properties": {"kind": "shelling", "radius_m": 300},
}


def test_a_9_line_is_written_as_a_medevac_marker_and_a_geojson_area_as_a_threat() -> None:
    cot = CotFormats()
    marker = write_event(cot, NINE_LINE, uid="u1", now=NOW, stale_hours=2, framing=Framing.XML)
    area = write_event(cot, json.dumps(AREA), uid="u2", now=NOW, stale_hours=2, framing=Framing.XML)
    assert b'type="b-r-f-h-c"' in marker
    reading = read_event(cot, area, source="area.xml")
    assert reading.geojson is not None and reading.text is None
    assert read_event(cot, marker, source="-").text is not None


@pytest.mark.parametrize("hours", [0, -1, 24 * 365 + 1])
def test_an_event_is_current_for_more_than_nothing_and_at_most_a_year(hours: float) -> None:
    with pytest.raises(ValidationError) as refused:
        write_event(CotFormats(), NINE_LINE, uid="u", now=NOW, stale_hours=hours,
                    framing=Framing.MESH)  # fmt: skip
    assert refused.value.field == "--stale-hours"


def test_an_event_of_a_type_golden_hour_does_not_use_is_refused_naming_what_it_reads() -> None:
    position = (DATA / "pli-sa.xml").read_bytes()
    require_meaning(read_event(CotFormats(), position, source="pli-sa.xml"))
    receipt = position.replace(b"type='a-f-G-U-C'", b"type='b-t-f-d'")
    reading = read_event(CotFormats(), receipt, source="receipt.xml")
    with pytest.raises(ValidationError, match="chat delivery or read receipt.*MEDEVAC markers"):
        require_meaning(reading)


def test_events_to_send_are_checked_as_xml_naming_the_file() -> None:
    proto = write_event(CotFormats(), NINE_LINE, uid="u", now=NOW, stale_hours=1,
                        framing=Framing.STREAM)  # fmt: skip
    with pytest.raises(ValidationError, match="stream.cot"):
        check_events(CotFormats(), [("stream.cot", proto)])


def test_a_9_line_goes_to_sms_and_back_unchanged() -> None:
    radio = RadioFormats()
    sms = encode_message(radio, NINE_LINE.encode(), form=MessageForm.SMS)
    assert isinstance(sms.payload, str) and sms.size_note is not None
    reading = decode_message(radio, sms.payload.encode())
    assert reading.data["nine_line"]["call_sign"] == "KALYNA 21"
    assert reading.text.startswith("LINE 1")
