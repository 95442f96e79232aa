"""The current casualty card, derived by folding the history of events; never stored as truth.

The fold ignores the order in which events arrived: it drops repeated events, voids the ones that
were superseded or retracted, sorts the rest by when they happened (ties broken by recording time
and id) and reads them in that order. The same set of events always gives the same card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from uuid import UUID

from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    DiagnosisRecorded,
    EntryRetracted,
    EvacuationRequested,
    FluidGiven,
    HandedOver,
    IdentityRecorded,
    InjuryRecorded,
    InjuryTimeRecorded,
    MedicationGiven,
    NoteAdded,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetConverted,
    TourniquetRemoved,
    TreatmentGiven,
    TriageAssessed,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    LesionType,
    Limb,
    Mechanism,
    Outcome,
    TourniquetCategory,
)
from goldenhour.domain.errors import EventConflictError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import TriageSystem


class CardStatus(Enum):
    """Where the casualty is in the chain of care."""

    AT_POINT_OF_INJURY = "at_point_of_injury"
    AWAITING_EVACUATION = "awaiting_evacuation"
    HANDED_OVER = "handed_over"
    CLOSED = "closed"


_CLOSING_OUTCOMES = frozenset(
    {Outcome.RETURNED_TO_DUTY, Outcome.DIED_OF_WOUNDS, Outcome.KILLED_IN_ACTION,
     Outcome.DIED_IN_TRANSIT}
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class TourniquetRecord:
    """One tourniquet application with when it went on and, if so, when it was converted or off."""

    application_id: UUID
    limb: Limb | None
    category: TourniquetCategory
    location: str | None
    tourniquet_type: str | None
    applied_at: datetime
    applied_by: str
    converted_at: datetime | None = None
    removed_at: datetime | None = None

    @property
    def ended_at(self) -> datetime | None:
        """Return when the tourniquet stopped compressing the limb, or ``None`` while it is on."""
        ends = [moment for moment in (self.converted_at, self.removed_at) if moment is not None]
        return min(ends) if ends else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    """A casualty's current card: DD 1380 and Form 100 fields, derived from the history."""

    casualty_id: UUID
    registered: bool = False
    identity: Identity = field(default_factory=Identity)
    injured_at: datetime | None = None
    position: Position | None = None
    battle_loss: bool | None = None
    first_responder_name: str | None = None
    first_responder_last4: str | None = None
    issued_by: str | None = None
    injuries: tuple[InjuryRecorded, ...] = ()
    tourniquets: tuple[TourniquetRecord, ...] = ()
    treatments: tuple[TreatmentGiven, ...] = ()
    fluids: tuple[FluidGiven, ...] = ()
    medications: tuple[MedicationGiven, ...] = ()
    vitals: tuple[VitalsRecorded, ...] = ()
    triage: Mapping[TriageSystem, TriageAssessed] = field(default_factory=dict)
    triage_history: tuple[TriageAssessed, ...] = ()
    evacuation_requests: tuple[EvacuationRequested, ...] = ()
    handovers: tuple[HandedOver, ...] = ()
    diagnosis: DiagnosisRecorded | None = None
    outcome: OutcomeRecorded | None = None
    notes: tuple[NoteAdded, ...] = ()
    version: int = 0  # events in the history, voided ones included
    last_event_at: datetime | None = None

    @property
    def mechanisms(self) -> frozenset[Mechanism]:
        """Return every mechanism named on any injury."""
        return frozenset(m for injury in self.injuries for m in injury.mechanisms)

    @property
    def lesion_types(self) -> frozenset[LesionType]:
        """Return Form 100's lesion types from every injury and the diagnosis."""
        found = {t for injury in self.injuries for t in injury.lesion_types}
        if self.diagnosis is not None:
            found |= self.diagnosis.lesion_types
        return frozenset(found)

    @property
    def burns(self) -> tuple[InjuryRecorded, ...]:
        """Return the injuries recorded with a burned area (%TBSA), in the card's order."""
        return tuple(i for i in self.injuries if i.burn_tbsa_percent is not None)

    @property
    def burn_tbsa_total(self) -> float | None:
        """Return the burned body surface area in percent, summed over regions, or ``None``.

        The history refuses a burn that would take the sum past 100 %, so it is the total.
        """
        burns = self.burns
        if not burns:
            return None
        # Summed in the card's order, as the web's port sums them, to the same float.
        total = 0.0
        for burn in burns:
            total += burn.burn_tbsa_percent or 0.0
        return total

    @property
    def latest_vitals(self) -> VitalsRecorded | None:
        """Return the most recent set of vitals, if any."""
        return self.vitals[-1] if self.vitals else None

    @property
    def status(self) -> CardStatus:
        """Return where the casualty is in the chain of care."""
        if self.outcome is not None and self.outcome.outcome in _CLOSING_OUTCOMES:
            return CardStatus.CLOSED
        if self.handovers:
            return CardStatus.HANDED_OVER
        if self.evacuation_requests:
            return CardStatus.AWAITING_EVACUATION
        return CardStatus.AT_POINT_OF_INJURY


