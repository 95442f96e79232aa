"""Fill a MIST handover from a casualty card, and a 9-line request from cards and a pickup point.

The card is the source of truth; these functions only read it. Texts are in English, the
language of the 9-line and MIST on NATO nets; the interfaces translate what people read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from uuid import UUID

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import InjuryRecorded, VitalsRecorded
from goldenhour.domain.casualty.vocabulary import (
    EvacuationPosition,
    Intervention,
    PersonStatus,
)
from goldenhour.domain.geo.mgrs import MgrsPrecision, to_mgrs
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line import (
    Equipment,
    Marking,
    Nationality,
    Nbc,
    NineLineRequest,
    Security,
)
from goldenhour.domain.tourniquet.clock import format_elapsed, tourniquet_clocks
from goldenhour.domain.triage.categories import Precedence, TriageSystem
from goldenhour.domain.triage.suggest import current_triage

__all__ = [
    "PatientCounts",
    "casualty_precedence",
    "injury_text",
    "label",
    "mist_from_card",
    "most_urgent",
    "nine_line_from_cards",
    "patient_counts",
    "treatment_items",
    "vitals_text",
    "zulu",
]

#: How many vitals sets a MIST reads out: enough to show the trend, short enough to speak.
MIST_VITALS_SETS = 3

_LABELS = {
    "ied": "IED",
    "rpg": "RPG",
    "mvc": "motor vehicle crash",
    "gunshot": "GSW",
    "npa": "NPA",
    "cric": "cric",
    "et_tube": "ET tube",
    "sga": "SGA",
    "io_access": "IO access",
    "iv_access": "IV access",
}

_NATIONALITY_OF = {
    PersonStatus.OWN_MILITARY: Nationality.OWN_MILITARY,
    PersonStatus.OWN_CIVILIAN: Nationality.OWN_CIVILIAN,
    PersonStatus.OTHER_MILITARY: Nationality.OTHER_MILITARY,
    PersonStatus.OTHER_CIVILIAN: Nationality.OTHER_CIVILIAN,
    PersonStatus.EPW: Nationality.EPW,
}

# Intubated or surgically opened airways need a ventilator on board (9-line line 4, D).
_NEEDS_VENTILATOR = frozenset({Intervention.ET_TUBE, Intervention.CRIC})


def label(value: str) -> str:
    """Return a code value as words for a MIST line (``left_leg`` -> ``left leg``)."""
    return _LABELS.get(value, value.replace("_", " "))


def zulu(moment: datetime) -> str:
    """Return a time of day in Zulu as orders write it: ``1232Z``."""
    return f"{moment.astimezone(UTC):%H%M}Z"


def injury_text(injury: InjuryRecorded) -> str:
    """Describe an injury in one line: where, what, burn extent, description."""
    where = " ".join(
        part
        for part in (
            label(injury.laterality.value) if injury.laterality else None,
            label(injury.region.value),
            f"({injury.view.value})" if injury.view else None,
        )
        if part
    )
    kinds = ", ".join(label(kind.value) for kind in sorted(injury.kinds, key=lambda k: k.value))
    text = f"{where}: {kinds}" if kinds else where
    if injury.burn_tbsa_percent is not None:
        text += f", burn {injury.burn_tbsa_percent:g}% TBSA"
    if injury.description:
        text += f" ({injury.description.strip()})"
    return " ".join(text.split())


def vitals_text(vitals: VitalsRecorded) -> str:
    """Describe one set of vitals in one line, as read out on the radio."""
    parts = [zulu(vitals.occurred_at)]
    if vitals.pulse is not None:
        site = f" {vitals.pulse_site.value}" if vitals.pulse_site else ""
        parts.append(f"P {vitals.pulse}{site}")
    if vitals.respiratory_rate is not None:
        parts.append(f"RR {vitals.respiratory_rate}")
    if vitals.spo2 is not None:
        parts.append(f"SpO2 {vitals.spo2}")
    if vitals.systolic is not None:
        parts.append(f"BP {vitals.systolic}/{vitals.diastolic if vitals.diastolic else 'P'}")
    if vitals.avpu is not None:
        parts.append(f"AVPU {vitals.avpu.value}")
    gcs = gcs_text(vitals)
    if gcs:
        parts.append(gcs)
    if vitals.capillary_refill_s is not None:
        parts.append(f"CRT {vitals.capillary_refill_s:g}s")
    if vitals.temperature_c is not None:
        parts.append(f"T {vitals.temperature_c:g}C")
    if vitals.pain is not None:
        parts.append(f"PAIN {vitals.pain}")
    return " ".join(parts)


def gcs_text(vitals: VitalsRecorded) -> str:
    """Return the Glasgow Coma Scale as written: ``GCS 13 E3V4M6``, or ``""`` when not taken.

    The total when known, then the parts that were given (a verbal part is missing when
    the casualty could not be tested, e.g. intubated).
    """
    grades = "".join(
        f"{letter}{grade}"
        for letter, grade in (
            ("E", vitals.gcs_eye),
            ("V", vitals.gcs_verbal),
            ("M", vitals.gcs_motor),
        )  # fmt: skip
        if grade is not None
    )
    total = vitals.gcs_total
    words = [str(total) if total is not None else "", grades]
    text = " ".join(word for word in words if word)
    return f"GCS {text}" if text else ""


def injury_items(card: Card) -> list[str]:
    """List every injury in one line each, then the burned area of all regions together."""
    items = [injury_text(injury) for injury in card.injuries]
    total = card.burn_tbsa_total
    if total is not None and len(card.burns) > 1:
        items.append(f"burns {total:g}% TBSA in all")
    return items


def treatment_items(card: Card, now: datetime) -> list[str]:
    """List every treatment with its time; tourniquets first, with time on at ``now``."""
    items: list[str] = []
    for clock in tourniquet_clocks(card, now=now):
        where = label(clock.limb.value) if clock.limb else label(clock.category.value)
        text = f"TQ {where}"
        if clock.location:
            text += f" {clock.location.strip()}"
        text += f" {zulu(clock.applied_at)}"
        if clock.tourniquet_type:
            text += f" {clock.tourniquet_type.strip()}"
        if clock.ended_at is not None:
            text += f", off {zulu(clock.ended_at)} after {format_elapsed(clock.elapsed)}"
        else:
            text += f", on {format_elapsed(clock.elapsed)}"
        items.append(" ".join(text.split()))
    # After the tourniquets, what was done in the order it was done.
    timed: list[tuple[datetime, str]] = []
    for treatment in card.treatments:
        detail = f" {treatment.detail.strip()}" if treatment.detail else ""
        text = f"{label(treatment.intervention.value)}{detail}"
        timed.append((treatment.occurred_at, f"{text} {zulu(treatment.occurred_at)}"))
    for fluid in card.fluids:
        text = f"{fluid.name.strip()} {fluid.volume_ml:g} ml {fluid.route.value}"
        timed.append((fluid.occurred_at, f"{text} {zulu(fluid.occurred_at)}"))
    for drug in card.medications:
        dose = f" {drug.dose:g} {drug.dose_unit}" if drug.dose is not None else ""
        text = f"{drug.name.strip()}{dose} {drug.route.value}"
        timed.append((drug.occurred_at, f"{text} {zulu(drug.occurred_at)}"))
    items.extend(text for _, text in sorted(timed, key=lambda pair: pair[0]))
    return [" ".join(item.split()) for item in items]


def _zap(card: Card) -> str:
    identity = card.identity
    return (
        identity.battle_roster or identity.callsign or identity.last4 or str(card.casualty_id)[:8]
    ).strip()


def mist_from_card(card: Card, *, now: datetime) -> Mist:
    """Fill a MIST handover from the card; tourniquet times are reckoned at ``now``."""
    signs = [vitals_text(v) for v in card.vitals[-MIST_VITALS_SETS:]]
    nato = current_triage(card, TriageSystem.NATO)
    if nato.category is not None:
        signs.append(f"triage {nato.category.value}")
    return Mist(
        zap=_zap(card) or "unknown",
        age=card.identity.age_years,
        time_of_injury=card.injured_at,
        mechanism=tuple(label(m.value) for m in sorted(card.mechanisms, key=lambda m: m.value)),
        injuries=tuple(injury_items(card)),
        signs=tuple(signs),
        treatment=tuple(treatment_items(card, now)),
    )


def casualty_precedence(card: Card) -> Precedence | None:
    """Return the casualty's evacuation precedence: requested, else assessed, else suggested."""
    if card.evacuation_requests:
        return card.evacuation_requests[-1].precedence
    decision = current_triage(card, TriageSystem.PRECEDENCE)
    return decision.category if isinstance(decision.category, Precedence) else None


