"""The foot of the card's front: the QR code, with the last vitals and its caption beside it.

It is drawn first and its height kept free (``Sheet.reserved``), so the rest of the front fits
above it and the QR code is always on the front.
"""

from __future__ import annotations

import segno
from reportlab.lib.colors import black, white  # type: ignore[import-untyped]

from goldenhour.adapters.printing import labels
from goldenhour.adapters.printing.continued import POINTER, Continued, vitals_earlier
from goldenhour.adapters.printing.qr_symbol import draw_qr, qr_side
from goldenhour.adapters.printing.sheet import GREY, LIGHT, Sheet
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import VitalsRecorded

__all__ = ["VITALS_COLUMNS", "draw_qr_block"]

VITALS_COLUMNS = 4
_COLUMN = 27.0  # one set of vitals
_LABEL = 36.0  # the least room for the row labels


def _vitals_cell(vitals: VitalsRecorded, row: str) -> str:
    value: object = {
        "time": labels.zulu_time(vitals.occurred_at),
        "bp": None if vitals.systolic is None else f"{vitals.systolic}/{vitals.diastolic or 'P'}",
        "pulse": vitals.pulse,
        "rr": vitals.respiratory_rate,
        "spo2": vitals.spo2,
        "avpu": vitals.avpu.value if vitals.avpu else None,
        "pain": vitals.pain,
    }[row]
    return "—" if value is None else str(value)


def _columns(width: float) -> int:
    """Return how many sets of vitals fit ``width`` beside their labels (at least one)."""
    return max(1, min(VITALS_COLUMNS, int((width - _LABEL) // _COLUMN)))


def _earlier(card: Card, width: float) -> str | None:
    hidden = len(card.vitals) - _columns(width)
    return f"+{hidden} раніше / earlier {POINTER}" if hidden > 0 else None


def _vitals(sheet: Sheet, card: Card, x: float, top: float, width: float) -> float:
    rows = (("time", "Час / Time"), ("bp", "АТ / BP"), ("pulse", "Пульс / Pulse"),
            ("rr", "ЧД / Resp"), ("spo2", "SpO2 %"), ("avpu", "AVPU"),
            ("pain", "Біль / Pain"))  # fmt: skip
    sheet.rect(x, top, width, 9, fill=black, stroke=None)
    title = "Показники / Signs & Symptoms"
    sheet.text(x + 3, top + 1.8, title, size=sheet.fit(title, size=6, width=width - 5, bold=True),
               bold=True, colour=white)  # fmt: skip
    top += 10
    columns = _columns(width)
    shown = card.vitals[-columns:]
    label_width = width - columns * _COLUMN
    for index, (key, words) in enumerate(rows):
        row_top = top + index * 9
        if index % 2 == 0:
            sheet.rect(x, row_top, width, 9, fill=LIGHT, stroke=None)
        size = sheet.fit(words, size=5.4, width=label_width - 3)
        sheet.text(x + 2, row_top + 2, words, size=size, colour=GREY)
        for column, vitals in enumerate(shown):
            sheet.text(x + label_width + column * _COLUMN + 25, row_top + 1.6,
                       _vitals_cell(vitals, key), size=6.6, bold=key == "time",
                       align="right")  # fmt: skip
    top += len(rows) * 9 + 2
    earlier = _earlier(card, width)
    if earlier is not None:
        top += sheet.lines(x, top, earlier, size=5, width=width, colour=GREY)
    return top


def draw_qr_block(
    sheet: Sheet, code: segno.QRCode, caption: list[str], card: Card
) -> Continued | None:
    """Draw the QR code with the vitals beside it at the foot of the page, and keep that room.

    Return the block printing the vitals sets that had no column, if some had none.
    """
    side = qr_side(code)
    room = sheet.inner - side - 6
    earlier = _earlier(card, room)
    vitals_height = 10.0 + 7 * 9 + 2
    if earlier is not None:
        vitals_height += sheet.measure(earlier, size=5, width=room)
    caption_height = sum(sheet.measure(line, size=5.4, width=room) for line in caption)
    height = max(side + 8, vitals_height + caption_height) + 4
    top = sheet.bottom - height + 4
    if not sheet.trial:  # thousands of squares, and a trial only measures
        draw_qr(sheet, code, sheet.left, top, side)
    sheet.text(sheet.left + side / 2, top + side, "Скануйте / Scan: Golden Hour", size=5.4,
               bold=True, align="centre")  # fmt: skip
    x = sheet.left + side + 6
    below = _vitals(sheet, card, x, top, room)
    for line in caption:
        below += sheet.lines(x, below, line, size=5.4, width=room, colour=GREY)
    sheet.reserved += height
    if earlier is None:
        return None
    return vitals_earlier(card.vitals[: -_columns(room)])
