"""The card's front: DD 1380's front (identity, mechanism, injuries, tourniquets, vitals) and QR.

The order follows DD 1380 (2014) so a medic who knows the paper card finds each field where he
expects it; Form 100's identity fields, lesion codes and coloured strips are added where they
belong. The tourniquet times are the largest type on the card: they decide the limb.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import segno
from reportlab.lib.colors import Color, black, white  # type: ignore[import-untyped]

from goldenhour.adapters.printing import labels
from goldenhour.adapters.printing.body_outline import draw_body
from goldenhour.adapters.printing.qr_symbol import draw_qr, qr_side
from goldenhour.adapters.printing.sheet import GREY, LIGHT, Sheet
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import VitalsRecorded
from goldenhour.domain.casualty.vocabulary import BodyView, Gender, Mechanism, TourniquetCategory
from goldenhour.domain.geo.mgrs import MgrsPrecision, format_mgrs, to_mgrs
from goldenhour.domain.medevac.from_card import casualty_precedence, injury_text
from goldenhour.domain.tourniquet.clock import CRITICAL_AFTER, TourniquetClock, tourniquet_clocks
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem
from goldenhour.domain.triage.suggest import current_triage

__all__ = ["draw_front", "draw_header", "draw_strips"]

RED = Color(0.78, 0.05, 0.05)
_PRECEDENCE_COLOURS = {
    Precedence.URGENT: RED,
    Precedence.URGENT_SURGICAL: RED,
    Precedence.PRIORITY: Color(0.93, 0.6, 0.0),
    Precedence.ROUTINE: Color(0.1, 0.5, 0.2),
    Precedence.CONVENIENCE: Color(0.1, 0.5, 0.2),
}
_TRIAGE_COLOURS = {
    NatoCategory.T1: RED,
    NatoCategory.T2: Color(0.93, 0.7, 0.0),
    NatoCategory.T3: Color(0.1, 0.5, 0.2),
    NatoCategory.T4: Color(0.15, 0.3, 0.75),
    NatoCategory.DEAD: black,
}
_CATEGORY_WORDS = {
    TourniquetCategory.JUNCTIONAL: ("Вузловий", "JUNCTIONAL"),
    TourniquetCategory.TRUNCAL: ("Тулуб", "TRUNCAL"),
}
VITALS_COLUMNS = 4


def draw_header(sheet: Sheet, card: Card, *, title: str) -> float:
    """Draw the black title band with triage and EVAC precedence; return the top below it."""
    top, height = sheet.margin, 25.0
    sheet.rect(sheet.left, top, sheet.inner, height, fill=black, stroke=None)
    right = sheet.left + sheet.inner - 2
    precedence = casualty_precedence(card)
    if precedence is not None:
        width = 64.0
        middle = right - width / 2
        sheet.rect(right - width, top + 2, width, height - 4, fill=_PRECEDENCE_COLOURS[precedence],
                   stroke=None)  # fmt: skip
        sheet.text(middle, top + 3.4, "EVAC / ЕВАКУАЦІЯ", size=4.4, colour=white, align="centre")
        words = f"{precedence.code} {labels.PRECEDENCE_WORDS[precedence]}"
        size = sheet.fit(words, size=7.4, width=width - 4, bold=True)
        sheet.text(middle, top + 9, words, size=size, bold=True, colour=white, align="centre")
        priority = next(
            (r.form100_priority for r in reversed(card.evacuation_requests) if r.form100_priority),
            None,
        )
        if priority is not None:
            sheet.text(middle, top + 17, f"Черговість / Order {labels.FORM100_PRIORITY[priority]}",
                       size=4.4, colour=white, align="centre")  # fmt: skip
        right -= width + 3
    nato = current_triage(card, TriageSystem.NATO).category
    if isinstance(nato, NatoCategory):
        width = 24.0
        colour = _TRIAGE_COLOURS[nato]
        sheet.rect(right - width, top + 2, width, height - 4, fill=colour, stroke=None)
        ink = black if nato is NatoCategory.T2 else white
        sheet.text(right - width / 2, top + 3.4, "ТРІАЖ", size=4.4, colour=ink, align="centre")
        text = "DEAD" if nato is NatoCategory.DEAD else nato.value
        sheet.text(right - width / 2, top + 9.5, text, size=9, bold=True, colour=ink,
                   align="centre")  # fmt: skip
        right -= width + 3
    room = right - sheet.left - 6
    size = sheet.fit(title, size=7.6, width=room, bold=True)
    sheet.text(sheet.left + 4, top + 4, title, size=size, bold=True, colour=white)
    who = card.identity
    sub = f"{who.battle_roster or '—'} · {who.display_name()}"
    sheet.text(sheet.left + 4, top + 14.5, sub, size=sheet.fit(sub, size=6.4, width=room),
               colour=white)  # fmt: skip
    return top + height + 3


def draw_strips(sheet: Sheet, card: Card, top: float) -> float:
    """Draw Form 100's kept strips as full-width coloured bars; return the top below them."""
    kept = card.diagnosis.signal_strips if card.diagnosis is not None else frozenset()
    for strip, rgb, words in labels.STRIPS:
        if strip not in kept:
            continue
        colour = Color(*rgb)
        sheet.rect(sheet.left, top, sheet.inner, 9, fill=colour, stroke=None)
        ink = black if sum(rgb) > 1.5 else white
        sheet.text(sheet.left + sheet.inner / 2, top + 1.8, words, size=6.2, bold=True,
                   colour=ink, align="centre")  # fmt: skip
        top += 10
    return top