def _is_litter(card: Card) -> bool:
    if card.evacuation_requests:
        return card.evacuation_requests[-1].position is EvacuationPosition.LITTER
    walking = [v.walking for v in card.vitals if v.walking is not None]
    # Someone not seen walking goes on a litter: a seated place for a casualty who cannot sit
    # is worse than a litter for one who could have.
    return not (walking and walking[-1])


@dataclass(frozen=True, slots=True)
class PatientCounts:
    """Lines 3 and 5 of a 9-line for the casualties at one pickup point.

    ``by_precedence`` has a count for every code A-E; ``litter`` + ``ambulatory`` is the same
    total. ``counted`` are the casualties in those counts, in the order given; ``not_counted``
    the dead, who are not MEDEVAC patients.
    """

    by_precedence: Mapping[Precedence, int]
    litter: int
    ambulatory: int
    counted: tuple[UUID, ...]
    not_counted: tuple[UUID, ...]

    @property
    def total(self) -> int:
        """Return how many patients the request carries."""
        return len(self.counted)


def _is_dead(card: Card) -> bool:
    nato = current_triage(card, TriageSystem.NATO).category
    return nato is not None and nato.value == "dead"


def patient_counts(cards: Sequence[Card]) -> PatientCounts:
    """Count the casualties at one pickup point by precedence (line 3) and litter/seat (line 5).

    Each casualty counts once with the precedence and position of its own latest request, else
    its assessed or suggested precedence (routine, D, when there is none) and a litter unless
    seen walking. The dead are not counted, even when asked for before they died: a body is not
    a MEDEVAC patient (triage.md section 5).
    """
    by_precedence: Counter[Precedence] = Counter()
    litter = 0
    counted: list[UUID] = []
    not_counted: list[UUID] = []
    for card in cards:
        if _is_dead(card):
            not_counted.append(card.casualty_id)
            continue
        counted.append(card.casualty_id)
        by_precedence[casualty_precedence(card) or Precedence.ROUTINE] += 1
        litter += _is_litter(card)
    return PatientCounts(
        by_precedence=MappingProxyType({code: by_precedence[code] for code in Precedence}),
        litter=litter,
        ambulatory=len(counted) - litter,
        counted=tuple(counted),
        not_counted=tuple(not_counted),
    )


