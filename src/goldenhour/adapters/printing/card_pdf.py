"""Print a casualty card as a PDF: DD 1380 and Form 100 fields in Ukrainian and English, and a QR.

The page is DD 1380's size, 4 x 7 in (102 x 178 mm), portrait, so the printed card fits the
pocket and the plastic sleeve made for the paper card; it prints on A4 or Letter at 100 % and is
cut out. Page 1 is the card's front (with the QR code), page 2 its back; a card too long for two
pages continues on a third, never cut. Every time is in UTC (Zulu), marked ``Z``.

The PDF is the same for the same card, ``now`` and payload (ReportLab's invariant mode), so a
printed card can be checked against a reprint.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from goldenhour.adapters.printing import labels
from goldenhour.adapters.printing.back import draw_back
from goldenhour.adapters.printing.card_code import read_card_code
from goldenhour.adapters.printing.fonts import register_fonts
from goldenhour.adapters.printing.front import draw_front, draw_header
from goldenhour.adapters.printing.qr_symbol import make_qr
from goldenhour.adapters.printing.sheet import GREY, Sheet
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.geo.mgrs import format_mgrs

__all__ = ["PAGE_SIZE", "render_card_pdf"]

#: DD 1380's size, in points.
PAGE_SIZE = (4 * inch, 7 * inch)
MARGIN = 10.0
FOOTER = 12.0


def _caption(compact: bytes) -> list[str]:
    code = read_card_code(compact)
    if code.message is None:
        return [f"QR: MIST ({len(compact)} B); без 9-рядкового: немає місця підбору /"
                " no 9-line: no pickup point"]  # fmt: skip
    request = code.message.request
    counts = " ".join(f"{c.code}{n}" for c, n in request.patients_by_precedence.items() if n)
    return [
        f"QR: 9-line + MIST, compact v1, {len(compact)} B",
        f"L1 {format_mgrs(request.location)} · L3 {counts}",
        f"L2 {request.frequency} / {request.call_sign}",
    ]


def render_card_pdf(card: Card, *, now: datetime, compact: bytes) -> bytes:
    """Render the card as a PDF whose QR code carries ``compact``; return the PDF's bytes.

    ``compact`` is what ``card_code`` returns: the compact radio message, or MIST text. Raises
    ``PrintingError`` when the font is missing or the payload does not fit a QR code, and
    ``CompactError`` or ``MistError`` when the payload is not one a scanner could read back.

    >>> pdf = render_card_pdf(card, now=now, compact=card_code(card, now=now, net=net))
    ... # doctest: +SKIP
    """
    register_fonts()
    code = make_qr(compact)
    caption = _caption(compact)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE_SIZE, invariant=True, pageCompression=1)
    who = card.identity
    canvas.setTitle(f"Casualty card {who.battle_roster or who.display_name()}")
    canvas.setAuthor("Golden Hour")
    canvas.setSubject("DD 1380 / Form 100 casualty card with a 9-line + MIST QR code")

    def footer(sheet: Sheet) -> None:
        printed = (
            f"Golden Hour · надруковано / printed {labels.card_date(now)} {labels.zulu_time(now)}"
            f" · {card.version} подій / events · стор. / page {sheet.page}"
        )
        sheet.text(sheet.left, sheet.height - MARGIN - 10, printed, size=4.6, colour=GREY)
        sheet.text(sheet.left, sheet.height - MARGIN - 4.5, f"ID {card.casualty_id}", size=4.6,
                   colour=GREY)  # fmt: skip

    titles = ["ПРОДОВЖЕННЯ / CONTINUED · КАРТКА ПОРАНЕНОГО"]

    def header(sheet: Sheet) -> float:
        return draw_header(sheet, card, title=titles[-1])

    sheet = Sheet(
        canvas=canvas, width=PAGE_SIZE[0], height=PAGE_SIZE[1], margin=MARGIN, footer=FOOTER,
        start_page=header, finish_page=footer,
    )  # fmt: skip
    draw_front(sheet, card, now=now, code=code, caption=caption)
    titles.append("ЗВОРОТ / BACK · КАРТКА ПОРАНЕНОГО")
    draw_back(sheet, card, sheet.new_page())
    footer(sheet)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
