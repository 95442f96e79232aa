"""The card's front: DD 1380's front (identity, mechanism, injuries, tourniquets, vitals) and QR.

The order follows DD 1380 (2014) so a medic who knows the paper card finds each field where he
expects it; Form 100's identity fields, lesion codes and coloured strips are added where they
belong. The tourniquet times are the largest type on the card: they decide the limb.

The front is always one page, so that printed duplex it backs onto the back: the layout is tried
on a scratch sheet as it is, then with compact tourniquet rows, then with identity values and the
other mechanisms cut to fewer lines, then with fewer tourniquet rows (those still on kept first),
and the first that fits is drawn. What it leaves out or cuts short is printed in full on the
first continuation sheet (``continued``), and the front says so where it left off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

import segno
from reportlab.lib.colors import Color, black, white  # type: ignore[import-untyped]

from goldenhour.adapters.printing import labels
from goldenhour.adapters.printing.body_outline import draw_body
from goldenhour.adapters.printing.continued import (
    POINTER,
    Continued,
    identity_in_full,
    injuries_continued,
    mechanisms_in_full,
    tourniquets_continued,
)
from goldenhour.adapters.printing.errors import PrintingError
from goldenhour.adapters.printing.qr_block import draw_qr_block
from goldenhour.adapters.printing.sheet import GREY, RED, Sheet
from goldenhour.adapters.printing.tourniquet_rows import COMPACT_ROW, FULL_ROW, tourniquet_row
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.vocabulary import BodyView, Gender, Mechanism
from goldenhour.domain.geo.mgrs import MgrsPrecision, format_mgrs, to_mgrs
from goldenhour.domain.medevac.from_card import casualty_precedence, injury_text
from goldenhour.domain.tourniquet.clock import TourniquetClock, tourniquet_clocks
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem
from goldenhour.domain.triage.suggest import current_triage

__all__ = ["HEADER_SPACE", "draw_front", "draw_header", "draw_strips"]

#: The title band and the gap below it, from the top margin.
HEADER_SPACE = 28.0
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
#: The body outlines' height: 100 pt when there is room, 64 pt when the front is full.
OUTLINE_HEIGHTS = (64.0, 100.0)
#: ... and 52 pt (18 mm, each cross still 2 mm) rather than move a tourniquet off the front.
SMALLEST_OUTLINE = 52.0


def draw_header(sheet: Sheet, card: Card, *, title: str) -> float:
    """Draw the black title band with triage and EVAC precedence; return the top below it."""
    top, height = sheet.margin, HEADER_SPACE - 3
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
    # The short id too: a continuation sheet must never be taken for another casualty's.
    sub = f"{who.battle_roster or '—'} · {who.display_name()} · ID {str(card.casualty_id)[:8]}"
    size = sheet.fit(sub, size=6.4, width=room)
    sheet.text(sheet.left + 4, top + 14.5, sheet.one_line(sub, size=size, width=room), size=size,
               colour=white)  # fmt: skip
    return top + HEADER_SPACE


def draw_strips(sheet: Sheet, card: Card, top: float, *, per_row: int = 1) -> float:
    """Draw Form 100's kept strips as coloured bars, ``per_row`` abreast; return the top below."""
    kept = card.diagnosis.signal_strips if card.diagnosis is not None else frozenset()
    shown = [(rgb, words) for strip, rgb, words in labels.STRIPS if strip in kept]
    width = (sheet.inner - 2 * (per_row - 1)) / per_row
    for index, (rgb, words) in enumerate(shown):
        x = sheet.left + (index % per_row) * (width + 2)
        row_top = top + (index // per_row) * 10
        sheet.rect(x, row_top, width, 9, fill=Color(*rgb), stroke=None)
        ink = black if sum(rgb) > 1.5 else white
        size = sheet.fit(words, size=6.2, width=width - 4, bold=True)
        sheet.text(x + width / 2, row_top + 1.8 + (6.2 - size) / 2, words, size=size, bold=True,
                   colour=ink, align="centre")  # fmt: skip
    return top + -(-len(shown) // per_row) * 10


@dataclass(frozen=True, slots=True)
class _Plan:
    """How much the front tries to hold; each plan ``_plans`` gives after the first holds less."""

    compact: bool = False  # tourniquet rows of 20 pt instead of 34 pt
    tourniquets: int | None = None  # tourniquet rows on the front (None: all)
    value_lines: int | None = None  # lines of an identity value or of the other mechanisms
    # Strips two to a row, no EVAC boxes (the title band shows the precedence), and the
    # recorded mechanisms named on a line instead of DD 1380's eleven boxes.
    tight: bool = False
    outline: float = OUTLINE_HEIGHTS[0]  # the least height of the body outlines
    identity_rows: int | None = None  # rows of the identity block on the front (None: all)


def _plans(tourniquets: int) -> Iterator[_Plan]:
    """Yield the front's layouts from the most generous; the tourniquets still on go last."""
    yield _Plan()
    yield _Plan(compact=True)
    yield _Plan(compact=True, value_lines=2)
    tight = _Plan(compact=True, value_lines=1, tight=True)
    yield tight
    yield replace(tight, outline=SMALLEST_OUTLINE)
    for rows in range(tourniquets - 1, -1, -1):
        yield replace(tight, outline=SMALLEST_OUTLINE, tourniquets=rows)
    # Only beside a QR code of version 30 or so: the name alone, the identity continued.
    yield replace(tight, outline=SMALLEST_OUTLINE, tourniquets=0, identity_rows=1)


def _identity_rows(card: Card) -> list[list[tuple[float, str, str | None]]]:
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
    return rows


def _identity(sheet: Sheet, card: Card, top: float, plan: _Plan, later: list[Continued]) -> float:
    rows = _identity_rows(card)
    top = sheet.section(top, "Особа", "Identity")
    sheet.shortened = False
    for row in rows[: plan.identity_rows]:
        top += sheet.cells(top, row, size=7.2, max_lines=plan.value_lines)
    if plan.identity_rows is not None:
        words = f"Особа повністю / identity in full {POINTER}"
        sheet.text(sheet.left + 2, top + 1, words, size=sheet.fit(words, size=5.6,
                   width=sheet.inner - 4), colour=GREY)  # fmt: skip
        top += 8
    if sheet.shortened or plan.identity_rows is not None:
        later.append(identity_in_full(rows))
    return top + 2


def _evac_row(sheet: Sheet, card: Card, top: float) -> float:
    precedence = casualty_precedence(card)
    x = sheet.left
    x += sheet.text(x, top + 1, "EVAC:", size=5.6, bold=True) + 4
    for codes, words in labels.EVAC_BOXES:
        x += sheet.tick_box(x, top, words, checked=precedence in codes, size=5.2) + 5
    return top + 11


def _mechanism(sheet: Sheet, card: Card, top: float, plan: _Plan, later: list[Continued]) -> float:
    top = sheet.section(top, "Механізм", "Mechanism of injury")
    mechanisms = card.mechanisms
    others = [words for m, words in labels.OTHER_MECHANISMS.items() if m in mechanisms]
    others += [i.mechanism_other for i in card.injuries if i.mechanism_other]
    text = "Інше / Other: " + "; ".join(others) if others else ""
    if plan.tight:
        # No room for DD 1380's eleven boxes: the recorded mechanisms, named on one line.
        named = [words for m, words in labels.MECHANISM_BOXES
                 if m in mechanisms and m is not Mechanism.OTHER]  # fmt: skip
        text = "Механізм / Mechanism: " + ("; ".join([*named, text] if text else named) or "—")
    else:
        column = sheet.inner / 3
        for index, (mechanism, words) in enumerate(labels.MECHANISM_BOXES):
            checked = mechanism in mechanisms or (mechanism is Mechanism.OTHER and bool(others))
            x = sheet.left + (index % 3) * column
            sheet.tick_box(x, top + (index // 3) * 9.5, words, checked=checked, size=5.6)
        top += 4 * 9.5
    if text:
        sheet.shortened = False
        top = sheet.need(top, sheet.measure(text, size=6, width=sheet.inner, bold=True,
                                            max_lines=plan.value_lines))  # fmt: skip
        top += sheet.lines(sheet.left, top, text, size=6, width=sheet.inner, bold=True,
                           max_lines=plan.value_lines)  # fmt: skip
        if sheet.shortened:
            later.append(mechanisms_in_full(text))
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


def _injuries(sheet: Sheet, card: Card, top: float, plan: _Plan, later: list[Continued]) -> float:
    # The outlines shrink to what is left above the QR code, down to the plan's least height.
    height = min(OUTLINE_HEIGHTS[1], max(plan.outline, sheet.bottom - top - 22))
    width = height / 2
    # Under a narrow outline its label takes two lines ("спереду" over "/ front").
    one_line = sheet.width_of("спереду / front", size=4.8) <= width + 3
    label = 8.0 if one_line else 13.5
    top = sheet.need(top, 11 + height + label + 2)
    top = sheet.section(top, "Поранення", "Injuries")
    limbs = [t.limb for t in card.tourniquets if t.limb is not None and t.ended_at is None]
    for index, view in enumerate((BodyView.FRONT, BodyView.BACK)):
        x = sheet.left + index * (width + 4)
        draw_body(sheet, x, top, height, view=view, injuries=card.injuries, tourniquets=limbs)
        uk, en = ("спереду", "front") if view is BodyView.FRONT else ("ззаду", "back")
        if one_line:
            sheet.text(x + width / 2, top + height + 1, f"{uk} / {en}", size=4.8, colour=GREY,
                       align="centre")  # fmt: skip
        else:
            sheet.text(x + width / 2, top + height + 1, uk, size=4.8, colour=GREY, align="centre")
            sheet.text(x + width / 2, top + height + 6.5, f"/ {en}", size=4.8, colour=GREY,
                       align="centre")  # fmt: skip
    x = sheet.left + 2 * width + 12
    room = sheet.inner - 2 * width - 12
    legend = 8.0 if limbs else 0.0
    lines = [f"{number}. {injury_text(injury)}" for number, injury in enumerate(card.injuries, 1)]
    if card.burn_tbsa_total is not None:
        # DD 1380 asks for the burn percentage; the sum over regions is what fluids are dosed on.
        lines.append(f"Опіки, % площі тіла / Burns, %TBSA: {card.burn_tbsa_total:g}")
    below = top
    for index, line in enumerate(lines):
        step = sheet.measure(line, size=6.4, width=room) + 1.5
        pointer = 9.0 if index + 1 < len(lines) else 0.0  # room to say where the rest went
        if not sheet.fits(below, step + pointer + legend):
            words = f"{index + 1}–{len(lines)} {POINTER}"
            sheet.text(x, below, words, size=sheet.fit(words, size=5.6, width=room, bold=True),
                       bold=True, colour=RED)  # fmt: skip
            below += 9
            later.append(injuries_continued(lines[index:]))
            break
        below += sheet.lines(x, below, line, size=6.4, width=room) + 1.5
    if not card.injuries:
        sheet.text(x, below, "не записано / none recorded", size=6.4, colour=GREY)
    if limbs:
        words = "▬ джгут / tourniquet (червоним / in red)"
        sheet.text(x, max(below, top + height - 8), words, size=5, colour=RED)
    return max(below, top + height + label) + 2


def _front_tourniquets(
    clocks: tuple[TourniquetClock, ...], rows: int | None
) -> tuple[TourniquetClock, ...]:
    """Return the tourniquets the front shows: all, or ``rows`` of them, those still on first."""
    if rows is None or rows >= len(clocks):
        return clocks
    chosen = sorted(clocks, key=lambda clock: not clock.running)[:rows]
    return tuple(clock for clock in clocks if clock in chosen)


def _tourniquets(
    sheet: Sheet, card: Card, now: datetime, top: float, plan: _Plan, later: list[Continued]
) -> float:
    clocks = tourniquet_clocks(card, now=now)
    shown = _front_tourniquets(clocks, plan.tourniquets)
    row = COMPACT_ROW if plan.compact else FULL_ROW
    top = sheet.need(top, 11 + row * min(len(shown), 1))
    top = sheet.section(top, "ДЖГУТ · час накладення (UTC)", "TOURNIQUET · time on", colour=RED)
    cut: list[TourniquetClock] = []
    for clock in shown:
        sheet.shortened = False
        top = tourniquet_row(sheet, clock, sheet.need(top, row), compact=plan.compact)
        if sheet.shortened:
            cut.append(clock)
    rest = [clock for clock in clocks if clock not in shown or clock in cut]
    if len(shown) < len(clocks):
        more = len(clocks) - len(shown)
        top = sheet.need(top, 10)
        words = f"+{more} джгут. / TQ {POINTER}"
        sheet.text(sheet.left + 2, top + 1, words, bold=True, colour=RED,
                   size=sheet.fit(words, size=6.4, width=sheet.inner - 4, bold=True))  # fmt: skip
        top += 10
    elif cut:
        top = sheet.need(top, 8)
        words = f"Місце і тип повністю / location, type in full {POINTER}"
        sheet.text(sheet.left + 2, top, words, colour=GREY,
                   size=sheet.fit(words, size=5.2, width=sheet.inner - 4))  # fmt: skip
        top += 8
    if rest:
        later.append(tourniquets_continued(rest))
    if not clocks:
        sheet.text(sheet.left + 2, top + 1, "немає / none", size=7, colour=GREY)
        top += 11
    return top + 2


def _draw(
    sheet: Sheet, card: Card, plan: _Plan, *, now: datetime, code: segno.QRCode,
    caption: list[str],
) -> list[Continued]:  # fmt: skip
    later: list[Continued] = []
    earlier_vitals = draw_qr_block(sheet, code, caption, card)
    top = draw_header(sheet, card, title="КАРТКА ПОРАНЕНОГО / TCCC CASUALTY CARD")
    top = draw_strips(sheet, card, top, per_row=2 if plan.tight else 1)
    if not plan.tight:
        top = _evac_row(sheet, card, top)
    top = _identity(sheet, card, top, plan, later)
    top = _tourniquets(sheet, card, now, top, plan, later)
    top = _mechanism(sheet, card, top, plan, later)
    _injuries(sheet, card, top, plan, later)
    return later if earlier_vitals is None else [*later, earlier_vitals]


def draw_front(
    sheet: Sheet, card: Card, *, now: datetime, code: segno.QRCode, caption: list[str]
) -> list[Continued]:
    """Draw the front on this one page; return what it could not hold, for continuation sheets.

    The QR code and body outline are always on it. The tourniquets come right below the
    identity, before the body outline: they are the times the receiving medic acts on first.
    Raises ``PrintingError`` when the QR code is so large that even the tightest layout of the
    front does not fit beside it.
    """
    for plan in _plans(len(card.tourniquets)):
        trial = sheet.scratch()
        _draw(trial, card, plan, now=now, code=code, caption=caption)
        if not trial.overflowed:
            return _draw(sheet, card, plan, now=now, code=code, caption=caption)
    # Only a QR code near the largest size leaves too little room for even the tightest front.
    raise PrintingError(
        "qr", f"a version {code.version} QR code leaves no room for the card's front; shorten"
        " what it carries (the MIST's injuries)",
    )  # fmt: skip
