"""Tests for ``goldenhour card pdf`` and ``card scan``, run through the installed console script.

The PDF is rendered with pdftoppm (Debian's poppler-utils) as a reader's viewer would; without it
the tests fail and say which package to install.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from goldenhour.demo.bilohorivka import demo_casualty_events
from goldenhour.domain.codec import encode_event

from cli_runner import goldenhour

NOW = "2022-06-14T13:17:00+00:00"
RADIO = ["--frequency", "38.900 MHZ", "--call-sign", "KALYNA 21", "--security", "E"]


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    injured_at = datetime.fromisoformat(NOW) - timedelta(minutes=45)
    events = [encode_event(event) for event in demo_casualty_events(injured_at=injured_at)]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events), encoding="utf-8")
    return path


def _render(pdf: Path) -> Path:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is not installed: install Debian's poppler-utils")
    prefix = pdf.with_suffix("")
    subprocess.run(
        [pdftoppm, "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return next(pdf.parent.glob(f"{prefix.name}-*1.png"))


def test_card_pdf_writes_a_two_page_pdf(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    result = goldenhour("card", "pdf", str(events_file), "-o", str(out), "--now", NOW, *RADIO)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert "QR code: 9-line + MIST (compact v1)" in result.stdout


def test_card_scan_prints_the_9_line_mist_and_essentials(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    goldenhour("card", "pdf", str(events_file), "-o", str(out), "--now", NOW, *RADIO)
    result = goldenhour("card", "scan", str(_render(out)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "LINE 1: 37U DQ 4356 1853\nLINE 2: 38.900 MHZ / KALYNA 21\nLINE 3: A0 B1 C0 D0 E0\n"
    )
    assert "LINE 6: E\n" in result.stdout
    assert "MIST Z: AP4821\n" in result.stdout
    assert "T: TQ left leg above the knee 1234Z CAT, on 43 min;" in result.stdout
    assert "CARD AP4821: T1 TQLL@202206141234 V@202206141252" in result.stdout


def test_card_scan_json_gives_the_9_line_as_data(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    goldenhour("card", "pdf", str(events_file), "-o", str(out), "--now", NOW, *RADIO)
    result = goldenhour("card", "scan", "--json", str(_render(out)))
    assert result.returncode == 0, result.stderr
    (decoded,) = json.loads(result.stdout)
    assert decoded["nine_line"]["location"] == "37UDQ43561853"
    assert decoded["nine_line"]["call_sign"] == "KALYNA 21"
    assert decoded["casualties"][0]["mist"].startswith("MIST Z: AP4821\n")


def test_card_scan_refuses_a_picture_without_a_qr_code(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    result = goldenhour("card", "scan", str(blank))
    assert result.returncode == 2
    assert "no QR code found" in result.stderr


def test_card_scan_refuses_a_file_that_is_no_picture(events_file: Path) -> None:
    result = goldenhour("card", "scan", str(events_file))
    assert result.returncode == 2
    assert "image: cannot read" in result.stderr


def test_card_pdf_refuses_an_unknown_line_6_code(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    result = goldenhour(
        "card", "pdf", str(events_file), "-o", str(out), "--now", NOW, "--security", "Q"
    )
    assert result.returncode == 2
    assert "--security: 'Q'; allowed: N, P, E, X" in result.stderr
    assert not out.exists()


def test_card_pdf_needs_the_token_variable_for_a_server(tmp_path: Path) -> None:
    result = goldenhour(
        "card", "pdf", "43350aa3-34c5-5724-973a-aa864727294e", "--server", "http://127.0.0.1:9",
        "--token-env", "GH_UNSET_TOKEN", "-o", str(tmp_path / "card.pdf"),
    )  # fmt: skip
    assert result.returncode == 2
    assert "GH_UNSET_TOKEN is not set" in result.stderr


def test_card_show_still_prints_the_card(events_file: Path) -> None:
    result = goldenhour("card", "show", str(events_file), "--now", NOW)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("CASUALTY CARD") and "AP4821" in first and "Petrenko, Andrii" in first


def test_card_pdf_names_the_configured_net_when_none_is_given(
    events_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "card.pdf"
    assert goldenhour("card", "pdf", str(events_file), "-o", str(out), "--now", NOW).returncode == 0
    result = goldenhour("card", "scan", str(_render(out)))
    assert "LINE 2: 38.900 MHZ / GOLDEN HOUR\n" in result.stdout


def test_card_pdf_without_a_pickup_point_carries_the_mist_text_alone(tmp_path: Path) -> None:
    injured_at = datetime.fromisoformat(NOW) - timedelta(minutes=45)
    first = encode_event(demo_casualty_events(injured_at=injured_at)[0])
    assert "position" not in json.dumps(first), "the first event must not place the casualty"
    events_file = tmp_path / "events.json"
    events_file.write_text(json.dumps([first]), encoding="utf-8")
    out = tmp_path / "card.pdf"
    result = goldenhour("card", "pdf", str(events_file), "-o", str(out), "--now", NOW, *RADIO)
    assert result.returncode == 0, result.stderr
    size = len(out.read_bytes())
    assert result.stdout.startswith(f"{out}: {size} bytes; QR code: MIST text (no 9-line), ")
    scanned = goldenhour("card", "scan", str(_render(out)))
    assert scanned.stdout.startswith("NO 9-LINE: the card had no pickup point\n"), scanned.stderr
