"""A tourniquet's row on the card: limb, time on in the largest type, and the 2-hour mark or off.

The full row (34 pt, time in 24 pt) is what the front prints when there is room; the compact row
(20 pt, time in 16 pt, still the largest type on the card) lets more tourniquets stay on the
front beside the body outline and QR code. Either way the row never grows past its height: a
long location or type is cut short with an ellipsis and the row is printed again in full on a
continuation sheet (``full_height`` = ``None``), where it may take as many lines as it needs.
"""

from __future__ import annotations

from datetime import timedelta

from goldenhour.adapters.printing import labels
from goldenhour.adapters.printing.sheet import GREY, RED, Sheet
from goldenhour.domain.casualty.vocabulary import TourniquetCategory
from goldenhour.domain.tourniquet.clock import CRITICAL_AFTER, TourniquetClock

__all__ = ["COMPACT_ROW", "FULL_ROW", "tourniquet_row"]

FULL_ROW = 34.0
COMPACT_ROW = 20.0
_CATEGORY_WORDS = {
    TourniquetCategory.JUNCTIONAL: ("Вузловий", "JUNCTIONAL"),
    TourniquetCategory.TRUNCAL: ("Тулуб", "TRUNCAL"),
}


def _limb_words(clock: TourniquetClock) -> tuple[str, str]:
    if clock.limb is not None:
        return labels.LIMBS[clock.limb]
    return _CATEGORY_WORDS.get(clock.category, ("Джгут", "TQ"))


def _off_for(clock: TourniquetClock) -> str:
    minutes = (
        int((clock.ended_at - clock.applied_at) / timedelta(minutes=1)) if clock.ended_at else 0
    )
    return f"{minutes // 60} год {minutes % 60:02d} хв / h min"


def _full(sheet: Sheet, clock: TourniquetClock, top: float, *, detail_lines: int | None) -> float:
    uk, en = _limb_words(clock)
    sheet.text(sheet.left + 2, top + 2, uk, size=8.5, bold=True)
    sheet.text(sheet.left + 2, top + 12, en, size=8.5, bold=True)
    detail = " · ".join(p for p in (clock.location, clock.tourniquet_type) if p)
    used = 0.0
    if detail:
        used = sheet.lines(sheet.left + 2, top + 22, detail, size=5.4, width=68, colour=GREY,
                           max_lines=detail_lines)  # fmt: skip
    sheet.text(sheet.left + 74, top + 1, labels.zulu_time(clock.applied_at), size=24, bold=True)
    sheet.text(sheet.left + 76, top + 25, f"накладено / on {labels.card_date(clock.applied_at)}",
               size=5.4, colour=GREY)  # fmt: skip
    x = sheet.left + 166
    if clock.ended_at is None:
        limit = clock.applied_at + CRITICAL_AFTER
        sheet.text(x, top + 2, "НАКЛАДЕНО / ON", size=7, bold=True, colour=RED)
        sheet.text(x, top + 11, "межа 2 год / 2 h limit", size=5.4, colour=GREY)
        sheet.text(x, top + 17.5, labels.zulu_time(limit), size=10, bold=True, colour=RED)
    else:
        sheet.text(x, top + 2, "ЗНЯТО / OFF", size=7, bold=True)
        sheet.text(x, top + 11, f"о / at {labels.zulu_time(clock.ended_at)}", size=8, bold=True)
        sheet.text(x, top + 21, _off_for(clock), size=5.4, colour=GREY)
    height = max(FULL_ROW, 22 + used + 2)
    sheet.rule(top + height - 2)
    return top + height


def _compact(sheet: Sheet, clock: TourniquetClock, top: float) -> float:
    uk, en = _limb_words(clock)
    sheet.text(sheet.left + 2, top + 1.5, f"{uk} / {en}", size=sheet.fit(f"{uk} / {en}", size=7,
               width=70, bold=True), bold=True)  # fmt: skip
    detail = " · ".join(p for p in (clock.location, clock.tourniquet_type) if p)
    if detail:
        sheet.lines(sheet.left + 2, top + 10, detail, size=5.2, width=70, colour=GREY,
                    max_lines=1)  # fmt: skip
    sheet.text(sheet.left + 74, top + 1, labels.zulu_time(clock.applied_at), size=16, bold=True)
    sheet.text(sheet.left + 75, top + 13.8, f"on {labels.card_date(clock.applied_at)}", size=4.6,
               colour=GREY)  # fmt: skip
    x = sheet.left + 138
    if clock.ended_at is None:
        sheet.text(x, top + 1.5, "НАКЛАДЕНО / ON", size=6.4, bold=True, colour=RED)
        width = sheet.text(x, top + 11, "межа 2 год / 2 h limit", size=4.8, colour=GREY)
        limit = labels.zulu_time(clock.applied_at + CRITICAL_AFTER)
        sheet.text(x + width + 3, top + 9, limit, size=9, bold=True, colour=RED)
    else:
        sheet.text(x, top + 1.5, "ЗНЯТО / OFF", size=6.4, bold=True)
        width = sheet.text(x, top + 10, f"о / at {labels.zulu_time(clock.ended_at)}", size=7,
                           bold=True)  # fmt: skip
        sheet.text(x + width + 4, top + 11, _off_for(clock), size=4.8, colour=GREY)
    sheet.rule(top + COMPACT_ROW - 1.5)
    return top + COMPACT_ROW


def tourniquet_row(
    sheet: Sheet, clock: TourniquetClock, top: float, *, compact: bool = False,
    detail_lines: int | None = 1,
) -> float:  # fmt: skip
    """Draw one tourniquet's row from ``top``; return the top below it.

    ``detail_lines`` bounds the location and type of a full row (``None``: as many as needed,
    for a continuation sheet); a compact row has one line for them.
    """
    if compact:
        return _compact(sheet, clock, top)
    return _full(sheet, clock, top, detail_lines=detail_lines)
