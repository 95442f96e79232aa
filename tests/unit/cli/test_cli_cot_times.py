"""``cot decode`` and ``tak send`` report the same way, naming the attribute (issue 12, item 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import goldenhour

TIMES = 'time="2026-08-19T01:20:26Z" start="2026-08-19T01:20:26Z" stale="2026-08-20T01:20:26Z"'


def _event(times: str, *, cot_type: str = "b-r-f-h-c", detail: str = "") -> str:
    return (
        f'<event version="2.0" uid="test-cli-1" type="{cot_type}" how="h-g-i-g-o" {times}>'
        '<point lat="48.52" lon="37.95" hae="9999999.0" ce="9999999.0" le="9999999.0"/>'
        f'<detail><contact callsign="KALYNA 21"/>{detail}</detail></event>'
    )


MEDEVAC = '<_medevac_ title="MED.1" freq="0.0" urgent="2" litter="2" security="N"/>'


def test_decode_reads_a_medevac_without_times_or_frequency_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "medevac.xml"
    path.write_text(_event("", detail=MEDEVAC))

    result = goldenhour("cot", "decode", str(path))

    assert result.returncode == 0, result.stderr
    assert "LINE 2: NO FREQUENCY / KALYNA 21" in result.stdout
    assert "LINE 6: N" in result.stdout
    assert "event@time, event@start, event@stale missing: dated when received" in result.stderr
    assert "line 2: freq='0.0'" in result.stderr


def test_decode_warns_of_times_filled_on_any_event(tmp_path: Path) -> None:
    path = tmp_path / "point.xml"
    path.write_text(_event('time="2026-08-19T01:20:26Z"', cot_type="a-u-G"))

    result = goldenhour("cot", "decode", str(path))

    assert result.returncode == 0, result.stderr
    assert "warning: event@start, event@stale missing: dated when received" in result.stderr


@pytest.mark.parametrize("command", [("cot", "decode"), ("tak", "send", "--tak-port", "9")])
def test_an_unreadable_time_is_reported_naming_the_attribute_and_the_file(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = tmp_path / "late.xml"
    path.write_text(_event(TIMES.replace("2026-08-19T01:20:26Z", "soon", 1), detail=MEDEVAC))

    result = goldenhour(*command, str(path))

    assert result.returncode == 2
    assert result.stderr.strip() == f"error: event@time: {path}: 'soon' is not an ISO 8601 time"


def test_decode_says_a_chat_receipt_is_not_a_message(tmp_path: Path) -> None:
    path = tmp_path / "receipt.xml"
    path.write_text(_event(TIMES, cot_type="b-t-f-d", detail="<remarks/>"))

    result = goldenhour("cot", "decode", str(path))

    assert result.returncode == 2
    assert "'b-t-f-d' is a chat delivery or read receipt, not a message" in result.stderr