def _identity(sheet: Sheet, card: Card, top: float) -> float:
    who = card.identity
    name = ", ".join(p for p in (who.name_last and who.name_last.upper(), who.name_first) if p)
    if who.patronymic:
        name = f"{name} {who.patronymic}" if name else who.patronymic
    gender = {Gender.MALE: "Ч / M", Gender.FEMALE: "Ж / F"}.get(who.gender) if who.gender else None
    where = None
    if card.position is not None:
        where = format_mgrs(to_mgrs(card.position.lat, card.position.lon, MgrsPrecision.M10))
    battle = {True: "Б / battle", False: "НБ / non-battle", None: None}[card.battle_loss]
    injured = card.injured_at
    rows: list[list[tuple[float, str, str | None]]] = [
        [(0.5, "Прізвище, ім'я, по батькові / Name (Last, First)", name or None),
         (0.2, "Позивний / Call sign", who.callsign),
         (0.3, "BATTLE ROSTER #", who.battle_roster)],
        [(0.14, "LAST 4", who.last4), (0.14, "Стать / Gender", gender),
         (0.3, "в/звання / Rank", who.rank),
         (0.12, "Вік / Age", None if who.age_years is None else str(who.age_years)),
         (0.12, "Кров / Blood", who.blood_group), (0.18, "Служба / Service", who.service)],
        [(0.4, "в/ч / Unit", who.unit), (0.3, "Алергії / Allergies", who.allergies),
         (0.3, "Особистий № / Pers. no.", who.personal_number or who.id_document)],
        [(0.2, "Дата / Date (UTC)", labels.card_date(injured) if injured else None),
         (0.16, "Час / Time", labels.zulu_time(injured) if injured else None),
         (0.44, "Місце поранення / Position (MGRS)", where),
         (0.2, "Втрати / Loss", battle)],
    ]  # fmt: skip
    top = sheet.section(top, "Особа", "Identity")
    for row in rows:
        top += sheet.cells(top, row, size=7.2)
    return top + 2


def _evac_row(sheet: Sheet, card: Card, top: float) -> float:
    precedence = casualty_precedence(card)
    x = sheet.left
    x += sheet.text(x, top + 1, "EVAC:", size=5.6, bold=True) + 4
    for codes, words in labels.EVAC_BOXES:
        x += sheet.tick_box(x, top, words, checked=precedence in codes, size=5.2) + 5
    return top + 11


