"""The card's back: DD 1380's treatments, fluids, meds, notes and first responder, and Form 100.

What has no box on DD 1380 (IV access, wound packing, GCS, temperature...) is written in NOTES,
as docs/card-fields.md says; Form 100's face-side fields follow, then its stage log.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.colors import Color, black  # type: ignore[import-untyped]

from goldenhour.adapters.printing import labels
from goldenhour.adapters.printing.front import draw_strips
from goldenhour.adapters.printing.sheet import GREY, Sheet
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.vocabulary import (
    DrugClass,
    FluidKind,
    Intervention,
    Laterality,
    TourniquetCategory,
)
from goldenhour.domain.medevac.from_card import gcs_text, label

__all__ = ["draw_back"]

_BLUE = Color(0.1, 0.25, 0.55)
_DETAIL = frozenset({Intervention.SGA, Intervention.CHEST_SEAL, Intervention.HYPOTHERMIA_PREVENTION,
                     Intervention.EYE_SHIELD, Intervention.NEEDLE_DECOMPRESSION})  # fmt: skip
# DD 1380 MEDS rows: analgesic, antibiotic, other (docs/card-fields.md).
_MED_ORDER = (DrugClass.ANALGESIC, DrugClass.ANTIBIOTIC, DrugClass.HEMOSTATIC, DrugClass.SERUM,
              DrugClass.TOXOID, DrugClass.ANTIDOTE, DrugClass.OTHER)  # fmt: skip
_FLUID_KINDS = {FluidKind.FLUID: "рідина / fluid", FluidKind.BLOOD_PRODUCT: "кров / blood"}
_SIDES = {Laterality.LEFT: "L", Laterality.RIGHT: "R", Laterality.BILATERAL: "R+L"}


def _boxes(sheet: Sheet, top: float, title: str, boxes: list[tuple[str, bool]]) -> float:
    top = sheet.need(top, 10)
    sheet.text(sheet.left, top + 0.6, title, size=5.8, bold=True)
    start = sheet.left + 78
    x = start
    for words, checked in boxes:
        width = sheet.tick_width(words, checked=checked, size=5.6)
        if x + width > sheet.left + sheet.inner and x > start:
            top = sheet.need(top + 9.5, 10)
            x = start
        x += sheet.tick_box(x, top, words, checked=checked, size=5.6) + 6
    return top + 10


def _treatments(sheet: Sheet, card: Card, top: float) -> float:
    top = sheet.section(top, "Лікування (MARCH)", "Treatments")
    categories = {t.category for t in card.tourniquets}
    top = _boxes(sheet, top, "C  Джгут / TQ", [
        ("Кінцівка / Extremity", TourniquetCategory.EXTREMITY in categories),
        ("Вузловий / Junctional", TourniquetCategory.JUNCTIONAL in categories),
        ("Тулуб / Truncal", TourniquetCategory.TRUNCAL in categories),
    ])  # fmt: skip
    given = {t.intervention: t for t in card.treatments}
    for title, row in labels.TREATMENT_ROWS:
        boxes: list[tuple[str, bool]] = []
        for interventions, words in row:
            found = [given[i] for i in interventions if i in given]
            text = words
            for treatment in found:
                if treatment.intervention in _DETAIL:
                    extra = " ".join(
                        p for p in (_SIDES.get(treatment.side) if treatment.side else None,
                                    treatment.detail) if p
                    )  # fmt: skip
                    text += f": {extra}" if extra else ""
            boxes.append((text, bool(found)))
        top = _boxes(sheet, top, title, boxes)
    return top + 1


def _table(
    sheet: Sheet, top: float, heads: list[tuple[str, float]], rows: list[list[str]]
) -> float:
    top = sheet.need(top, 16)
    x = sheet.left
    for words, fraction in heads:
        sheet.text(x + 1, top, words, size=5, colour=GREY)
        x += sheet.inner * fraction
    top += 7
    for row in rows or [["—"] + [""] * (len(heads) - 1)]:
        cells = list(zip(heads, row, strict=True))
        height = max(9.0, *(sheet.measure(value, size=6.6, width=sheet.inner * fraction - 3,
                                          bold=bool(value) and value != "—") + 1.5
                            for (_, fraction), value in cells))  # fmt: skip
        top = sheet.need(top, height)
        x = sheet.left
        for (_, fraction), value in cells:
            sheet.lines(x + 1, top, value, size=6.6, width=sheet.inner * fraction - 3,
                        bold=bool(value) and value != "—")  # fmt: skip
            x += sheet.inner * fraction
        sheet.rule(top + height - 1)
        top += height
    return top + 2


def _fluids_and_meds(sheet: Sheet, card: Card, top: float) -> float:
    top = sheet.section(sheet.need(top, 30), "Рідини та кров", "Fluids & blood products (C)")
    rows = [[f"{f.name} ({_FLUID_KINDS[f.fluid_kind]})", f"{f.volume_ml:g} ml", f.route.value,
             labels.zulu_time(f.occurred_at)] for f in card.fluids]  # fmt: skip
    heads = [("Назва / Name", 0.5), ("Об'єм / Volume", 0.2), ("Шлях / Route", 0.15),
             ("Час / Time", 0.15)]  # fmt: skip
    top = _table(sheet, top, heads, rows)
    top = sheet.section(sheet.need(top, 30), "Ліки", "MEDS")
    meds = [[labels.DRUG_CLASSES[m.drug_class], m.name,
             f"{m.dose:g} {m.dose_unit}" if m.dose is not None else "—", m.route.value,
             labels.zulu_time(m.occurred_at)]
            for m in sorted(card.medications, key=lambda m: (_MED_ORDER.index(m.drug_class),
                                                                m.occurred_at))]  # fmt: skip
    heads = [("Клас / Class", 0.3), ("Назва / Name", 0.25), ("Доза / Dose", 0.15),
             ("Шлях / Route", 0.15), ("Час / Time", 0.15)]  # fmt: skip
    return _table(sheet, top, heads, meds)


def _notes(sheet: Sheet, card: Card, top: float) -> float:
    items: list[tuple[datetime, str]] = []
    for treatment in card.treatments:
        words = labels.NO_BOX.get(treatment.intervention)
        if words is not None:
            detail = f" {treatment.detail}" if treatment.detail else ""
            items.append((treatment.occurred_at, f"{words}{detail}"))
    for vitals in card.vitals:
        extra = [gcs_text(vitals),
                 f"T {vitals.temperature_c:g} °C" if vitals.temperature_c is not None else "",
                 f"CRT {vitals.capillary_refill_s:g} s" if vitals.capillary_refill_s is not None
                 else ""]  # fmt: skip
        if any(extra):
            items.append((vitals.occurred_at, " ".join(e for e in extra if e)))
    for record in card.tourniquets:
        where = label(record.limb.value) if record.limb else label(record.category.value)
        if record.converted_at is not None:
            items.append((record.converted_at, f"джгут конвертовано / TQ {where} converted"))
        if record.removed_at is not None:
            items.append((record.removed_at, f"джгут знято / TQ {where} removed"))
    items += [(note.occurred_at, note.text) for note in card.notes]
    top = sheet.section(sheet.need(top, 20), "Нотатки", "Notes")
    for moment, text in sorted(items, key=lambda item: item[0]):
        top = sheet.flow(sheet.left, top, f"{labels.zulu_time(moment)}  {text}", size=6.4,
                         width=sheet.inner)  # fmt: skip
    if not items:
        sheet.text(sheet.left, top, "—", size=6.4, colour=GREY)
        top += 8
    top = sheet.need(top + 2, 20)
    top += sheet.cells(top, [
        (0.7, "Перший рятувальник / First responder (Last, First)", card.first_responder_name),
        (0.3, "LAST 4", card.first_responder_last4),
    ], size=7)  # fmt: skip
    return top + 3


def _form100(sheet: Sheet, card: Card, top: float) -> float:
    top = sheet.section(sheet.need(top, 60), "Форма 100 (ПМК)", "Form 100", colour=_BLUE)
    diagnosis = card.diagnosis
    issued = labels.zulu_time(diagnosis.occurred_at) + " " + labels.card_date(
        diagnosis.occurred_at) if diagnosis is not None else None  # fmt: skip
    request = card.evacuation_requests[-1] if card.evacuation_requests else None
    rows: list[list[tuple[float, str, str | None]]] = [
        [(0.45, "Видана / Issued by", card.issued_by), (0.25, "Час / Issued at", issued),
         (0.3, "Лікар / Physician", diagnosis.physician if diagnosis else None)],
        [(0.4, "Санітарна обробка / Sanitary treatment",
          labels.SANITARY[diagnosis.sanitary_treatment]
          if diagnosis and diagnosis.sanitary_treatment else None),
         (0.3, "Евакуйований / Evacuated", labels.POSITIONS[request.position] if request else None),
         (0.3, "Черговість / Order", labels.FORM100_PRIORITY[request.form100_priority]
          if request and request.form100_priority else None)],
        [(0.5, "Транспорт / Transport",
          labels.TRANSPORT[request.transport] if request and request.transport else None),
         (0.5, "Куди / Destination",
          labels.DESTINATIONS[request.destination] if request and request.destination else None)],
    ]  # fmt: skip
    for index, row in enumerate(rows):
        top = sheet.need(top, 16)
        top += sheet.cells(top, row, size=7)
        if index == 0:  # the diagnosis, however long, flows on to the next page line by line
            top = _diagnosis(sheet, diagnosis.diagnosis if diagnosis else None, top)
    top = sheet.need(top + 2, 42)
    strips_top = draw_strips(sheet, card, top)
    if strips_top == top:
        sheet.text(sheet.left, top, "Кольорові смуги / Strips: немає / none", size=6, colour=GREY)
        strips_top += 9
    return strips_top + 2


def _diagnosis(sheet: Sheet, text: str | None, top: float) -> float:
    top = sheet.need(top, 16)
    sheet.text(sheet.left + 2, top + 1.5, "Діагноз / Diagnosis", size=5.0, colour=GREY)
    if text is None:
        sheet.text(sheet.left + 2, top + 7.7, "—", size=7)
        top += 17
    else:
        top = sheet.flow(sheet.left + 2, top + 7.7, text, size=7, width=sheet.inner - 4,
                         bold=True) + 1.5  # fmt: skip
    sheet.rule(top)
    return top


def _stages(sheet: Sheet, card: Card, top: float) -> float:
    if not card.handovers and card.outcome is None:
        return top
    top = sheet.section(sheet.need(top, 20), "Етапи евакуації", "Stages (Form 100 reverse)")
    for stage in card.handovers:
        parts = [f"{labels.zulu_time(stage.occurred_at)} {labels.card_date(stage.occurred_at)}",
                 stage.to_stage, stage.received_by and f"прийняв / by {stage.received_by}",
                 stage.diagnosis, stage.care_given, stage.disposition]  # fmt: skip
        top = sheet.flow(sheet.left, top, " · ".join(p for p in parts if p), size=6.4,
                         width=sheet.inner)  # fmt: skip
    if card.outcome is not None:
        outcome = card.outcome
        text = f"{labels.zulu_time(outcome.occurred_at)} Результат / Outcome:"
        text += f" {label(outcome.outcome.value)}"
        text += "".join(f"; {p}" for p in (outcome.cause_of_death, outcome.details) if p)
        top = sheet.flow(sheet.left, top, text, size=6.4, width=sheet.inner, bold=True,
                         colour=black)  # fmt: skip
    return top + 2


def draw_back(sheet: Sheet, card: Card, top: float) -> float:
    """Draw the back page from ``top`` (below its header); return the top below what was drawn."""
    top = _treatments(sheet, card, top)
    top = _fluids_and_meds(sheet, card, top)
    top = _notes(sheet, card, top)
    top = _form100(sheet, card, top)
    return _stages(sheet, card, top)
