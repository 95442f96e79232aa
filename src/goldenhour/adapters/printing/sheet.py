"""Drawing on one page of the card: text measured from the top, boxes, ticks and wrapped lines.

ReportLab's canvas measures from the bottom-left corner; a card is read from the top, so every
method here takes ``top``, the distance from the top edge in points (1/72 in). Every text is
drawn and measured as ``fonts.printable`` gives it: a character the font lacks shows as U+FFFD.

A sheet is either *fixed* (the card's front: nothing may move off it, so content that does not
fit only marks the sheet ``overflowed`` and the front tries a tighter layout) or *flowing* (the
back and continuation sheets: content that does not fit goes on to the next page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO

from reportlab.lib.colors import Color, black, white  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from goldenhour.adapters.printing.errors import PrintingError
from goldenhour.adapters.printing.fonts import BOLD, REGULAR, printable

__all__ = ["ELLIPSIS", "GREY", "LIGHT", "RED", "Sheet", "shorten", "wrap"]

GREY = Color(0.35, 0.35, 0.35)
LIGHT = Color(0.9, 0.9, 0.9)
RULE = Color(0.55, 0.55, 0.55)
RED = Color(0.78, 0.05, 0.05)
#: Ends a value shortened on the front; the whole value is printed on a continuation sheet.
ELLIPSIS = "…"


def _width(text: str, font: str, size: float) -> float:
    return float(stringWidth(printable(text, font), font, size))


def wrap(text: str, *, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; a word too long is split, never cut."""
    text = printable(text, font)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            # "word and": even one character may be too wide for a column with no room at all.
            while word and stringWidth(word, font, size) > width:
                cut = max(1, len(word) - 1)
                while cut > 1 and stringWidth(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def shorten(lines: list[str], *, font: str, size: float, width: float, count: int) -> list[str]:
    """Keep the first ``count`` of ``lines``, the last ending in ``ELLIPSIS`` if any were cut."""
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    low, high = 0, len(last)  # the longest start of the line that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(last[:middle] + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return [*lines[: count - 1], last[:low].rstrip() + ELLIPSIS]


@dataclass
class Sheet:
    """One page: its canvas, size and margin, drawn from the top down."""

    canvas: Canvas
    width: float
    height: float
    margin: float
    footer: float = 0.0  # height kept free at the bottom for the footer
    # Ends this page and starts the next; returns the top below the new page's header. A sheet
    # without it is fixed: what does not fit marks it ``overflowed`` and is drawn past the bottom.
    turn_page: Callable[[Sheet], float] | None = field(default=None, repr=False)
    page: int = 1
    reserved: float = 0.0  # height kept free above the footer on this page only
    overflowed: bool = False  # a fixed sheet was asked for more room than it has
    shortened: bool = False  # a value was shortened (``max_lines``), to be printed in full later
    trial: bool = False  # a scratch sheet, only measured: what is slow to draw may be left out

    def scratch(self) -> Sheet:
        """Return a blank fixed sheet of this size on a canvas never saved, to try a layout on."""
        canvas = Canvas(BytesIO(), pagesize=(self.width, self.height))
        return Sheet(canvas=canvas, width=self.width, height=self.height, margin=self.margin,
                     footer=self.footer, trial=True)  # fmt: skip

    @property
    def bottom(self) -> float:
        """Return the lowest ``top`` content may reach on this page."""
        return self.height - self.margin - self.footer - self.reserved

    def new_page(self) -> float:
        """Finish this page and start the next; return the top below the new page's header.

        Raises ``PrintingError`` on a fixed sheet, which has no next page.
        """
        if self.turn_page is None:
            raise PrintingError("page", "the card's front has no room left and cannot continue")
        top = self.turn_page(self)
        self.page += 1
        self.reserved = 0.0
        return top

    def fits(self, top: float, height: float) -> bool:
        """Return whether ``height`` fits below ``top`` on this page."""
        return top + height <= self.bottom

    def need(self, top: float, height: float) -> float:
        """Return ``top`` if ``height`` fits below it, else the top of a new page.

        A fixed sheet has no new page: it is marked ``overflowed`` and ``top`` is returned.
        """
        if self.fits(top, height):
            return top
        if self.turn_page is None:
            self.overflowed = True
            return top
        return self.new_page()

    @property
    def left(self) -> float:
        """Return the left edge of the content."""
        return self.margin

    @property
    def inner(self) -> float:
        """Return the width of the content."""
        return self.width - 2 * self.margin

    def text(
        self, x: float, top: float, text: str, *, size: float, bold: bool = False,
        colour: Color = black, align: str = "left",
    ) -> float:  # fmt: skip
        """Draw one line whose cap height starts at ``top``; return its width."""
        font = BOLD if bold else REGULAR
        text = printable(text, font)
        c = self.canvas
        c.setFillColor(colour)
        c.setFont(font, size)
        baseline = self.height - top - size * 0.76
        if align == "right":
            c.drawRightString(x, baseline, text)
        elif align == "centre":
            c.drawCentredString(x, baseline, text)
        else:
            c.drawString(x, baseline, text)
        return float(stringWidth(text, font, size))

    def lines(
        self, x: float, top: float, text: str, *, size: float, width: float,
        bold: bool = False, colour: Color = black, leading: float = 1.18,
        max_lines: int | None = None,
    ) -> float:  # fmt: skip
        """Draw ``text`` wrapped to ``width``, in at most ``max_lines``; return the height used.

        A text cut to ``max_lines`` ends in ``ELLIPSIS`` and marks the sheet ``shortened``.
        """
        font = BOLD if bold else REGULAR
        wrapped = wrap(text, font=font, size=size, width=width)
        if max_lines is not None and len(wrapped) > max_lines:
            wrapped = shorten(wrapped, font=font, size=size, width=width, count=max_lines)
            self.shortened = True
        for index, line in enumerate(wrapped):
            self.text(x, top + index * size * leading, line, size=size, bold=bold, colour=colour)
        return len(wrapped) * size * leading

    def flow(
        self, x: float, top: float, text: str, *, size: float, width: float,
        bold: bool = False, colour: Color = black,
    ) -> float:  # fmt: skip
        """Draw ``text`` wrapped to ``width``, onto a new page if need be; return the top below."""
        step = size * 1.18
        for line in wrap(text, font=BOLD if bold else REGULAR, size=size, width=width):
            top = self.need(top, step)
            self.text(x, top, line, size=size, bold=bold, colour=colour)
            top += step
        return top

    def width_of(self, text: str, *, size: float, bold: bool = False) -> float:
        """Return the width of one line of ``text``."""
        return _width(text, BOLD if bold else REGULAR, size)

    def fit(self, text: str, *, size: float, width: float, bold: bool = False) -> float:
        """Return ``size``, or the smaller size at which ``text`` fits ``width`` (not under 4)."""
        natural = _width(text, BOLD if bold else REGULAR, size)
        return size if natural <= width else max(4.0, size * width / natural)

    def one_line(self, text: str, *, size: float, width: float, bold: bool = False) -> str:
        """Return ``text`` cut to one line of ``width``, ending in ``ELLIPSIS`` if it was cut."""
        font = BOLD if bold else REGULAR
        text = printable(" ".join(text.split()), font)
        if stringWidth(text, font, size) <= width:
            return text
        return shorten([text, ""], font=font, size=size, width=width, count=1)[0]

    def measure(
        self, text: str, *, size: float, width: float, bold: bool = False,
        max_lines: int | None = None,
    ) -> float:  # fmt: skip
        """Return the height ``lines`` would use for ``text``."""
        count = len(wrap(text, font=BOLD if bold else REGULAR, size=size, width=width))
        return min(count, max_lines or count) * size * 1.18

    def rect(
        self, x: float, top: float, width: float, height: float, *,
        fill: Color | None = None, stroke: Color | None = RULE, line: float = 0.5,
    ) -> None:  # fmt: skip
        """Draw a rectangle whose top-left corner is at (``x``, ``top``)."""
        c = self.canvas
        c.setLineWidth(line)
        if fill is not None:
            c.setFillColor(fill)
        if stroke is not None:
            c.setStrokeColor(stroke)
        c.rect(
            x, self.height - top - height, width, height,
            stroke=int(stroke is not None), fill=int(fill is not None),
        )  # fmt: skip

    def rule(self, top: float, *, x: float | None = None, width: float | None = None) -> None:
        """Draw a thin horizontal line across the content (or from ``x`` for ``width``)."""
        start = self.left if x is None else x
        c = self.canvas
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(start, self.height - top, start + (width or self.inner), self.height - top)

    def tick_box(
        self, x: float, top: float, label: str, *, checked: bool, size: float = 6.0
    ) -> float:
        """Draw a DD 1380 check box, crossed when ``checked``, and its label; return the width."""
        side = size + 1.5
        self.rect(x, top, side, side, stroke=black, line=0.6)
        if checked:
            c = self.canvas
            c.setStrokeColor(black)
            c.setLineWidth(1.2)
            bottom = self.height - top - side
            c.line(x + 1, bottom + 1, x + side - 1, bottom + side - 1)
            c.line(x + 1, bottom + side - 1, x + side - 1, bottom + 1)
        width = self.text(x + side + 2, top + 0.6, label, size=size, bold=checked)
        return side + 2 + width

    def tick_width(self, label: str, *, checked: bool, size: float = 6.0) -> float:
        """Return the width ``tick_box`` would use."""
        return size + 3.5 + _width(label, BOLD if checked else REGULAR, size)

    def ring(self, x: float, top: float, width: float, height: float) -> None:
        """Circle a printed value, as Form 100 asks (обвести)."""
        c = self.canvas
        c.setStrokeColor(black)
        c.setLineWidth(0.9)
        c.ellipse(x, self.height - top - height, x + width, self.height - top)

    def section(self, top: float, uk: str, en: str, *, colour: Color = black) -> float:
        """Draw a section bar with its Ukrainian and English title; return the top below it."""
        height = 9.0
        self.rect(self.left, top, self.inner, height, fill=colour, stroke=None)
        words = f"{uk} / {en}"
        size = self.fit(words, size=6.2, width=self.inner - 6, bold=True)
        self.text(self.left + 3, top + 1.8, words, size=size, bold=True, colour=white)
        return top + height + 2

    def label_value(
        self, x: float, top: float, width: float, label: str, value: str | None, *,
        size: float = 7.5, max_lines: int | None = None,
    ) -> float:  # fmt: skip
        """Draw a small grey label over its value (``—`` when unknown); return the height."""
        self.text(x, top, label, size=self.fit(label, size=5.0, width=width - 1), colour=GREY)
        shown = value if value else "—"
        used = self.lines(x, top + 6.2, shown, size=size, width=width - 2, bold=bool(value),
                          max_lines=max_lines)  # fmt: skip
        return 6.2 + used

    def cells(
        self, top: float, cells: Sequence[tuple[float, str, str | None]], *, size: float = 7.5,
        max_lines: int | None = None,
    ) -> float:  # fmt: skip
        """Draw a row of label/value cells with the given width fractions; return its height."""
        x = self.left
        heights = []
        for fraction, label, value in cells:
            width = self.inner * fraction
            heights.append(self.label_value(x + 2, top + 1.5, width - 2, label, value, size=size,
                                            max_lines=max_lines))  # fmt: skip
            x += width
        height = max(heights) + 3
        x = self.left
        for fraction, _, _ in cells[:-1]:
            x += self.inner * fraction
            c = self.canvas
            c.setStrokeColor(RULE)
            c.setLineWidth(0.4)
            c.line(x, self.height - top, x, self.height - top - height)
        self.rule(top + height)
        return height
