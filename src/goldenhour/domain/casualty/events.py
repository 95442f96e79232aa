"""Casualty events: what happened to a wounded person, each a frozen fact with a client-made id.

Every event carries its own UUID (made on the device that recorded it), the casualty it belongs
to, its author and device, the time it happened (``occurred_at``), the time it was written down on
the device (``recorded_at``) and the time a node received it (``received_at``, ``None`` until
then). Events are never changed: a correction is a new event whose ``supersedes`` names the one it
replaces, and an ``EntryRetracted`` voids an entry made in error.

Impossible values are refused when an event is built, with an ``InvalidEventError`` naming the
field. Rules that need the rest of the history (a tourniquet removed before it was applied) are
checked by ``goldenhour.domain.casualty.history``; rules that need a clock by ``check_timing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from goldenhour.domain.casualty import limits
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    ArrivalCondition,
    Avpu,
    BodyRegion,
    BodyView,
    CbrnAgent,
    DrugClass,
    EvacuationPosition,
    FacilityLevel,
    FluidKind,
    Form100Priority,
    InjuryKind,
    Intervention,
    Laterality,
    LesionType,
    Limb,
    Mechanism,
    Outcome,
    PulseSite,
    Route,
    SanitaryTreatment,
    SignalStrip,
    TourniquetCategory,
    TransportMode,
)
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.event import (
    DomainEvent,
    check_member,
    check_members,
    check_uuid,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import (
    NatoCategory,
    Precedence,
    StartCategory,
    TriageCategory,
    TriageSystem,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyEvent(DomainEvent):
    """Fields every casualty event carries: the envelope and the casualty it is about."""

    kind: ClassVar[str] = "casualty_event"
    stream: ClassVar[str] = "casualty"
    stream_field: ClassVar[str] = "casualty_id"

    casualty_id: UUID


_check_member = check_member
_check_members = check_members


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyRegistered(CasualtyEvent):
    """A casualty was found and a card opened (DD 1380 header; Form 100 identity block)."""

    kind: ClassVar[str] = "casualty_registered"

    identity: Identity = field(default_factory=Identity)
    injured_at: datetime | None = None
    position: Position | None = None
    battle_loss: bool | None = None  # Form 100: Б (battle) or НБ (non-battle)
    first_responder_name: str | None = None
    first_responder_last4: str | None = None
    issued_by: str | None = None  # Form 100 "Видана": the aid post or facility

    def _check(self) -> None:
        _check_member("identity", self.identity, Identity, required=True)
        _check_member("position", self.position, Position)
        limits.check_aware("injured_at", self.injured_at)
        if self.injured_at is not None and self.injured_at > self.occurred_at:
            raise InvalidEventError("injured_at", "is after the casualty was registered")
        limits.check_text("first_responder_name", self.first_responder_name)
        limits.check_text("issued_by", self.issued_by)
        if self.first_responder_last4 is not None:
            Identity.check_last4("first_responder_last4", self.first_responder_last4)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityRecorded(CasualtyEvent):
    """More is known about who the casualty is; the fields given replace earlier ones."""

    kind: ClassVar[str] = "identity_recorded"

    identity: Identity

    def _check(self) -> None:
        _check_member("identity", self.identity, Identity, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class InjuryRecorded(CasualtyEvent):
    """An injury was found: where, what, and what caused it."""

    kind: ClassVar[str] = "injury_recorded"

    region: BodyRegion
    laterality: Laterality | None = None
    view: BodyView | None = None
    kinds: frozenset[InjuryKind] = frozenset()
    mechanisms: frozenset[Mechanism] = frozenset()
    lesion_types: frozenset[LesionType] = frozenset()  # Form 100's type of lesion
    burn_tbsa_percent: float | None = None
    description: str | None = None
    mechanism_other: str | None = None  # DD 1380 "Other" mechanism, specified
    diagram_x: float | None = None  # where on the body diagram, 0..1 from the left
    diagram_y: float | None = None  # 0..1 from the top

    def _check(self) -> None:
        _check_member("region", self.region, BodyRegion, required=True)
        _check_member("laterality", self.laterality, Laterality)
        _check_member("view", self.view, BodyView)
        _check_members("kinds", self.kinds, InjuryKind)
        _check_members("mechanisms", self.mechanisms, Mechanism)
        _check_members("lesion_types", self.lesion_types, LesionType)
        limits.check_range("burn_tbsa_percent", self.burn_tbsa_percent, limits.TBSA_RANGE, "%")
        limits.check_range("diagram_x", self.diagram_x, (0.0, 1.0), "")
        limits.check_range("diagram_y", self.diagram_y, (0.0, 1.0), "")
        limits.check_text("description", self.description)
        limits.check_text("mechanism_other", self.mechanism_other)


@dataclass(frozen=True, slots=True, kw_only=True)
class InjuryTimeRecorded(CasualtyEvent):
    """When the casualty was wounded, learnt after the card was opened (DD 1380 DATE and TIME;
    Form 100 "Поранений ... год. ... хв."); ``occurred_at`` is when it was written down.
    The latest such entry, in the card's order, is the card's time of injury.
    """

    kind: ClassVar[str] = "injury_time_recorded"

    injured_at: datetime

    def _check(self) -> None:
        if self.injured_at is None:
            raise InvalidEventError("injured_at", "is required")
        limits.check_aware("injured_at", self.injured_at)
        if self.injured_at > self.occurred_at:
            raise InvalidEventError(
                "injured_at",
                f"{self.injured_at.isoformat()} is after it was recorded "
                f"({self.occurred_at.isoformat()}): a wound cannot be recorded before it happens",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class TourniquetApplied(CasualtyEvent):
    """A tourniquet was tightened; ``occurred_at`` is the time on. Its id is this event's id."""

    kind: ClassVar[str] = "tourniquet_applied"

    limb: Limb | None
    category: TourniquetCategory = TourniquetCategory.EXTREMITY
    location: str | None = None  # e.g. "above the knee", "high and tight"
    tourniquet_type: str | None = None  # e.g. CAT, SOFTT-W, SAM-JT

    def _check(self) -> None:
        _check_member("limb", self.limb, Limb)
        _check_member("category", self.category, TourniquetCategory, required=True)
        if self.category is TourniquetCategory.EXTREMITY and self.limb is None:
            raise InvalidEventError("limb", "an extremity tourniquet needs the limb it is on")
        limits.check_text("location", self.location)
        limits.check_text("tourniquet_type", self.tourniquet_type)


