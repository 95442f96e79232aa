"""Each 9-line line of an ATAK ``<_medevac_>`` is read on its own (issue 12, item 11).

The messages are the project's own, written as ATAK, WinTAK and Meshtastic's TAK SDK write them.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

import pytest

from goldenhour.adapters.cot import MedevacMarker, decode_cot, encode_cot
from goldenhour.domain.medevac.nine_line import Marking, Nationality, Security
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line
from goldenhour.domain.triage.categories import Precedence

# A WinTAK CASEVAC as it is sent: no usable frequency, fifteen patients, precedence A first.
WINTAK_COUNTS = {
    "urgent": "1",
    "urgent_surgical": "2",
    "priority": "4",
    "routine": "3",
    "convenience": "5",
}


def medevac_xml(**attributes: str) -> bytes:
    """Return a ``b-r-f-h-c`` marker whose ``<_medevac_>`` carries ``attributes``."""
    medevac = " ".join(f"{name}={quoteattr(value)}" for name, value in attributes.items())
    return (
        '<event version="2.0" uid="test-medevac-1" type="b-r-f-h-c" how="h-g-i-g-o" '
        'time="2026-08-19T01:20:26Z" start="2026-08-19T01:20:26Z" stale="2026-08-20T01:20:26Z">'
        '<point lat="48.5" lon="37.9" hae="9999999.0" ce="9999999.0" le="9999999.0"/>'
        f'<detail><contact callsign="KALYNA 21"/><_medevac_ {medevac}/></detail></event>'
    ).encode()


def _marker(data: bytes) -> MedevacMarker:
    meaning = decode_cot(data).meaning
    assert isinstance(meaning, MedevacMarker)
    return meaning


@pytest.mark.parametrize("freq", ["0.0", None, "", "channel nine"])
def test_a_frequency_that_cannot_be_read_keeps_every_other_line(freq: str | None) -> None:
    attributes = {"title": "MED.19.011941", "casevac": "False", **WINTAK_COUNTS}
    attributes |= {"equipment_none": "true", "ambulatory": "1", "security": "0"}
    attributes |= {"hlz_marking": "3", "terrain_none": "true"}
    if freq is not None:
        attributes["freq"] = freq
    marker = _marker(medevac_xml(**attributes))

    nine = marker.nine_line
    assert nine is not None
    assert nine.frequency is None
    assert nine.call_sign == "KALYNA 21"
    assert nine.total_patients == 15
    assert nine.patients_by_precedence[Precedence.URGENT] == 1
    assert nine.patients_by_precedence[Precedence.CONVENIENCE] == 5
    assert (nine.security, nine.marking, nine.ambulatory) == (
        Security.NO_ENEMY,
        Marking.NONE,
        1,
    )
    assert any(w.startswith("line 2:") and "frequency" in w for w in marker.warnings)
    if freq:
        assert ("freq", freq) in marker.extras  # kept as sent, and written back so


def test_the_request_without_a_frequency_says_so_in_its_text_and_reads_back() -> None:
    marker = _marker(medevac_xml(freq="0.0", urgent="2", litter="2"))
    assert marker.nine_line is not None
    text = encode_nine_line(marker.nine_line)
    assert "LINE 2: NO FREQUENCY / KALYNA 21\n" in text
    assert parse_nine_line(text) == marker.nine_line


def test_an_unreadable_count_is_named_and_the_other_counts_kept() -> None:
    marker = _marker(
        medevac_xml(freq="38.9", urgent="two", priority="3", litter="x", ambulatory="3")
    )
    nine = marker.nine_line
    assert nine is not None
    assert nine.frequency == "38.900 MHZ"
    assert nine.patients_by_precedence[Precedence.PRIORITY] == 3
    assert nine.ambulatory == 3
    assert any("line 3 left out" in w and "urgent='two'" in w for w in marker.warnings)
    assert any("line 5 left out" in w and "litter='x'" in w for w in marker.warnings)
    assert ("urgent", "two") in marker.extras


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        ("N", Security.NO_ENEMY),
        ("Possible enemy in area", Security.POSSIBLE_ENEMY),
        ("possible enemy troops in area, approach with caution", Security.POSSIBLE_ENEMY),
        ("E", Security.ENEMY_IN_AREA),
        ("X - Enemy troops in area, armed escort required", Security.ARMED_ESCORT_REQUIRED),
        ("2", Security.ENEMY_IN_AREA),  # ATAK's own list position
    ],
)
def test_security_written_as_text_is_read_as_that_entry(security: str, expected: Security) -> None:
    marker = _marker(medevac_xml(freq="38.9", urgent="1", litter="1", security=security))
    assert marker.nine_line is not None
    assert marker.nine_line.security is expected
    assert not any("line 6" in w for w in marker.warnings)


@pytest.mark.parametrize(
    ("marking", "expected"),
    [
        ("Smoke", Marking.SMOKE),
        ("panels", Marking.PANELS),
        ("Pyrotechnic", Marking.PYROTECHNIC),
        ("None", Marking.NONE),
        ("1", Marking.PYROTECHNIC),
    ],
)
def test_hlz_marking_written_as_text_is_read_as_that_entry(marking: str, expected: Marking) -> None:
    marker = _marker(medevac_xml(freq="38.9", urgent="1", litter="1", hlz_marking=marking))
    assert marker.nine_line is not None
    assert marker.nine_line.marking is expected


def test_a_security_naming_no_entry_leaves_out_line_6_only() -> None:
    marker = _marker(
        medevac_xml(freq="38.9", urgent="1", litter="1", security="quiet", hlz_marking="Smoke")
    )
    assert marker.nine_line is not None
    assert marker.nine_line.security is None
    assert marker.nine_line.marking is Marking.SMOKE
    assert any(w.startswith("line 6 left out: security='quiet'") for w in marker.warnings)
    assert ("security", "quiet") in marker.extras


def test_the_meshtastic_sdk_medevac_is_read_whole() -> None:
    """Meshtastic's TAK SDK writes security="N", hlz_marking="Smoke" and non_us_military."""
    marker = _marker(
        medevac_xml(
            title="M-1",
            freq="38.90",
            urgent="2",
            priority="1",
            hoist="true",
            litter="2",
            ambulatory="1",
            security="N",
            hlz_marking="Smoke",
            us_military="2",
            us_civilian="0",
            non_us_military="1",
            non_us_civilian="0",
            epw="0",
            terrain_slope="true",
            terrain_slope_dir="NE",
            terrain_loose="true",
        )  # fmt: skip
    )
    nine = marker.nine_line
    assert nine is not None
    assert nine.patients_by_nationality is not None
    assert nine.patients_by_nationality[Nationality.OTHER_MILITARY] == 1
    assert nine.total_problems() == ()
    assert (nine.security, nine.marking, nine.terrain) == (
        Security.NO_ENEMY,
        Marking.SMOKE,
        "SLOPE NE, LOOSE",
    )
    assert "non_us_military" not in dict(marker.extras)


def test_a_line_the_model_refuses_is_left_out_alone() -> None:
    """A marking description with a control character takes out line 7, not the request."""
    marker = _marker(
        medevac_xml(
            freq="38.9",
            urgent="1",
            litter="1",
            security="1",
            hlz_marking="4",
            hlz_other="cloth \x80",
        )  # fmt: skip
    )
    assert marker.nine_line is not None
    assert marker.nine_line.marking is None
    assert marker.nine_line.security is Security.POSSIBLE_ENEMY
    assert any(w.startswith("line 7 left out") for w in marker.warnings)


def test_an_empty_nine_line_is_still_a_casualty_marker_without_a_request() -> None:
    marker = _marker(medevac_xml(title="MED.2.205722", equipment_none="true", casevac="false"))
    assert marker.nine_line is None
    assert "no frequency" in marker.warnings[0]


def test_an_unreadable_frequency_is_written_back_as_it_came() -> None:
    data = encode_cot(decode_cot(medevac_xml(freq="0.0", urgent="1", litter="1")))
    assert b'freq="0.0"' in data
    assert (
        _marker(data).nine_line
        == _marker(medevac_xml(freq="0.0", urgent="1", litter="1")).nine_line
    )
