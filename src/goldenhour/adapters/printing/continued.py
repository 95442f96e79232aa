"""What the card's front could not hold, drawn in full on the first continuation sheet.

The front is one page whatever the card holds (it is printed duplex with the back), so when the
identity, tourniquets, other mechanisms or injuries need more room than the front has, the front
shows what fits, says "→ аркуш продовження 1 / continuation sheet 1", and each block here prints
the rest, in full and in the front's order, on the sheets printed after the back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.colors import Color, black  # type: ignore[import-untyped]

from goldenhour.adapters.printing.sheet import RED, Sheet
from goldenhour.adapters.printing.tourniquet_rows import FULL_ROW, tourniquet_row
from goldenhour.domain.casualty.events import VitalsRecorded
from goldenhour.domain.medevac.from_card import vitals_text
from goldenhour.domain.tourniquet.clock import TourniquetClock

__all__ = [
    "POINTER",
    "Continued",
    "identity_in_full",
    "injuries_continued",
    "mechanisms_in_full",
    "tourniquets_continued",
    "vitals_earlier",
]

#: Draws on a flowing sheet from ``top``; returns the top below what it drew.
Continued = Callable[[Sheet, float], float]
#: Where the front sends the reader for what it could not hold.
POINTER = "→ аркуш продовження 1 / continuation sheet 1"

Cells = Sequence[Sequence[tuple[float, str, str | None]]]


def _title(sheet: Sheet, top: float, uk: str, en: str, *, colour: Color = black) -> float:
    # Room for the bar and a line below it, so a title never ends a page alone.
    top = sheet.need(top, 24)
    return sheet.section(top, f"{uk} (лицьовий бік)", f"{en} (front)", colour=colour)


def identity_in_full(rows: Cells) -> Continued:
    """Return a block printing every identity value the front cut short, whole."""

    def draw(sheet: Sheet, top: float) -> float:
        top = _title(sheet, top, "Особа повністю", "Identity in full")
        for row in rows:
            for _, label, value in row:
                if value:
                    top = sheet.flow(sheet.left, top, f"{label}: {value}", size=6.6,
                                     width=sheet.inner)  # fmt: skip
        return top + 3

    return draw


def tourniquets_continued(clocks: Sequence[TourniquetClock]) -> Continued:
    """Return a block printing, as full rows, the tourniquets the front did not show in full."""

    def draw(sheet: Sheet, top: float) -> float:
        top = _title(sheet, top, "ДЖГУТ · час накладення (UTC)", "TOURNIQUET · time on",
                     colour=RED)  # fmt: skip
        for clock in clocks:
            top = tourniquet_row(sheet, clock, sheet.need(top, FULL_ROW), detail_lines=None)
        return top + 2

    return draw


def mechanisms_in_full(text: str) -> Continued:
    """Return a block printing the other mechanisms the front cut short, whole."""

    def draw(sheet: Sheet, top: float) -> float:
        top = _title(sheet, top, "Механізм", "Mechanism of injury")
        return sheet.flow(sheet.left, top, text, size=6.4, width=sheet.inner, bold=True) + 3

    return draw


def injuries_continued(lines: Sequence[str]) -> Continued:
    """Return a block printing the numbered injuries the front had no room for."""

    def draw(sheet: Sheet, top: float) -> float:
        top = _title(sheet, top, "Поранення", "Injuries")
        for line in lines:
            top = sheet.flow(sheet.left, top, line, size=6.4, width=sheet.inner) + 1.5
        return top + 2

    return draw


def vitals_earlier(sets: Sequence[VitalsRecorded]) -> Continued:
    """Return a block printing the vitals sets older than the front's table, one to a line."""

    def draw(sheet: Sheet, top: float) -> float:
        top = _title(sheet, top, "Показники раніше", "Earlier signs")
        for vitals in sets:
            top = sheet.flow(sheet.left, top, vitals_text(vitals), size=6.4, width=sheet.inner)
        return top + 2

    return draw