@dataclass(frozen=True, slots=True, kw_only=True)
class TourniquetConverted(CasualtyEvent):
    """A tourniquet was converted to a pressure or haemostatic dressing and loosened."""

    kind: ClassVar[str] = "tourniquet_converted"

    application_id: UUID
    converted_to: str | None = None

    def _check(self) -> None:
        _check_member("application_id", self.application_id, UUID, required=True)
        limits.check_text("converted_to", self.converted_to)


@dataclass(frozen=True, slots=True, kw_only=True)
class TourniquetRemoved(CasualtyEvent):
    """A tourniquet was taken off."""

    kind: ClassVar[str] = "tourniquet_removed"

    application_id: UUID

    def _check(self) -> None:
        _check_member("application_id", self.application_id, UUID, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentGiven(CasualtyEvent):
    """An intervention from the MARCH sequence was performed (DD 1380 back; Form 100 Проведено)."""

    kind: ClassVar[str] = "treatment_given"

    intervention: Intervention
    detail: str | None = None  # SGA or chest-seal type, hypothermia kit, splint kind...
    side: Laterality | None = None  # eye shield R/L

    def _check(self) -> None:
        _check_member("intervention", self.intervention, Intervention, required=True)
        _check_member("side", self.side, Laterality)
        limits.check_text("detail", self.detail)


@dataclass(frozen=True, slots=True, kw_only=True)
class FluidGiven(CasualtyEvent):
    """A fluid or blood product was given (DD 1380 C: name, volume, route, time)."""

    kind: ClassVar[str] = "fluid_given"

    fluid_kind: FluidKind
    name: str
    volume_ml: float
    route: Route

    def _check(self) -> None:
        _check_member("fluid_kind", self.fluid_kind, FluidKind, required=True)
        limits.check_text("name", self.name, required=True)
        limits.check_range("volume_ml", self.volume_ml, limits.VOLUME_ML_RANGE, "ml")
        _check_member("route", self.route, Route, required=True)
        if self.route not in (Route.IV, Route.IO):
            raise InvalidEventError("route", f"{self.route.value}: fluids go IV or IO")


@dataclass(frozen=True, slots=True, kw_only=True)
class MedicationGiven(CasualtyEvent):
    """A drug was given (DD 1380 MEDS: name, dose, route, time; Form 100 Введено)."""

    kind: ClassVar[str] = "medication_given"

    drug_class: DrugClass
    name: str
    dose: float | None
    dose_unit: str | None
    route: Route

    def _check(self) -> None:
        _check_member("drug_class", self.drug_class, DrugClass, required=True)
        limits.check_text("name", self.name, required=True)
        limits.check_range("dose", self.dose, limits.DOSE_RANGE, self.dose_unit or "")
        if (self.dose is None) != (self.dose_unit is None):
            raise InvalidEventError("dose_unit", "a dose needs its unit, and a unit its dose")
        limits.check_text("dose_unit", self.dose_unit)
        _check_member("route", self.route, Route, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class VitalsRecorded(CasualtyEvent):
    """A set of vital signs and triage findings (DD 1380 Signs & Symptoms, one column)."""

    kind: ClassVar[str] = "vitals_recorded"

    pulse: int | None = None
    pulse_site: PulseSite | None = None
    respiratory_rate: int | None = None
    spo2: int | None = None
    systolic: int | None = None
    diastolic: int | None = None  # None with a systolic: palpated ("90/P" on DD 1380)
    avpu: Avpu | None = None
    gcs: int | None = None  # the total; with all three parts it must be their sum
    gcs_eye: int | None = None  # E 1-4
    gcs_verbal: int | None = None  # V 1-5
    gcs_motor: int | None = None  # M 1-6
    pain: int | None = None
    temperature_c: float | None = None
    capillary_refill_s: float | None = None
    # Findings START and JumpSTART ask for (shared/reference/cards/triage.md).
    walking: bool | None = None
    breathing: bool | None = None
    breathing_after_airway: bool | None = None
    radial_pulse: bool | None = None
    follows_commands: bool | None = None

    def _check(self) -> None:
        # Every field is checked before refusing, so one answer names all that is wrong.
        problems = limits.Problems()
        problems.run(limits.check_range, "pulse", self.pulse, limits.PULSE_RANGE, "/min")
        problems.run(_check_member, "pulse_site", self.pulse_site, PulseSite)
        rr = self.respiratory_rate
        problems.run(
            limits.check_range, "respiratory_rate", rr, limits.RESPIRATORY_RATE_RANGE, "/min"
        )
        problems.run(limits.check_range, "spo2", self.spo2, limits.SPO2_RANGE, "%")
        problems.run(limits.check_range, "systolic", self.systolic, limits.SYSTOLIC_RANGE, "mmHg")
        problems.run(
            limits.check_range, "diastolic", self.diastolic, limits.DIASTOLIC_RANGE, "mmHg"
        )
        problems.run(_check_member, "avpu", self.avpu, Avpu)
        problems.run(limits.check_range, "gcs", self.gcs, limits.GCS_RANGE, "")
        problems.run(limits.check_range, "gcs_eye", self.gcs_eye, limits.GCS_EYE_RANGE, "")
        problems.run(limits.check_range, "gcs_verbal", self.gcs_verbal, limits.GCS_VERBAL_RANGE, "")
        problems.run(limits.check_range, "gcs_motor", self.gcs_motor, limits.GCS_MOTOR_RANGE, "")
        problems.run(limits.check_range, "pain", self.pain, limits.PAIN_RANGE, "")
        problems.run(
            limits.check_range, "temperature_c", self.temperature_c, limits.TEMPERATURE_RANGE,
            "°C",
        )  # fmt: skip
        problems.run(
            limits.check_range, "capillary_refill_s", self.capillary_refill_s,
            limits.CAPILLARY_REFILL_RANGE, "s",
        )  # fmt: skip
        for name in _INTEGER_VITALS:
            problems.run(_check_whole_number, name, getattr(self, name))
        for name in _FINDINGS:
            problems.run(_check_yes_no, name, getattr(self, name))
        problems.raise_any()
        # Checks between fields run once each field is itself sound.
        if self.diastolic is not None and self.systolic is None:
            raise InvalidEventError("systolic", "a diastolic pressure needs its systolic")
        if self.diastolic is not None and self.systolic is not None:
            if self.diastolic >= self.systolic and self.systolic > 0:
                raise InvalidEventError(
                    "diastolic", f"{self.diastolic} is not below the systolic {self.systolic}"
                )
        parts = (self.gcs_eye, self.gcs_verbal, self.gcs_motor)
        if self.gcs is not None and None not in parts and self.gcs != sum(parts):  # type: ignore[arg-type]
            raise InvalidEventError(
                "gcs",
                f"{self.gcs} is not the sum of eye {self.gcs_eye}, verbal {self.gcs_verbal} "
                f"and motor {self.gcs_motor} ({sum(parts)})",  # type: ignore[arg-type]
            )
        if all(getattr(self, f.name) is None for f in fields(self) if f.name in _VITAL_FIELDS):
            raise InvalidEventError("vitals", "no vital sign or finding was given")

    @property
    def gcs_total(self) -> int | None:
        """Return the Glasgow Coma Scale total: as given, else the sum of all three parts."""
        if self.gcs is not None:
            return self.gcs
        if self.gcs_eye is None or self.gcs_verbal is None or self.gcs_motor is None:
            return None
        return self.gcs_eye + self.gcs_verbal + self.gcs_motor


def _check_whole_number(name: str, value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidEventError(name, f"{value!r} is not a whole number")


def _check_yes_no(name: str, value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise InvalidEventError(name, f"{value!r} is not yes or no")


_INTEGER_VITALS = (
    "pulse", "respiratory_rate", "spo2", "systolic", "diastolic", "gcs", "gcs_eye", "gcs_verbal",
    "gcs_motor", "pain",
)  # fmt: skip
_FINDINGS = ("walking", "breathing", "breathing_after_airway", "radial_pulse", "follows_commands")
_VITAL_FIELDS = frozenset(
    {"pulse", "respiratory_rate", "spo2", "systolic", "avpu", "gcs", "gcs_eye", "gcs_verbal",
     "gcs_motor", "pain", "temperature_c",
     "capillary_refill_s", *_FINDINGS}
)  # fmt: skip

_CATEGORIES_OF: dict[TriageSystem, type] = {
    TriageSystem.NATO: NatoCategory,
    TriageSystem.START: StartCategory,
    TriageSystem.JUMPSTART: StartCategory,
    TriageSystem.PRECEDENCE: Precedence,
}


def category_type(system: TriageSystem) -> type:
    """Return the enum of categories that a triage system assigns."""
    return _CATEGORIES_OF[system]


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageAssessed(CasualtyEvent):
    """A medic assigned a triage category; a choice other than the suggestion needs a reason."""

    kind: ClassVar[str] = "triage_assessed"

    system: TriageSystem
    category: TriageCategory
    suggested: TriageCategory | None = None  # what the device suggested when this was chosen
    rule: str | None = None  # the rule behind the suggestion, kept with the decision
    reason: str | None = None

    def _check(self) -> None:
        _check_member("system", self.system, TriageSystem, required=True)
        expected = _CATEGORIES_OF[self.system]
        _check_member("category", self.category, expected, required=True)
        _check_member("suggested", self.suggested, expected)
        limits.check_text("rule", self.rule)
        limits.check_text("reason", self.reason)
        overrides = self.suggested is not None and self.suggested != self.category
        if overrides and not (self.reason and self.reason.strip()):
            raise InvalidEventError(
                "reason",
                f"choosing {self.category.value} over the suggested {self.suggested.value}"  # type: ignore[union-attr]
                " needs a reason",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class EvacuationRequested(CasualtyEvent):
    """Evacuation was asked for this casualty (a 9-line names the request)."""

    kind: ClassVar[str] = "evacuation_requested"

    request_id: UUID
    precedence: Precedence
    position: EvacuationPosition  # litter (L) or seated/ambulatory (A), 9-line line 5
    pickup: Position | None = None
    transport: TransportMode | None = None
    destination: FacilityLevel | None = None
    form100_priority: Form100Priority | None = None

    def _check(self) -> None:
        _check_member("request_id", self.request_id, UUID, required=True)
        _check_member("precedence", self.precedence, Precedence, required=True)
        _check_member("position", self.position, EvacuationPosition, required=True)
        _check_member("pickup", self.pickup, Position)
        _check_member("transport", self.transport, TransportMode)
        _check_member("destination", self.destination, FacilityLevel)
        _check_member("form100_priority", self.form100_priority, Form100Priority)


@dataclass(frozen=True, slots=True, kw_only=True)
class HandedOver(CasualtyEvent):
    """The casualty reached the next stage and was handed over (Form 100 reverse, one stage)."""

    kind: ClassVar[str] = "handed_over"

    to_stage: str  # Найменування етапу: the facility, vehicle or unit taking over
    facility_id: UUID | None = None  # the receiving facility, when it is one Golden Hour knows
    facility_level: FacilityLevel | None = None
    received_by: str | None = None
    care_given: str | None = None  # Надана допомога
    diagnosis: str | None = None  # Уточнений діагноз
    notes: str | None = None  # Особливі замітки лікаря
    walked_out: bool | None = None  # Вийшов самостійно
    carried_by: str | None = None  # Винесений (ким)
    disposition: str | None = None  # Евакуювати (куди, коли)
    #: As the receiving facility found the casualty (``received_by`` names who, ``occurred_at``
    #: says when).
    condition_on_arrival: ArrivalCondition | None = None

    def _check(self) -> None:
        limits.check_text("to_stage", self.to_stage, required=True)
        _check_member("condition_on_arrival", self.condition_on_arrival, ArrivalCondition)
        if self.facility_id is not None:
            check_uuid("facility_id", self.facility_id)
        _check_member("facility_level", self.facility_level, FacilityLevel)
        for name in ("received_by", "care_given", "diagnosis", "notes", "carried_by",
                     "disposition"):  # fmt: skip
            limits.check_text(name, getattr(self, name))


@dataclass(frozen=True, slots=True, kw_only=True)
class DiagnosisRecorded(CasualtyEvent):
    """A physician filled in Form 100's face side: diagnosis, loss category, strips."""

    kind: ClassVar[str] = "diagnosis_recorded"

    diagnosis: str
    physician: str | None = None
    issued_by: str | None = (
        None  # Form 100 "Видана": the aid post or facility; issued at occurred_at
    )
    lesion_types: frozenset[LesionType] = frozenset()
    cbrn_agents: frozenset[CbrnAgent] = frozenset()
    battle_loss: bool | None = None
    sanitary_treatment: SanitaryTreatment | None = None
    signal_strips: frozenset[SignalStrip] = frozenset()

    def _check(self) -> None:
        limits.check_text("diagnosis", self.diagnosis, required=True)
        limits.check_text("physician", self.physician)
        limits.check_text("issued_by", self.issued_by)
        _check_members("cbrn_agents", self.cbrn_agents, CbrnAgent)
        _check_members("lesion_types", self.lesion_types, LesionType)
        _check_member("sanitary_treatment", self.sanitary_treatment, SanitaryTreatment)
        _check_members("signal_strips", self.signal_strips, SignalStrip)


@dataclass(frozen=True, slots=True, kw_only=True)
class OutcomeRecorded(CasualtyEvent):
    """How the casualty's course ended or moved on (Form 100 Результат)."""

    kind: ClassVar[str] = "outcome_recorded"

    outcome: Outcome
    details: str | None = None
    cause_of_death: str | None = None

    def _check(self) -> None:
        _check_member("outcome", self.outcome, Outcome, required=True)
        limits.check_text("details", self.details)
        limits.check_text("cause_of_death", self.cause_of_death)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteAdded(CasualtyEvent):
    """Free text for the card (DD 1380 NOTES)."""

    kind: ClassVar[str] = "note_added"

    text: str

    def _check(self) -> None:
        limits.check_text("text", self.text, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryRetracted(CasualtyEvent):
    """An earlier entry was made in error and no longer counts (it stays in the history)."""

    kind: ClassVar[str] = "entry_retracted"

    target: UUID
    reason: str

    def _check(self) -> None:
        _check_member("target", self.target, UUID, required=True)
        if self.target == self.event_id:
            raise InvalidEventError("target", "an event cannot retract itself")
        limits.check_text("reason", self.reason, required=True)


#: Every concrete event type by its wire name.
EVENT_TYPES: dict[str, type[CasualtyEvent]] = {
    cls.kind: cls
    for cls in (
        CasualtyRegistered, IdentityRecorded, InjuryRecorded, InjuryTimeRecorded, TourniquetApplied,
        TourniquetConverted, TourniquetRemoved, TreatmentGiven, FluidGiven, MedicationGiven,
        VitalsRecorded, TriageAssessed, EvacuationRequested, HandedOver, DiagnosisRecorded,
        OutcomeRecorded, NoteAdded, EntryRetracted,
    )
}  # fmt: skip

__all__ = [cls.__name__ for cls in EVENT_TYPES.values()] + [
    "EVENT_TYPES",
    "CasualtyEvent",
    "category_type",
]
