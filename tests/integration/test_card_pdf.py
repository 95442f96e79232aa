"""The printed card, checked as a reader sees it: rendered by poppler, its QR code read by ZBar.

pdftoppm and pdftotext come from Debian's ``poppler-utils``, zbarimg from ``zbar-tools`` and
libzbar from ``libzbar0``; ``scripts/bootstrap --test`` installs them. Without them these tests
fail, saying which package is missing: a printed card nobody checked is not a tested card.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from uuid import uuid4

import pytest
from PIL import Image

from goldenhour.adapters.printing import (
    RadioNet,
    card_code,
    read_card_code,
    render_card_pdf,
    scan_qr_codes,
)
from goldenhour.adapters.radio import decode_compact
from goldenhour.demo.bilohorivka import (
    DEMO_CASUALTY_ID,
    DEMO_RADIO,
    PICKUP_SITE,
    demo_casualty_events,
)
from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    DiagnosisRecorded,
    EvacuationRequested,
    InjuryRecorded,
    TourniquetApplied,
)
from goldenhour.domain.casualty.vocabulary import BodyRegion, Laterality, Limb, SignalStrip
from goldenhour.domain.codec import encode_event
from goldenhour.domain.medevac.from_card import nine_line_from_cards

from cli_runner import GOLDENHOUR

NOW = datetime(2022, 6, 14, 13, 17, tzinfo=UTC)
INJURED_AT = NOW - timedelta(minutes=45)
NET = RadioNet(
    frequency=DEMO_RADIO.frequency,
    call_sign=DEMO_RADIO.call_sign,
    security=DEMO_RADIO.security,
    marking=DEMO_RADIO.marking,
)
PACKAGES = {"pdftoppm": "poppler-utils", "pdftotext": "poppler-utils", "zbarimg": "zbar-tools"}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: install Debian's {PACKAGES[name]}"
            " (scripts/bootstrap --test does)"
        )
    return path


def _events() -> list[CasualtyEvent]:
    return demo_casualty_events(injured_at=INJURED_AT)


def _card(events: list[CasualtyEvent]) -> Card:
    return fold(DEMO_CASUALTY_ID, events)


def _png(pdf: bytes, tmp_path: Path, *, page: int = 1) -> Path:
    (tmp_path / "card.pdf").write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", "150", "-f", str(page), "-l", str(page),
         str(tmp_path / "card.pdf"), str(tmp_path / "page")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return next(tmp_path.glob(f"page-*{page}.png"))


def _text(pdf: bytes, tmp_path: Path, *, page: int | None = None) -> str:
    (tmp_path / "text.pdf").write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    result = subprocess.run(
        [_tool("pdftotext"), "-layout", *pages, str(tmp_path / "text.pdf"), "-"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return result.stdout.decode("utf-8")


def _demo_pdf() -> tuple[Card, bytes, bytes]:
    card = _card(_events())
    payload = card_code(card, now=NOW, net=NET)
    return card, payload, render_card_pdf(card, now=NOW, compact=payload)


def test_the_qr_code_read_from_the_rendered_card_gives_back_the_compact_message(
    tmp_path: Path,
) -> None:
    card, payload, pdf = _demo_pdf()
    assert scan_qr_codes(_png(pdf, tmp_path)) == [payload]
    message = decode_compact(payload)
    expected = nine_line_from_cards(
        [card], pickup=PICKUP_SITE, frequency=NET.frequency, call_sign=NET.call_sign,
        security=NET.security, marking=NET.marking,
    )  # fmt: skip
    assert message.request == expected
    (handover,) = message.casualties
    assert handover.mist.zap == "AP4821"
    assert [(t.limb, t.applied_at) for t in handover.tourniquets] == [
        (Limb.LEFT_LEG, INJURED_AT + timedelta(minutes=2))
    ]
    assert handover.vitals is not None and handover.vitals.pulse == 112


def test_zbarimg_reads_the_same_bytes_from_the_rendered_card(tmp_path: Path) -> None:
    _, payload, pdf = _demo_pdf()
    result = subprocess.run(
        [_tool("zbarimg"), "--raw", "-q", "-Sbinary", str(_png(pdf, tmp_path))],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.stdout == payload


def test_the_printed_qr_code_is_at_least_3_cm_wide(tmp_path: Path) -> None:
    from pyzbar.pyzbar import ZBarSymbol, decode  # type: ignore[import-untyped]

    _, _, pdf = _demo_pdf()
    with Image.open(_png(pdf, tmp_path)) as image:
        (symbol,) = decode(image, symbols=[ZBarSymbol.QRCODE])
    # The symbol without its quiet zone, in pixels at 150 dpi.
    assert symbol.rect.width / 150 * 2.54 >= 3.0


def test_the_pdf_text_holds_the_tourniquet_time_limb_and_both_languages(tmp_path: Path) -> None:
    _, _, pdf = _demo_pdf()
    front = _text(pdf, tmp_path, page=1)
    assert "1234Z" in front  # applied 2 minutes after the 1232Z injury
    assert "1434Z" in front  # its 2-hour mark
    assert "L LEG" in front and "Л. нога" in front
    assert "ДЖГУТ" in front and "TOURNIQUET" in front
    back = _text(pdf, tmp_path, page=2)
    assert "TXA" in back and "Ketamine" in back
    assert "Koval, Yurii" in back


def test_the_same_card_prints_the_same_pdf() -> None:
    assert _demo_pdf()[2] == _demo_pdf()[2]


def test_a_card_without_a_pickup_point_carries_the_mist_as_text(tmp_path: Path) -> None:
    events = [
        replace(e, position=None) if isinstance(e, CasualtyRegistered) else e
        for e in _events()
        if not isinstance(e, EvacuationRequested)
    ]
    card = _card(events)
    payload = card_code(card, now=NOW, net=NET)
    assert payload.startswith(b"MIST Z: AP4821\n")
    (found,) = scan_qr_codes(_png(render_card_pdf(card, now=NOW, compact=payload), tmp_path))
    code = read_card_code(found)
    assert code.message is None
    assert code.mists[0].treatment[0].startswith("TQ left leg above the knee 1234Z CAT")


def _crowded_events() -> list[CasualtyEvent]:
    events = _events()
    base = events[0]
    for minute, limb in enumerate((Limb.RIGHT_ARM, Limb.LEFT_ARM, Limb.RIGHT_LEG), start=3):
        events.append(
            TourniquetApplied(
                event_id=uuid4(), casualty_id=DEMO_CASUALTY_ID, author="medic", device="d",
                occurred_at=INJURED_AT + timedelta(minutes=minute),
                recorded_at=INJURED_AT + timedelta(minutes=minute + 1), limb=limb,
            )
        )  # fmt: skip
    for number in range(12):
        events.append(
            InjuryRecorded(
                event_id=uuid4(), casualty_id=DEMO_CASUALTY_ID, author="medic", device="d",
                occurred_at=INJURED_AT + timedelta(minutes=20), recorded_at=base.recorded_at
                + timedelta(minutes=20), region=BodyRegion.FOREARM, laterality=Laterality.RIGHT,
                description=f"fragment wound number {number} with a long description of it",
            )
        )  # fmt: skip
    events.append(
        DiagnosisRecorded(
            event_id=uuid4(), casualty_id=DEMO_CASUALTY_ID, author="doctor", device="d",
            occurred_at=NOW - timedelta(minutes=2), recorded_at=NOW - timedelta(minutes=1),
            diagnosis="Вибухова травма; осколкові поранення кінцівок",
            signal_strips=frozenset({SignalStrip.URGENT_CARE, SignalStrip.ISOLATION}),
        )
    )  # fmt: skip
    return events


def test_a_crowded_card_keeps_every_tourniquet_and_the_qr_code_on_the_front(
    tmp_path: Path,
) -> None:
    card = _card(_crowded_events())
    payload = card_code(card, now=NOW, net=NET)
    pdf = render_card_pdf(card, now=NOW, compact=payload)
    assert scan_qr_codes(_png(pdf, tmp_path)) == [payload]
    front = _text(pdf, tmp_path, page=1)
    for time in ("1234Z", "1235Z", "1236Z", "1237Z"):
        assert time in front
    assert "НЕВІДКЛАДНА ДОПОМОГА / URGENT CARE" in front
    everything = _text(pdf, tmp_path)
    assert "fragment wound number 11" in everything  # continued on a later page, not cut


class _History(BaseHTTPRequestHandler):
    history: list[dict[str, object]] = []
    seen_authorization: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        self.seen_authorization.append(self.headers.get("Authorization", ""))
        found = self.path == f"/api/v1/casualties/{DEMO_CASUALTY_ID}"
        body = json.dumps({"card": {}, "history": self.history}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body if found else b'{"detail": []}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def history_server() -> Iterator[str]:
    _History.history = [encode_event(event) for event in _events()]
    _History.seen_authorization = []
    server = HTTPServer(("127.0.0.1", 0), _History)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _cli(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1", "LANG": "C.UTF-8"}
    if token is not None:
        env["GH_TEST_TOKEN"] = token
    return subprocess.run(
        [str(GOLDENHOUR), *args], capture_output=True, text=True, timeout=60, check=False, env=env
    )


def test_card_pdf_prints_a_casualty_fetched_from_a_server(
    history_server: str, tmp_path: Path
) -> None:
    out = tmp_path / "card.pdf"
    result = _cli(
        "card", "pdf", str(DEMO_CASUALTY_ID), "--server", history_server,
        "--token-env", "GH_TEST_TOKEN", "-o", str(out), "--now", NOW.isoformat(),
        "--frequency", NET.frequency, "--call-sign", NET.call_sign, "--security", "E",
        "--marking", "D", token="secret-token",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _History.seen_authorization == ["Bearer secret-token"]
    _, payload, _ = _demo_pdf()
    assert scan_qr_codes(_png(out.read_bytes(), tmp_path)) == [payload]


def test_card_pdf_reports_a_casualty_the_server_does_not_know(
    history_server: str, tmp_path: Path
) -> None:
    result = _cli(
        "card", "pdf", str(uuid4()), "--server", history_server, "--token-env", "GH_TEST_TOKEN",
        "-o", str(tmp_path / "card.pdf"), token="secret-token",
    )  # fmt: skip
    assert result.returncode == 2
    assert "not found" in result.stderr
    assert not (tmp_path / "card.pdf").exists()


def test_the_printed_card_carries_the_burns_total_and_the_gcs_parts(tmp_path: Path) -> None:
    """Issue 13 item 11: each burn's %TBSA, their total under the injuries, GCS E/V/M in NOTES."""
    from goldenhour.domain.casualty.events import VitalsRecorded
    from goldenhour.domain.casualty.vocabulary import InjuryKind

    envelope = {"casualty_id": DEMO_CASUALTY_ID, "author": "medic", "device": "phone-1"}
    moment = INJURED_AT + timedelta(minutes=20)
    added = [
        InjuryRecorded(
            event_id=uuid4(),
            occurred_at=moment,
            recorded_at=moment,
            **envelope,
            region=region,
            kinds=frozenset({InjuryKind.BURN}),
            burn_tbsa_percent=percent,
        )  # fmt: skip
        for region, percent in ((BodyRegion.CHEST, 9.0), (BodyRegion.BACK, 4.5))
    ] + [
        VitalsRecorded(
            event_id=uuid4(),
            occurred_at=moment,
            recorded_at=moment,
            **envelope,
            gcs_eye=3,
            gcs_verbal=4,
            gcs_motor=6,
        )  # fmt: skip
    ]
    card = _card([*_events(), *added])
    pdf = render_card_pdf(card, now=NOW, compact=card_code(card, now=NOW, net=NET))
    text = " ".join(_text(pdf, tmp_path).split())
    assert "Burns, %TBSA: 13.5" in text
    assert "GCS 13 E3V4M6" in text