def most_urgent(counts: PatientCounts) -> Precedence | None:
    """Return the most urgent precedence counted: the one a request for them all is filed at."""
    return next((code for code in Precedence if counts.by_precedence[code]), None)


def nine_line_from_cards(
    cards: Sequence[Card],
    *,
    pickup: Position,
    frequency: str,
    call_sign: str,
    security: Security | None = None,
    marking: Marking | None = None,
    marking_detail: str | None = None,
    nbc: frozenset[Nbc] | None = frozenset(),
    equipment: frozenset[Equipment] | None = None,
) -> NineLineRequest:
    """Fill a 9-line request for the casualties at one pickup point.

    Lines 3 and 5 are ``patient_counts``: each casualty's own request honoured, those without a
    precedence (expectant, not yet assessed) counted as routine, the dead not counted (triage.md
    section 5). Line 4 asks for a ventilator when anyone counted is intubated; line 8 is filled
    only when every counted casualty's status is known. Raises ``NineLineError`` when no
    casualty is left to evacuate.
    """
    counts = patient_counts(cards)
    counted = set(counts.counted)
    alive = [card for card in cards if card.casualty_id in counted]
    statuses = [card.identity.status for card in alive]
    intubated = any(t.intervention in _NEEDS_VENTILATOR for card in alive for t in card.treatments)
    if equipment is None:
        equipment = frozenset({Equipment.VENTILATOR if intubated else Equipment.NONE})
    nationality = None
    if statuses and all(status is not None for status in statuses):
        tally = Counter(_NATIONALITY_OF[s] for s in statuses if s is not None)
        nationality = {code: tally[code] for code in Nationality}
    return NineLineRequest(
        location=to_mgrs(pickup.lat, pickup.lon, MgrsPrecision.M10),
        frequency=frequency,
        call_sign=call_sign,
        patients_by_precedence=dict(counts.by_precedence),
        equipment=equipment,
        litter=counts.litter,
        ambulatory=counts.ambulatory,
        security=security,
        marking=marking,
        marking_detail=marking_detail,
        patients_by_nationality=nationality,
        nbc=nbc,
    )