def _mechanism(sheet: Sheet, card: Card, top: float) -> float:
    top = sheet.section(top, "Механізм", "Mechanism of injury")
    mechanisms = card.mechanisms
    others = [words for m, words in labels.OTHER_MECHANISMS.items() if m in mechanisms]
    others += [i.mechanism_other for i in card.injuries if i.mechanism_other]
    column = sheet.inner / 3
    for index, (mechanism, words) in enumerate(labels.MECHANISM_BOXES):
        checked = mechanism in mechanisms or (mechanism is Mechanism.OTHER and bool(others))
        x = sheet.left + (index % 3) * column
        sheet.tick_box(x, top + (index // 3) * 9.5, words, checked=checked, size=5.6)
    top += 4 * 9.5
    if others:
        top = sheet.flow(sheet.left, top, "Інше / Other: " + "; ".join(others), size=6,
                         width=sheet.inner, bold=True)  # fmt: skip
    top = sheet.need(top, 12)
    x = sheet.left
    x += sheet.text(x, top + 1, "Ф100:", size=5.6, colour=GREY) + 5
    lesions = card.lesion_types
    codes: list[tuple[str, bool]] = [
        ("Б", card.battle_loss is True),
        ("НБ", card.battle_loss is False),
    ]
    codes += [(code, lesion in lesions) for lesion, code in labels.LESION_CODES]
    for code, circled in codes:
        if x + sheet.width_of(code, size=5.4, bold=circled) > sheet.left + sheet.inner:
            top, x = sheet.need(top + 11, 12), sheet.left + 30
        width = sheet.text(
            x, top + 1, code, size=5.4, bold=circled, colour=black if circled else GREY
        )
        if circled:
            sheet.ring(x - 2.5, top - 1, width + 5, 9)
        x += width + 5.5
    return top + 12


def _injuries(sheet: Sheet, card: Card, top: float) -> float:
    # The outlines shrink to what is left above the QR code, down to a readable 64 pt.
    height = min(100.0, max(64.0, sheet.bottom - top - 22))
    top = sheet.need(top, height + 21)
    top = sheet.section(top, "Поранення", "Injuries")
    limbs = [t.limb for t in card.tourniquets if t.limb is not None and t.ended_at is None]
    width = height / 2
    for index, view in enumerate((BodyView.FRONT, BodyView.BACK)):
        x = sheet.left + index * (width + 4)
        draw_body(sheet, x, top, height, view=view, injuries=card.injuries, tourniquets=limbs)
        words = "спереду / front" if view is BodyView.FRONT else "ззаду / back"
        sheet.text(x + width / 2, top + height + 1, words, size=4.8, colour=GREY, align="centre")
    x = sheet.left + 2 * width + 12
    room = sheet.inner - 2 * width - 12
    below = top
    for number, injury in enumerate(card.injuries, start=1):
        below = sheet.flow(x, below, f"{number}. {injury_text(injury)}", size=6.4, width=room)
        below += 1.5
    if not card.injuries:
        sheet.text(x, below, "не записано / none recorded", size=6.4, colour=GREY)
    if limbs:
        legend = "▬ джгут / tourniquet (червоним / in red)"
        sheet.text(x, max(below, top + height - 8), legend, size=5, colour=RED)
    return max(below, top + height + 8) + 2


def _tourniquet_row(sheet: Sheet, clock: TourniquetClock, top: float) -> float:
    if clock.limb is not None:
        uk, en = labels.LIMBS[clock.limb]
    else:
        uk, en = _CATEGORY_WORDS.get(clock.category, ("Джгут", "TQ"))
    sheet.text(sheet.left + 2, top + 2, uk, size=8.5, bold=True)
    sheet.text(sheet.left + 2, top + 12, en, size=8.5, bold=True)
    detail = " · ".join(p for p in (clock.location, clock.tourniquet_type) if p)
    if detail:
        sheet.lines(sheet.left + 2, top + 22, detail, size=5.4, width=68, colour=GREY)
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
        removed = clock.ended_at
        sheet.text(x, top + 2, "ЗНЯТО / OFF", size=7, bold=True)
        sheet.text(x, top + 11, f"о / at {labels.zulu_time(removed)}", size=8, bold=True)
        minutes = int((removed - clock.applied_at) / timedelta(minutes=1))
        sheet.text(x, top + 21, f"{minutes // 60} год {minutes % 60:02d} хв / h min", size=5.4,
                   colour=GREY)  # fmt: skip
    sheet.rule(top + 32)
    return top + 34


def _tourniquets(sheet: Sheet, card: Card, now: datetime, top: float) -> float:
    clocks = tourniquet_clocks(card, now=now)
    top = sheet.need(top, 11 + 34 * min(len(clocks), 1))
    top = sheet.section(top, "ДЖГУТ · час накладення (UTC)", "TOURNIQUET · time on", colour=RED)
    for clock in clocks:
        top = _tourniquet_row(sheet, clock, sheet.need(top, 34))
    if not clocks:
        sheet.text(sheet.left + 2, top + 1, "немає / none", size=7, colour=GREY)
        top += 11
    return top + 2


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


def _vitals(sheet: Sheet, card: Card, x: float, top: float, width: float) -> float:
    rows = (("time", "Час / Time"), ("bp", "АТ / BP"), ("pulse", "Пульс / Pulse"),
            ("rr", "ЧД / Resp"), ("spo2", "SpO2 %"), ("avpu", "AVPU"),
            ("pain", "Біль / Pain"))  # fmt: skip
    sheet.rect(x, top, width, 9, fill=black, stroke=None)
    sheet.text(x + 3, top + 1.8, "Показники / Signs & Symptoms", size=6, bold=True, colour=white)
    top += 10
    shown = card.vitals[-VITALS_COLUMNS:]
    label_width = width - VITALS_COLUMNS * 27
    for index, (key, words) in enumerate(rows):
        row_top = top + index * 9
        if index % 2 == 0:
            sheet.rect(x, row_top, width, 9, fill=LIGHT, stroke=None)
        sheet.text(x + 2, row_top + 2, words, size=5.4, colour=GREY)
        for column, vitals in enumerate(shown):
            sheet.text(x + label_width + column * 27 + 25, row_top + 1.6, _vitals_cell(vitals, key),
                       size=6.6, bold=key == "time", align="right")  # fmt: skip
    top += len(rows) * 9 + 2
    if len(card.vitals) > VITALS_COLUMNS:
        sheet.text(x, top, f"+{len(card.vitals) - VITALS_COLUMNS} раніше / earlier",
                   size=5, colour=GREY)  # fmt: skip
        top += 7
    return top


def _qr_block(sheet: Sheet, code: segno.QRCode, caption: list[str], card: Card) -> None:
    """Draw the QR code with the vitals beside it at the foot of the page, and keep that room."""
    side = qr_side(code)
    room = sheet.inner - side - 6
    vitals_height = 10 + 7 * 9 + 2 + (7 if len(card.vitals) > VITALS_COLUMNS else 0)
    caption_height = sum(sheet.measure(line, size=5.4, width=room) for line in caption)
    height = max(side + 8, vitals_height + caption_height) + 4
    top = sheet.bottom - height + 4
    draw_qr(sheet, code, sheet.left, top, side)
    sheet.text(sheet.left + side / 2, top + side, "Скануйте / Scan: Golden Hour", size=5.4,
               bold=True, align="centre")  # fmt: skip
    x = sheet.left + side + 6
    below = _vitals(sheet, card, x, top, room)
    for line in caption:
        below += sheet.lines(x, below, line, size=5.4, width=room, colour=GREY)
    sheet.reserved += height


def draw_front(
    sheet: Sheet, card: Card, *, now: datetime, code: segno.QRCode, caption: list[str]
) -> float:
    """Draw the front page, the QR code always on it; return the top below what was drawn.

    The tourniquets come right below the identity, before the body outline: they are the times
    the receiving medic acts on first, and on the front page however many there are.
    """
    _qr_block(sheet, code, caption, card)
    top = draw_header(sheet, card, title="КАРТКА ПОРАНЕНОГО / TCCC CASUALTY CARD")
    top = draw_strips(sheet, card, top)
    top = _evac_row(sheet, card, top)
    top = _identity(sheet, card, top)
    top = _tourniquets(sheet, card, now, top)
    top = _mechanism(sheet, card, top)
    return _injuries(sheet, card, top)
