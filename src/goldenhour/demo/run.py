"""The demo's live run: a facility diverting, a crew moving through its states, an arrival alert.

Each start of ``serve --demo`` plays one run, timed from that start so that whoever opens the
demo in its first minutes sees it happen (the scenario itself is timed from its first seeding
and grows old). Sloviansk hospital reports diverting (its CT is down), so the two wounded it
holds are moved to Kramatorsk by the ambulance KALYNA 22: when the server starts its crew is
at the pickup, 7 minutes out (Kramatorsk's board shows the arrival alert at once); 20 seconds
later the crew reports loaded, and when due, at the facility. The facility user then receives
them (the handover) and the crew reports available, as in real use.

Ids are UUID 5 of the run's start, so a run is stored once however often it is submitted, and
the next start plays a new run beside it. The events are submitted when due by the demo driver
(``goldenhour.cli.demo_driver``) through the same ingest as a phone's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from goldenhour.demo.bilohorivka import demo_id
from goldenhour.demo.scenario import (
    BATTALION,
    COMPANY,
    KRAMATORSK_HOSPITAL_ID,
    SLOVIANSK,
)
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EvacuationRequested,
    InjuryRecorded,
    TourniquetApplied,
    TriageAssessed,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    EvacuationPosition,
    InjuryKind,
    Laterality,
    Limb,
    Mechanism,
    PersonStatus,
)
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    FacilityStatusReported,
    MissionAssigned,
    MissionStatusChanged,
    VehicleStatusChanged,
)
from goldenhour.domain.operations.vocabulary import FacilityStatus, MissionStatus, VehicleStatus
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem

_E = TypeVar("_E", bound=DomainEvent)

SLOVIANSK_HOSPITAL_ID = demo_id("facility/sloviansk")
KALYNA_22_ID = demo_id("vehicle/kalyna-22")
#: Who reports Sloviansk hospital's status: its duty officer (a facility user of the hospital).
SLOVIANSK_DUTY_OFFICER = "sloviansk"
#: Why Sloviansk diverts, as its status report says.
DIVERTING_REASON = "CT down"
#: The crew reports loaded this long after the start.
LOADED_AFTER = timedelta(seconds=20)
#: The leg from Sloviansk hospital's gate to Kramatorsk city hospital (about 13 km by road).
LEG = timedelta(minutes=9)
#: The crew was at the pickup this long before the start: the facility is due LEG after that.
AT_PICKUP_BEFORE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunStep:
    """Events one demo user submits once ``due``: ``author`` is a name in ``DEMO_USERS`` or
    ``SLOVIANSK_DUTY_OFFICER``."""

    due: datetime
    author: str
    events: tuple[DomainEvent, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoRun:
    """One run's ids and its steps in order."""

    mission_id: Any
    request_id: Any
    casualty_ids: tuple[Any, ...]
    steps: tuple[RunStep, ...]


