"""Tests for ``goldenhour cot``, run through the installed console script (errors exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goldenhour.adapters.cot import MedevacMarker, ThreatShape, decode_cot, decode_tak_proto

from cli_runner import goldenhour, goldenhour_bytes
from cot_samples import NINE_LINE_ZMIST, cot_files

REQUEST = """\
LINE 1: 37U DQ 45019 90123
LINE 2: 38.900 MHZ / KALYNA 21
LINE 3: A1 B1 C0 D0 E0
LINE 5: L2 A0
LINE 9: NONE
MIST Z: PA4821
M: artillery
T: TQ left leg 1232Z
"""


@pytest.mark.parametrize("path", cot_files())
def test_decode_reads_every_reference_event(path: Path) -> None:
    result = goldenhour("cot", "decode", str(path))
    assert result.returncode == 0, result.stderr


def test_decode_prints_the_9_line_then_each_mist() -> None:
    result = goldenhour("cot", "decode", str(NINE_LINE_ZMIST))
    lines = result.stdout.splitlines()
    assert lines[0] == "LINE 1: 37U DQ 44255 19810"
    assert lines[8] == "LINE 9: TERRAIN: SLOPE N, LOOSE, OTHER: wheat field"
    assert "MIST Z: UA-4821" in lines and "MIST Z: UA-5310" in lines
    assert "warning: line 8" in result.stderr
    assert "HLZ winds are from: sw" in result.stderr


def test_decode_json_has_the_9_line_mists_and_atak_fields() -> None:
    result = goldenhour("cot", "decode", "--json", str(NINE_LINE_ZMIST))
    data = json.loads(result.stdout)
    assert data["medevac"]["nine_line"]["security"]["code"] == "E"
    assert data["medevac"]["hlz"]["winds_are_from"] == "sw"
    assert len(data["medevac"]["mists"]) == 2


def test_decode_reads_standard_input_when_given_a_dash() -> None:
    result = goldenhour("cot", "decode", "-", stdin=NINE_LINE_ZMIST.read_text(encoding="utf-8"))
    assert result.stdout.startswith("LINE 1: 37U DQ 44255 19810")


def test_decode_refuses_a_type_it_cannot_use_with_exit_code_2() -> None:
    xml = (
        "<event version='2.0' uid='x' type='t-x-c-t' time='2024-01-01T00:00:00Z' "
        "start='2024-01-01T00:00:00Z' stale='2024-01-01T00:00:00Z'><point lat='1' lon='2'/></event>"
    )
    result = goldenhour("cot", "decode", "-", stdin=xml)
    assert result.returncode == 2
    assert "'t-x-c-t' is not one Golden Hour uses" in result.stderr


def test_decode_refuses_malformed_xml_with_exit_code_2() -> None:
    result = goldenhour("cot", "decode", "-", stdin="<event")
    assert (result.returncode, result.stdout) == (2, "")
    assert "not well-formed" in result.stderr


def test_decode_prints_a_threat_area_as_geojson() -> None:
    xml = (
        "<event version='2.0' uid='c' type='u-d-c-c' time='2024-01-01T00:00:00Z' "
        "start='2024-01-01T00:00:00Z' stale='2024-01-01T00:00:00Z'><point lat='48.6' lon='37.9'/>"
        "<detail><shape><ellipse major='300' minor='300'/></shape>"
        "<contact callsign='sniper'/></detail></event>"
    )
    feature = json.loads(goldenhour("cot", "decode", "-", stdin=xml).stdout)
    assert feature["geometry"] == {"type": "Point", "coordinates": [37.9, 48.6]}
    assert feature["properties"]["kind"] == "sniper"


def test_encode_writes_a_medevac_marker_that_decodes_to_the_same_9_line() -> None:
    result = goldenhour_bytes("cot", "encode", "--uid", "u1", "--now", "2024-05-01T12:00:00Z", "-",
                     stdin=REQUEST.encode())  # fmt: skip
    assert result.returncode == 0, result.stderr
    event = decode_cot(result.stdout)
    assert (event.uid, event.type) == ("u1", "b-r-f-h-c")
    assert isinstance(event.meaning, MedevacMarker) and event.meaning.nine_line is not None
    assert event.meaning.nine_line.call_sign == "KALYNA 21"
    assert event.meaning.mists[0].mist.zap == "PA4821"


def test_encode_writes_tak_protobuf_when_asked() -> None:
    result = goldenhour_bytes("cot", "encode", "--format", "stream", "-", stdin=REQUEST.encode())
    assert result.stdout[:1] == b"\xbf"
    assert isinstance(decode_tak_proto(result.stdout).meaning, MedevacMarker)


def test_encode_writes_a_threat_area_from_geojson() -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [37.9, 48.6]},
        "properties": {"name": "mortar", "radius_m": 400},
    }
    result = goldenhour_bytes("cot", "encode", "-", stdin=json.dumps(feature).encode())
    event = decode_cot(result.stdout)
    assert event.type == "u-d-c-c" and isinstance(event.meaning, ThreatShape)


def test_encode_refuses_a_bad_9_line_with_exit_code_2() -> None:
    result = goldenhour("cot", "encode", "-", stdin=REQUEST.replace("L2 A0", "L2 A0 X9"))
    assert result.returncode == 2
    assert "line 5" in result.stderr
