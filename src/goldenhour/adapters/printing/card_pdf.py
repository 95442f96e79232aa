"""Print a casualty card as a PDF: DD 1380 and Form 100 fields in Ukrainian and English, and a QR.

The page is DD 1380's size, 4 x 7 in (102 x 178 mm), portrait, so the printed card fits the
pocket and the plastic sleeve made for the paper card; it prints on A4 or Letter at 100 % and is
cut out. Page 1 is always the card's front (with the QR code and body outline) and page 2 its
back, one page each, so that printed duplex they back onto each other. What does not fit goes
to continuation sheets printed after the back, headed "ПРОДОВЖЕННЯ k/N / CONTINUED k/N" with the
casualty's name and short id: first what the front could not hold, then the rest of the back.
Nothing is cut. Every time is in UTC (Zulu), marked ``Z``.

Each page is drawn into a PDF form XObject and placed on its page at the end, when the number of
continuation sheets is known: the back is drawn after the front's continuation, so it can say on
which sheet it goes on, yet it is still printed second.

The PDF is the same for the same card, ``now`` and payload (ReportLab's invariant mode), so a
printed card can be checked against a reprint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from io import BytesIO

from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from goldenhour.adapters.printing import labels
from goldenhour.adapters.printing.back import draw_back
from goldenhour.adapters.printing.card_code import read_card_code
from goldenhour.adapters.printing.fonts import register_fonts
from goldenhour.adapters.printing.front import HEADER_SPACE, draw_front, draw_header
from goldenhour.adapters.printing.qr_symbol import make_qr
from goldenhour.adapters.printing.sheet import GREY, RED, Sheet
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.geo.mgrs import format_mgrs

__all__ = ["PAGE_SIZE", "render_card_pdf"]

#: DD 1380's size, in points.
PAGE_SIZE = (4 * inch, 7 * inch)
MARGIN = 10.0
FOOTER = 12.0
FRONT, BACK, CONTINUATION = "front", "back", "continuation"


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


class _Book:
    """The card's pages, each drawn into a form XObject, and the order they are printed in."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.pages: list[tuple[str, str]] = []  # (form name, kind), in the order drawn
        self.source = FRONT  # which side the continuation sheets being drawn continue

    def begin(self, kind: str) -> None:
        """Start drawing a new page of ``kind``."""
        name = f"page{len(self.pages)}"
        self.pages.append((name, kind))
        self.canvas.beginForm(name)

    def continuations(self) -> int:
        """Return how many continuation sheets have been started."""
        return sum(kind == CONTINUATION for _, kind in self.pages)

    def turn(self, sheet: Sheet) -> float:
        """End this page with a pointer to the next sheet and start it; return its top."""
        following = self.continuations() + 1
        sheet.text(sheet.left + sheet.inner, sheet.height - MARGIN - 4.5,
                   f"далі → аркуш продовження {following} / continues on sheet {following}",
                   size=5.2, bold=True, colour=RED, align="right")  # fmt: skip
        self.canvas.endForm()
        self.begin(CONTINUATION)
        # The header, with its "k/N", is drawn over the page when N is known (``print_pages``).
        return self.start(sheet)

    def start(self, sheet: Sheet) -> float:
        """Say under a continuation sheet's header which side it continues; return the top below."""
        top = sheet.margin + HEADER_SPACE
        words = {FRONT: "лицьовий бік, продовження / front, continued",
                 BACK: "зворот, продовження / back, continued"}[self.source]  # fmt: skip
        sheet.text(sheet.left, top, f"↳ {words}", size=5.4, colour=GREY)
        return top + 8

    def print_pages(self, card: Card, now: datetime) -> None:
        """Place the pages in print order, front, back, then continuations, with their headers."""
        order = [page for page in self.pages if page[1] == FRONT]
        order += [page for page in self.pages if page[1] == BACK]
        order += [page for page in self.pages if page[1] == CONTINUATION]
        total = len(order) - 2
        overlay = _sheet(self.canvas)
        for number, (name, kind) in enumerate(order, start=1):
            if kind == CONTINUATION:  # first, so that text extraction reads it first
                sheet_number = number - 2
                draw_header(overlay, card, title=f"ПРОДОВЖЕННЯ {sheet_number}/{total} / CONTINUED"
                            f" {sheet_number}/{total} · КАРТКА ПОРАНЕНОГО")  # fmt: skip
            self.canvas.doForm(name)
            _footer(overlay, card, now=now, page=number, pages=len(order))
            self.canvas.showPage()


def _sheet(canvas: Canvas, *, turn_page: Callable[[Sheet], float] | None = None) -> Sheet:
    return Sheet(canvas=canvas, width=PAGE_SIZE[0], height=PAGE_SIZE[1], margin=MARGIN,
                 footer=FOOTER, turn_page=turn_page)  # fmt: skip


def _footer(sheet: Sheet, card: Card, *, now: datetime, page: int, pages: int) -> None:
    printed = (
        f"Golden Hour · надруковано / printed {labels.card_date(now)} {labels.zulu_time(now)}"
        f" · {card.version} подій / events · стор. / page {page}/{pages}"
    )
    sheet.text(sheet.left, sheet.height - MARGIN - 10, printed, size=4.6, colour=GREY)
    sheet.text(sheet.left, sheet.height - MARGIN - 4.5, f"ID {card.casualty_id}", size=4.6,
               colour=GREY)  # fmt: skip


def render_card_pdf(card: Card, *, now: datetime, compact: bytes) -> bytes:
    """Render the card as a PDF whose QR code carries ``compact``; return the PDF's bytes.

    Page 1 is the front, page 2 the back, then any continuation sheets (see the module
    docstring). ``compact`` is what ``card_code`` returns: the compact radio message, or MIST
    text; the QR code carries it unchanged, while a character the font lacks prints as U+FFFD.
    Raises ``PrintingError`` when the font is missing or the payload does not fit a QR code, and
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
    book = _Book(canvas)

    book.begin(FRONT)
    later = draw_front(_sheet(canvas), card, now=now, code=code, caption=caption)
    canvas.endForm()
    if later:
        book.begin(CONTINUATION)
        sheet = _sheet(canvas, turn_page=book.turn)
        top = book.start(sheet)
        for block in later:
            top = block(sheet, top)
        canvas.endForm()

    book.begin(BACK)
    book.source = BACK
    sheet = _sheet(canvas, turn_page=book.turn)
    top = draw_header(sheet, card, title="ЗВОРОТ / BACK · КАРТКА ПОРАНЕНОГО")
    draw_back(sheet, card, top)
    canvas.endForm()

    book.print_pages(card, now)
    canvas.save()
    return buffer.getvalue()