def demo_run(start: datetime) -> DemoRun:
    """Return the run that starts at ``start`` (the server's start, whole seconds)."""
    key = f"run/{start.isoformat()}"
    mission, request = demo_id(f"{key}/mission"), demo_id(f"{key}/request")
    head, leg = demo_id(f"{key}/casualty/1"), demo_id(f"{key}/casualty/2")

    def make(cls: type[_E], name: str, at: timedelta, author: str, /, **fields: Any) -> _E:
        moment = start + at
        device = {"medic": "demo-phone-01", "crew": "demo-crew-phone"}.get(author, "demo-laptop")
        return cls(
            event_id=demo_id(f"{key}/event/{name}"), occurred_at=moment, recorded_at=moment,
            author=author, device=device, **fields,
        )  # fmt: skip

    def minutes(value: float) -> timedelta:
        return timedelta(minutes=value)

    at_pickup = -AT_PICKUP_BEFORE
    wounded = [
        make(CasualtyRegistered, "head/registered", minutes(-40), "medic", casualty_id=head,
             identity=Identity(callsign="Sova", status=PersonStatus.OWN_MILITARY, age_years=29),
             injured_at=start - minutes(55), position=SLOVIANSK, battle_loss=True),
        make(InjuryRecorded, "head/injury", minutes(-39), "medic", casualty_id=head,
             region=BodyRegion.HEAD, kinds=frozenset({InjuryKind.FRAGMENT}),
             mechanisms=frozenset({Mechanism.ARTILLERY}),
             description="fragment wound to the head; needs CT"),
        make(TriageAssessed, "head/triage", minutes(-38), "medic", casualty_id=head,
             system=TriageSystem.NATO, category=NatoCategory.T1, suggested=NatoCategory.T1),
        make(CasualtyRegistered, "leg/registered", minutes(-37), "medic", casualty_id=leg,
             identity=Identity(callsign="Bereza", status=PersonStatus.OWN_MILITARY),
             injured_at=start - minutes(55), position=SLOVIANSK, battle_loss=True),
        make(TourniquetApplied, "leg/tourniquet", minutes(-50), "medic", casualty_id=leg,
             limb=Limb.RIGHT_LEG, location="high and tight", tourniquet_type="CAT"),
        make(InjuryRecorded, "leg/injury", minutes(-36), "medic", casualty_id=leg,
             region=BodyRegion.THIGH, laterality=Laterality.RIGHT,
             kinds=frozenset({InjuryKind.FRAGMENT, InjuryKind.VASCULAR}),
             mechanisms=frozenset({Mechanism.ARTILLERY})),
        make(TriageAssessed, "leg/triage", minutes(-35), "medic", casualty_id=leg,
             system=TriageSystem.NATO, category=NatoCategory.T1, suggested=NatoCategory.T1),
        *[
            make(EvacuationRequested, f"{name}/evacuation", minutes(-17), "medic",
                 casualty_id=casualty, request_id=request,
                 precedence=Precedence.URGENT_SURGICAL, position=EvacuationPosition.LITTER,
                 pickup=SLOVIANSK)
            for name, casualty in (("head", head), ("leg", leg))
        ],
        make(EvacuationRequestFiled, "request", minutes(-16), "medic", request_id=request,
             unit_id=COMPANY, casualty_ids=(head, leg), pickup=SLOVIANSK,
             precedence=Precedence.URGENT_SURGICAL),
    ]  # fmt: skip
    diverting = make(
        FacilityStatusReported, "sloviansk-diverting", minutes(-18), SLOVIANSK_DUTY_OFFICER,
        facility_id=SLOVIANSK_HOSPITAL_ID, status=FacilityStatus.DIVERTING,
        reason=DIVERTING_REASON,
    )  # fmt: skip
    assigned = [
        make(MissionAssigned, "mission", minutes(-14), "coordinator", mission_id=mission,
             vehicle_id=KALYNA_22_ID, request_ids=(request,),
             destination_id=KRAMATORSK_HOSPITAL_ID, unit_id=BATTALION,
             eta_pickup=start + at_pickup, eta_destination=start + at_pickup + LEG,
             reason=f"Sloviansk hospital diverting ({DIVERTING_REASON})"),
        make(VehicleStatusChanged, "vehicle-assigned", minutes(-14), "coordinator",
             vehicle_id=KALYNA_22_ID, status=VehicleStatus.ASSIGNED),
    ]  # fmt: skip

    def report(status: MissionStatus, at: timedelta, **fields: Any) -> MissionStatusChanged:
        return make(MissionStatusChanged, status.value, at, "crew", mission_id=mission,
                    status=status, **fields)  # fmt: skip

    loaded_at = start + LOADED_AFTER
    steps = (
        RunStep(due=start, author="medic", events=tuple(wounded)),
        RunStep(due=start, author=SLOVIANSK_DUTY_OFFICER, events=(diverting,)),
        RunStep(due=start, author="coordinator", events=tuple(assigned)),
        RunStep(due=start, author="crew", events=(
            report(MissionStatus.EN_ROUTE, minutes(-12)),
            report(MissionStatus.AT_PICKUP, at_pickup),
        )),
        RunStep(due=loaded_at, author="crew", events=(
            report(MissionStatus.PICKED_UP, LOADED_AFTER, casualty_ids=(head, leg)),
        )),
        RunStep(due=loaded_at + LEG, author="crew", events=(
            report(MissionStatus.AT_FACILITY, LOADED_AFTER + LEG),
        )),
    )  # fmt: skip
    return DemoRun(mission_id=mission, request_id=request, casualty_ids=(head, leg), steps=steps)