def canonical_order(event: CasualtyEvent) -> tuple[datetime, datetime, str]:
    """Return the sort key that orders a history independently of arrival order."""
    return (event.occurred_at, event.recorded_at, str(event.event_id))


def unique_events(events: Iterable[CasualtyEvent]) -> dict[UUID, CasualtyEvent]:
    """Return events by id, each once; raise ``EventConflictError`` on an id with two contents."""
    by_id: dict[UUID, CasualtyEvent] = {}
    for event in events:
        known = by_id.get(event.event_id)
        if known is None:
            by_id[event.event_id] = event
        elif not known.same_content(event):
            raise EventConflictError(str(event.event_id))
    return by_id


class _Voiding:
    """Which events a history's corrections and retractions void, decided once per fold.

    A retraction voids its target while the retraction itself counts (retracting a retraction
    restores the target). A correction voids what it corrected unless the correction is
    retracted: a correction that is corrected again still stands for the entry, through its own
    correction, so a correction of a correction never brings the original values back.
    A (malformed) cycle counts every member, so no input can make the fold loop or fail.
    """

    def __init__(self, by_id: Mapping[UUID, CasualtyEvent]) -> None:
        self.corrections: dict[UUID, list[UUID]] = {}
        self.retractions: dict[UUID, list[UUID]] = {}
        for event in by_id.values():
            if event.supersedes is not None and event.supersedes in by_id:
                self.corrections.setdefault(event.supersedes, []).append(event.event_id)
            if isinstance(event, EntryRetracted) and event.target in by_id:
                self.retractions.setdefault(event.target, []).append(event.event_id)
        self._void: dict[UUID, bool] = {}

    def retracted(self, event_id: UUID, visiting: frozenset[UUID] = frozenset()) -> bool:
        """Tell whether a retraction that still counts names ``event_id``."""
        return any(
            not self.void(retraction, visiting) for retraction in self.retractions.get(event_id, ())
        )

    def void(self, event_id: UUID, visiting: frozenset[UUID] = frozenset()) -> bool:
        """Tell whether ``event_id`` is retracted, or corrected by a correction not retracted."""
        if not visiting and event_id in self._void:
            return self._void[event_id]
        if event_id in visiting:
            return False
        inner = visiting | {event_id}
        void = self.retracted(event_id, inner) or any(
            not self.retracted(correction, inner)
            for correction in self.corrections.get(event_id, ())
        )
        if not visiting:
            self._void[event_id] = void
        return void

    def voided(self) -> frozenset[UUID]:
        """Return the ids of every voided event."""
        named = self.corrections.keys() | self.retractions.keys()
        return frozenset(event_id for event_id in named if self.void(event_id))


def voided_ids(by_id: Mapping[UUID, CasualtyEvent]) -> frozenset[UUID]:
    """Return the ids of events superseded or retracted by an event that itself still counts.

    Retracting a correction restores what it corrected; correcting a correction keeps the
    original void (the latest correction is the entry now); a (malformed) cycle of corrections
    counts every member, so no input can make the fold loop or fail.
    """
    return _Voiding(by_id).voided()


@dataclass(frozen=True, slots=True)
class FoldedHistory:
    """A fold with what it decided on the way, for a reader that needs more than the card.

    ``by_id`` holds the casualty's events once each, ``void`` the ids corrected or retracted.
    """

    card: Card
    by_id: Mapping[UUID, CasualtyEvent]
    void: frozenset[UUID]


def fold(casualty_id: UUID, events: Iterable[CasualtyEvent]) -> Card:
    """Derive the current card of a casualty from its events, in whatever order they came."""
    return fold_history(casualty_id, events).card


def fold_history(casualty_id: UUID, events: Iterable[CasualtyEvent]) -> FoldedHistory:
    """Fold like ``fold``, keeping the events by id and the voided ids it found."""
    by_id = unique_events(e for e in events if e.casualty_id == casualty_id)
    voiding = _Voiding(by_id)
    void = voiding.voided()
    effective = sorted((e for e in by_id.values() if e.event_id not in void), key=canonical_order)
    builder = _CardBuilder(casualty_id)
    for event in effective:
        builder.apply(event)
    builder.attach_tourniquet_ends(by_id, voiding)
    last = max((e.occurred_at for e in by_id.values()), default=None)
    card = builder.build(version=len(by_id), last_event_at=last)
    return FoldedHistory(card=card, by_id=by_id, void=void)


