"""A casualty's registry row, derived from its history: what the registry's figures need.

The row is a projection like the card: the same set of events always gives the same row,
whatever order they arrived in. It keeps raw facts (times, the recorded outcome), not the
registry's classification; ``figures.row_facts`` derives what the row brings to the figures,
which the storage keeps beside it (a change of definition is a ``db rebuild``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from uuid import UUID

from goldenhour.domain.casualty.card import (
    Card,
    FoldedHistory,
    fold,
    unique_events,
    voided_ids,
)
from goldenhour.domain.casualty.events import CasualtyEvent, OutcomeRecorded
from goldenhour.domain.casualty.vocabulary import FluidKind, Outcome, PersonStatus
from goldenhour.domain.geo.mgrs import MgrsPrecision, to_mgrs
from goldenhour.domain.medevac.from_card import casualty_precedence
from goldenhour.domain.triage.categories import TriageSystem

__all__ = ["RegistryRecord", "population_of", "registry_record"]

_CIVILIAN = frozenset({PersonStatus.OWN_CIVILIAN, PersonStatus.OTHER_CIVILIAN})
_MILITARY = frozenset({PersonStatus.OWN_MILITARY, PersonStatus.OTHER_MILITARY, PersonStatus.EPW})


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryRecord:
    """One casualty as the registry counts it (the row shape is documented in docs/registry.md).

    Times are aware datetimes in UTC or ``None`` when the history does not hold them. Lists
    (mechanisms, regions, drug classes) are sorted tuples of the vocabulary's wire values.
    """

    casualty_id: UUID
    unit_id: UUID | None = None
    area: str | None = None  # the 10 km MGRS square of the point of injury
    population: str | None = None  # "military", "civilian", or None when not recorded
    battle_loss: bool | None = None
    injured_at: datetime | None = None
    first_event_at: datetime | None = None  # the earliest moment on the card
    mechanisms: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    triage_system: str | None = None  # the first NATO or START triage: the field decision
    triage_category: str | None = None
    precedence: str | None = None  # 9-line line 3: A to E
    tourniquet_count: int = 0
    tourniquet_on_at: datetime | None = None  # the first application
    tourniquet_off_at: datetime | None = None  # when the longest-worn one that ended came off
    tourniquet_minutes: float | None = None  # the longest time on among the ended ones
    tourniquets_open: int = 0  # still on when the row was written
    drug_classes: tuple[str, ...] = ()
    txa: bool = False
    blood_units: int = 0
    blood_at: datetime | None = None
    requested_at: datetime | None = None
    picked_up_at: datetime | None = None
    arrived_at: datetime | None = None  # first handover to a facility
    surgery_at: datetime | None = None
    outcome: str | None = None  # the latest recorded ``Outcome`` value
    outcome_at: datetime | None = None
    newest_input_at: datetime | None = None  # when the newest event of the history was received

    @property
    def reference_time(self) -> datetime | None:
        """Return the injury time, else the earliest moment on the card (the row's date)."""
        return self.injured_at or self.first_event_at


def population_of(status: PersonStatus | None) -> str | None:
    """Return ``"civilian"``, ``"military"`` or ``None`` for a 9-line person status."""
    if status in _CIVILIAN:
        return "civilian"
    if status in _MILITARY:
        return "military"
    return None


def registry_record(
    casualty_id: UUID,
    history: Iterable[CasualtyEvent],
    *,
    unit_id: UUID | None = None,
    card: Card | None = None,
    folded: FoldedHistory | None = None,
    requested_at: datetime | None = None,
    picked_up_at: datetime | None = None,
    arrived_at: datetime | None = None,
) -> RegistryRecord:
    """Return the registry row of a casualty from its whole history.

    ``card`` is the history's fold when the caller already has it; ``folded`` is the fold
    with its events by id and voided ids (``fold_history``), and then ``history`` is not
    read again. ``requested_at``, ``picked_up_at`` and ``arrived_at`` are what the
    operational log adds (the request filed, the mission's pickup and handover); the earlier
    of theirs and the card's counts.
    """
    if folded is not None:
        card, by_id, void = folded.card, folded.by_id, folded.void
    else:
        events = list(history)
        if card is None:
            card = fold(casualty_id, events)
        by_id = unique_events(e for e in events if e.casualty_id == casualty_id)
        void = voided_ids(by_id)
    effective = [e for e in by_id.values() if e.event_id not in void]
    first_field_triage = next(
        (t for t in card.triage_history if t.system in (TriageSystem.NATO, TriageSystem.START)),
        None,
    )
    precedence = casualty_precedence(card)
    tourniquet_on = min((t.applied_at for t in card.tourniquets), default=None)
    ended = [(t, t.ended_at) for t in card.tourniquets if t.ended_at is not None]
    longest = max(ended, key=lambda pair: pair[1] - pair[0].applied_at, default=None)
    blood = [f for f in card.fluids if f.fluid_kind is FluidKind.BLOOD_PRODUCT]
    surgeries = [
        e.occurred_at
        for e in effective
        if isinstance(e, OutcomeRecorded) and e.outcome is Outcome.SURGERY
    ]
    facility_handovers = [
        h.occurred_at
        for h in card.handovers
        if h.facility_id is not None or h.facility_level is not None
    ]
    received = [e.received_at for e in by_id.values() if e.received_at is not None]
    position = card.position
    return RegistryRecord(
        casualty_id=casualty_id,
        unit_id=unit_id,
        area=_area(position.lat, position.lon) if position else None,
        population=population_of(card.identity.status),
        battle_loss=card.battle_loss,
        injured_at=card.injured_at,
        first_event_at=min((e.occurred_at for e in effective), default=None),
        mechanisms=tuple(sorted(m.value for m in card.mechanisms)),
        regions=tuple(sorted({i.region.value for i in card.injuries})),
        triage_system=first_field_triage.system.value if first_field_triage else None,
        triage_category=_category_value(first_field_triage),
        precedence=precedence.value if precedence else None,
        tourniquet_count=len(card.tourniquets),
        tourniquet_on_at=tourniquet_on,
        tourniquet_off_at=longest[1] if longest else None,
        tourniquet_minutes=(
            (longest[1] - longest[0].applied_at).total_seconds() / 60 if longest else None
        ),
        tourniquets_open=sum(1 for t in card.tourniquets if t.ended_at is None),
        drug_classes=tuple(sorted({m.drug_class.value for m in card.medications})),
        txa=any(m.drug_class.value == "hemostatic" for m in card.medications),
        blood_units=len(blood),
        blood_at=min((f.occurred_at for f in blood), default=None),
        requested_at=_earliest([r.occurred_at for r in card.evacuation_requests], requested_at),
        picked_up_at=picked_up_at,
        arrived_at=_earliest(facility_handovers, arrived_at),
        surgery_at=min(surgeries, default=None),
        outcome=card.outcome.outcome.value if card.outcome else None,
        outcome_at=card.outcome.occurred_at if card.outcome else None,
        newest_input_at=max(received, default=None),
    )


@lru_cache(maxsize=4096)
def _area(lat: float, lon: float) -> str:
    # The row is written again at each event of the casualty, at the same point of injury:
    # the conversion (milliseconds, in exact arithmetic) is done once per point.
    return to_mgrs(lat, lon, MgrsPrecision.KM10)


def _category_value(triage: object) -> str | None:
    category = getattr(triage, "category", None)
    value = getattr(category, "value", None)
    return value if isinstance(value, str) else None


def _earliest(moments: list[datetime], other: datetime | None) -> datetime | None:
    known = [*moments, *([other] if other is not None else [])]
    return min(known, default=None)
