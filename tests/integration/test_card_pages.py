"""The printed card's pages: front and back one page each, overflow on numbered sheets after them.

A card is printed duplex and cut out, so page 1 must be the front (identity, tourniquets, body
outline, QR code) and page 2 its back whatever the card holds; what does not fit goes to
continuation sheets printed after the back, each headed "ПРОДОВЖЕННЯ k/N / CONTINUED k/N" with
the casualty's name and short id. Pages are read as a reader sees them, with poppler's pdftotext,
and the QR code with ZBar's zbarimg (Debian's poppler-utils and zbar-tools, installed by
``scripts/bootstrap --test``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings

from goldenhour.adapters.printing import PrintingError, RadioNet, card_code, render_card_pdf
from goldenhour.adapters.printing.fonts import REGULAR, printable, register_fonts
from goldenhour.adapters.printing.qr_symbol import make_qr
from goldenhour.adapters.printing.sheet import wrap
from goldenhour.adapters.radio import decode_compact
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID, DEMO_RADIO, demo_casualty_events
from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    DiagnosisRecorded,
    InjuryRecorded,
    NoteAdded,
    TourniquetApplied,
    VitalsRecorded,
)
from goldenhour.domain.casualty.vocabulary import BodyRegion, Laterality, Limb, SignalStrip
from goldenhour.domain.medevac.from_card import injury_text

from builders import CASUALTY, at, make
from strategies_card import printed_card_histories

NOW = datetime(2022, 6, 14, 13, 17, tzinfo=UTC)
INJURED_AT = NOW - timedelta(minutes=45)
NET = RadioNet(frequency=DEMO_RADIO.frequency, call_sign=DEMO_RADIO.call_sign)
FRONT_TITLE = "TCCC CASUALTY CARD"
OUTLINE_LABELS = ("спереду / front", "ззаду / back")
BACK_TITLE = "ЗВОРОТ / BACK"
G_CLEF = "\U0001d11e"  # MUSICAL SYMBOL G CLEF: DejaVu Sans has no glyph for it
PACKAGES = {"pdftotext": "poppler-utils", "pdftoppm": "poppler-utils", "zbarimg": "zbar-tools"}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: install Debian's {PACKAGES[name]}")
    return path


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """Return the text of each page, as pdftotext reads it (it ends every page with a form feed)."""
    source = tmp_path / "pages.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [_tool("pdftotext"), "-layout", str(source), "-"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return result.stdout.decode("utf-8").split("\f")[:-1]


def _raw_sides(pdf: bytes, tmp_path: Path) -> tuple[str, str]:
    """Return the front's and the back's text, each with its continuation sheets, in drawing order.

    pdftotext's ``-raw`` keeps the order text was drawn in; footers and "continues on" pointers
    are dropped, and of each continuation sheet only what follows its "↳ ... continued" line.
    """
    source = tmp_path / "raw.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [_tool("pdftotext"), "-raw", str(source), "-"], check=True, capture_output=True,
        timeout=60,
    )  # fmt: skip
    front, back, *continued = result.stdout.decode("utf-8").split("\f")[:-1]
    sides = {"front": [front], "back": [back]}
    for page in continued:
        marker = next(line for line in page.splitlines() if line.startswith("↳"))
        side = "front" if "front, continued" in marker else "back"
        sides[side].append(page.split(marker, 1)[1])
    kept = {
        side: [line for page in pages for line in page.splitlines()
               if not line.startswith(("Golden Hour ·", "ID ", "далі →"))]
        for side, pages in sides.items()
    }  # fmt: skip
    return "".join(kept["front"]), "".join(kept["back"])


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", printable(text, REGULAR))


def _qr_payload(pdf: bytes, tmp_path: Path) -> bytes:
    source = tmp_path / "qr.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", "150", "-f", "1", "-l", "1", str(source),
         str(tmp_path / "qr")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (image,) = tmp_path.glob("qr-*.png")
    result = subprocess.run(
        [_tool("zbarimg"), "--raw", "-q", "-Sbinary", str(image)],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    return result.stdout


def _short_id(casualty_id: UUID) -> str:
    return str(casualty_id)[:8]


def _assert_front_back_and_continuations(pages: list[str], casualty_id: UUID) -> None:
    """Check page 1 is the front with the outline, page 2 the back, the rest numbered sheets."""
    assert len(pages) >= 2
    front, back, *continued = pages
    assert FRONT_TITLE in front
    for words in OUTLINE_LABELS:
        assert words in front
    assert BACK_TITLE in back and FRONT_TITLE not in back
    for number, page in enumerate(continued, start=1):
        assert f"CONTINUED {number}/{len(continued)}" in page
        assert _short_id(casualty_id) in page
    assert "CONTINUED" not in front and "CONTINUED" not in back


def _render(card: Card) -> tuple[bytes, bytes]:
    payload = card_code(card, now=NOW, net=NET)
    return payload, render_card_pdf(card, now=NOW, compact=payload)


def _demo_with(*extra: CasualtyEvent) -> Card:
    return fold(DEMO_CASUALTY_ID, [*demo_casualty_events(injured_at=INJURED_AT), *extra])


def _tourniquet(limb: Limb, minute: int) -> TourniquetApplied:
    return make(TourniquetApplied, casualty_id=DEMO_CASUALTY_ID, limb=limb,
                occurred_at=INJURED_AT + timedelta(minutes=minute),
                recorded_at=INJURED_AT + timedelta(minutes=minute))  # fmt: skip


def _injury(description: str) -> InjuryRecorded:
    return make(InjuryRecorded, casualty_id=DEMO_CASUALTY_ID, region=BodyRegion.FOREARM,
                laterality=Laterality.RIGHT, description=description,
                occurred_at=INJURED_AT + timedelta(minutes=20),
                recorded_at=INJURED_AT + timedelta(minutes=20))  # fmt: skip


def _strip() -> DiagnosisRecorded:
    return make(DiagnosisRecorded, casualty_id=DEMO_CASUALTY_ID, diagnosis="Вибухова травма",
                signal_strips=frozenset({SignalStrip.URGENT_CARE}),
                occurred_at=NOW - timedelta(minutes=2),
                recorded_at=NOW - timedelta(minutes=1))  # fmt: skip


def test_two_tourniquets_two_injuries_and_a_strip_print_as_one_front_and_one_back(
    tmp_path: Path,
) -> None:
    """The reported card: it printed on 3 pages, the outline pushed off the front."""
    card = _demo_with(_tourniquet(Limb.RIGHT_ARM, 3), _injury("fragment wound"), _strip())
    assert (len(card.tourniquets), len(card.injuries)) == (2, 2)
    payload, pdf = _render(card)
    pages = _pages(pdf, tmp_path)
    assert len(pages) == 2
    _assert_front_back_and_continuations(pages, card.casualty_id)
    front = pages[0]
    assert "1234Z" in front and "1235Z" in front  # both tourniquet times stay on the front
    assert "fragment wound" in front
    assert _qr_payload(pdf, tmp_path) == payload


def test_an_overflowing_card_continues_on_numbered_sheets_after_the_back(tmp_path: Path) -> None:
    """Six tourniquets, a dozen injuries and long notes: front and back stay pages 1 and 2."""
    limbs = (Limb.RIGHT_ARM, Limb.LEFT_ARM, Limb.RIGHT_LEG, Limb.LEFT_ARM, Limb.RIGHT_ARM)
    extra: list[CasualtyEvent] = [_tourniquet(limb, 3 + n) for n, limb in enumerate(limbs)]
    extra += [_injury(f"fragment wound number {n} with a long description") for n in range(12)]
    extra += [
        make(NoteAdded, casualty_id=DEMO_CASUALTY_ID, text=f"note {n} " + "bleeding checked " * 30,
             occurred_at=NOW - timedelta(minutes=9), recorded_at=NOW - timedelta(minutes=9))
        for n in range(6)
    ]  # fmt: skip
    extra += [
        make(VitalsRecorded, casualty_id=DEMO_CASUALTY_ID, pulse=100 + n,
             occurred_at=INJURED_AT + timedelta(minutes=14 + n),
             recorded_at=INJURED_AT + timedelta(minutes=14 + n))
        for n in range(5)
    ]  # fmt: skip
    card = _demo_with(*extra, _strip())
    payload, pdf = _render(card)
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 3
    _assert_front_back_and_continuations(pages, card.casualty_id)
    everything = "\n".join(pages)
    for minute in range(2, 8):  # every tourniquet time is printed, on the front or continued
        assert f"12{32 + minute}Z" in everything
    assert "fragment wound number 11" in everything
    assert "note 5 bleeding" in everything
    # Seven sets of vitals: the front's table has the last four, a continuation the others.
    assert "1237Z P 118" in everything and "1247Z P 101" in everything
    assert _qr_payload(pdf, tmp_path) == payload


def test_a_character_the_font_lacks_prints_as_a_replacement_mark_and_the_qr_keeps_it(
    tmp_path: Path,
) -> None:
    card = _demo_with(_injury(f"wound under the {G_CLEF} tattoo"))
    payload, pdf = _render(card)
    text = "\n".join(_pages(pdf, tmp_path))
    assert G_CLEF not in text
    assert "under the \ufffd tattoo" in text
    scanned = _qr_payload(pdf, tmp_path)
    assert scanned == payload
    (handover,) = decode_compact(scanned).casualties
    assert any(G_CLEF in injury for injury in handover.mist.injuries)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=printed_card_histories())
def test_any_card_prints_front_and_back_on_one_page_each_then_numbered_sheets(
    events: list[CasualtyEvent], tmp_path_factory: pytest.TempPathFactory
) -> None:
    card = fold(CASUALTY, events)
    payload = card_code(card, now=at(90), net=NET)
    pdf = render_card_pdf(card, now=at(90), compact=payload)
    tmp_path = tmp_path_factory.mktemp("card")
    pages = _pages(pdf, tmp_path)
    _assert_front_back_and_continuations(pages, card.casualty_id)
    everything = re.sub(r"\s+", "", "".join(pages))
    assert G_CLEF not in everything and "\U0001f9e0" not in everything
    # Nothing is cut: every injury line and every note is printed whole, on its side.
    front, back = (re.sub(r"\s+", "", side) for side in _raw_sides(pdf, tmp_path))
    for number, injury in enumerate(card.injuries, start=1):
        assert _squeezed(f"{number}. {injury_text(injury)}") in front
    for note in card.notes:
        assert _squeezed(note.text) in back


def test_a_payload_that_fits_a_qr_code_only_at_level_m_is_encoded_at_m() -> None:
    """Between 1,663 and 2,331 bytes fit a version 40 symbol at M (15 %) but not at Q (25 %)."""
    assert make_qr(b"x" * 2000).error == "M"


def test_a_word_wrapped_into_a_column_with_no_room_ends() -> None:
    """Beside a version 40 QR code the vitals column has no width; wrapping must still end."""
    register_fonts()
    found: list[list[str]] = []
    worker = threading.Thread(
        target=lambda: found.append(wrap("wound", font=REGULAR, size=5.4, width=-2.0)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=30)
    assert found == [["w", "o", "u", "n", "d", ""]]


def test_a_qr_code_that_leaves_no_room_for_the_front_is_refused_naming_the_qr() -> None:
    """2,252 bytes of MIST text: a version 40 symbol, 262 pt wide on a 268 pt wide page."""
    registered = next(e for e in demo_casualty_events(injured_at=INJURED_AT)
                      if isinstance(e, CasualtyRegistered))  # fmt: skip
    injuries = [_injury(f"wound {n} " + "fragment wound thigh " * 4) for n in range(20)]
    card = fold(DEMO_CASUALTY_ID, [replace(registered, position=None), *injuries])
    payload = card_code(card, now=NOW, net=NET)
    assert payload.startswith(b"MIST") and make_qr(payload).version == 40
    with pytest.raises(PrintingError) as refused:
        render_card_pdf(card, now=NOW, compact=payload)
    assert refused.value.field == "qr"