class _CardBuilder:
    """Accumulates a card while effective events are read in canonical order."""

    def __init__(self, casualty_id: UUID) -> None:
        self.casualty_id = casualty_id
        self.fields: dict[str, object] = {}
        self.identity = Identity()
        self.lists: dict[str, list[CasualtyEvent]] = {}
        self.triage: dict[TriageSystem, TriageAssessed] = {}
        self.applications: list[TourniquetApplied] = []
        self.tourniquet_ends: list[TourniquetConverted | TourniquetRemoved] = []

    def apply(self, event: CasualtyEvent) -> None:
        if isinstance(event, CasualtyRegistered):
            self.fields["registered"] = True
            self.identity = self.identity.merged_with(event.identity)
            for name in ("injured_at", "position", "battle_loss", "first_responder_name",
                         "first_responder_last4", "issued_by"):  # fmt: skip
                value = getattr(event, name)
                if value is not None:
                    self.fields[name] = value
        elif isinstance(event, IdentityRecorded):
            self.identity = self.identity.merged_with(event.identity)
        elif isinstance(event, InjuryTimeRecorded):
            self.fields["injured_at"] = event.injured_at
        elif isinstance(event, TourniquetApplied):
            self.applications.append(event)
        elif isinstance(event, TourniquetConverted | TourniquetRemoved):
            self.tourniquet_ends.append(event)
        elif isinstance(event, TriageAssessed):
            self.triage[event.system] = event
            self.lists.setdefault("triage_history", []).append(event)
        elif isinstance(event, DiagnosisRecorded):
            self.fields["diagnosis"] = event
            if event.battle_loss is not None:
                self.fields["battle_loss"] = event.battle_loss
            if event.issued_by is not None:
                self.fields["issued_by"] = event.issued_by
        elif isinstance(event, OutcomeRecorded):
            self.fields["outcome"] = event
        elif type(event) in _LIST_OF:
            self.lists.setdefault(_LIST_OF[type(event)], []).append(event)

    def attach_tourniquet_ends(
        self, by_id: Mapping[UUID, CasualtyEvent], voiding: _Voiding
    ) -> None:
        # A removal names the application it saw; if that application was later corrected,
        # the correction is the application now, so follow the chain of corrections that are
        # not retracted (a correction corrected again passes the removal on to its own).
        superseded_by = {
            e.supersedes: e.event_id
            for e in sorted(by_id.values(), key=canonical_order)
            if e.supersedes is not None and not voiding.retracted(e.event_id)
        }
        records = {
            a.event_id: TourniquetRecord(
                application_id=a.event_id, limb=a.limb, category=a.category,
                location=a.location, tourniquet_type=a.tourniquet_type,
                applied_at=a.occurred_at, applied_by=a.author,
            )
            for a in self.applications
        }  # fmt: skip
        for end in self.tourniquet_ends:
            target, seen = end.application_id, set()
            while target in superseded_by and target not in seen:
                seen.add(target)
                target = superseded_by[target]
            record = records.get(target)
            if record is None:
                continue
            if isinstance(end, TourniquetConverted):
                if record.converted_at is None or end.occurred_at < record.converted_at:
                    records[target] = replace(record, converted_at=end.occurred_at)
            elif record.removed_at is None or end.occurred_at < record.removed_at:
                records[target] = replace(record, removed_at=end.occurred_at)
        self.fields["tourniquets"] = tuple(records[a.event_id] for a in self.applications)

    def build(self, *, version: int, last_event_at: datetime | None) -> Card:
        lists = {name: tuple(items) for name, items in self.lists.items()}
        return Card(
            casualty_id=self.casualty_id,
            identity=self.identity,
            triage=dict(self.triage),
            version=version,
            last_event_at=last_event_at,
            **self.fields,  # type: ignore[arg-type]
            **lists,  # type: ignore[arg-type]
        )


_LIST_OF: dict[type[CasualtyEvent], str] = {
    InjuryRecorded: "injuries",
    TreatmentGiven: "treatments",
    FluidGiven: "fluids",
    MedicationGiven: "medications",
    VitalsRecorded: "vitals",
    EvacuationRequested: "evacuation_requests",
    HandedOver: "handovers",
    NoteAdded: "notes",
}
