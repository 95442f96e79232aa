"""Tests for ``goldenhour compact``, run through the installed console script (errors exit 2)."""

from __future__ import annotations

from pathlib import Path

from goldenhour.adapters.radio import decode_compact

from cli_runner import goldenhour, goldenhour_bytes
from cot_samples import MINIMAL_MARKER, NINE_LINE_ZMIST

REQUEST = """\
LINE 1: 37U DQ 45019 90123
LINE 2: 38.900 MHZ / KALYNA 21
LINE 3: A0 B1 C0 D0 E0
LINE 5: L1 A0
LINE 9: NONE

MIST Z: PA4821
M: artillery
T: TQ left leg 1232Z
"""

DECODED = """\
LINE 1: 37U DQ 45019 90123
LINE 2: 38.900 MHZ / KALYNA 21
LINE 3: A0 B1 C0 D0 E0
LINE 5: L1 A0
LINE 9: NONE

MIST Z: PA4821
M: artillery
I:
S:
T: TQ left leg 1232Z
"""


def test_encode_writes_the_reference_9_line_in_at_most_200_bytes() -> None:
    result = goldenhour_bytes("compact", "encode", str(NINE_LINE_ZMIST))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) <= 200
    assert decode_compact(result.stdout).request.call_sign == "BEREG3"
    assert b"not carried by the compact form: title" in result.stderr


def test_decode_prints_the_9_line_and_mists_back(tmp_path: Path) -> None:
    path = tmp_path / "message.bin"
    path.write_bytes(goldenhour_bytes("compact", "encode", "-", stdin=REQUEST.encode()).stdout)
    result = goldenhour("compact", "decode", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == DECODED


def test_the_sms_form_round_trips_through_the_cli(tmp_path: Path) -> None:
    text = goldenhour("compact", "encode", "--text", "-", stdin=REQUEST)
    assert text.stdout.startswith("GH1\n1 37UDQ4501990123\n")
    assert "GSM-7, 1 SMS part(s)" in text.stderr
    back = goldenhour("compact", "decode", "-", stdin=text.stdout)
    assert back.stdout.startswith("LINE 1: 37U DQ 45019 90123\nLINE 2: 38.900 MHZ / KALYNA 21\n")


def test_voice_readback_is_phonetic() -> None:
    result = goldenhour("compact", "encode", "--voice", "-", stdin=REQUEST)
    assert "LINE ONE: GRID TREE SEVEN UNIFORM DELTA QUEBEC" in result.stdout


def test_decode_refuses_a_corrupted_message_with_exit_code_2(tmp_path: Path) -> None:
    data = bytearray(goldenhour_bytes("compact", "encode", str(NINE_LINE_ZMIST)).stdout)
    data[40] ^= 0x10
    path = tmp_path / "bad.bin"
    path.write_bytes(bytes(data))
    result = goldenhour("compact", "decode", str(path))
    assert (result.returncode, result.stdout) == (2, "")
    assert "checksum" in result.stderr


def test_sizes_compares_cot_takproto_compact_and_sms() -> None:
    result = goldenhour("compact", "sizes", str(NINE_LINE_ZMIST))
    rows = dict(line.split(maxsplit=1) for line in result.stdout.splitlines())
    assert rows["cot_xml_given"] == str(NINE_LINE_ZMIST.stat().st_size)
    assert int(rows["compact_binary"]) <= 200
    assert rows["sms_encoding"] == "GSM-7"


def test_encode_refuses_a_marker_without_a_9_line_with_exit_code_2() -> None:
    result = goldenhour("compact", "encode", str(MINIMAL_MARKER))
    assert result.returncode == 2
    assert "no frequency" in result.stderr
