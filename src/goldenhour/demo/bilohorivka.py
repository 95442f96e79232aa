"""The demo casualty: wounded near Bilohorivka on the Siverskyi Donets, tourniquet above the knee.

From the seed dispatch (AFP, June 2022): a medic tightens a tourniquet just above a wounded man's
knee; soldiers form a circle of protection around the rescuers and note the coordinates of the
next medical evacuation; the village and its roads are constantly shelled; the wounded man is
carried to an ambulance waiting a relatively safe distance from the shellfire.

The casualty's name, call sign and numbers are invented. Event ids are derived from fixed names
(UUID 5), so building the scenario twice gives the same events and storing them twice stores
them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid5

from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EvacuationRequested,
    InjuryRecorded,
    MedicationGiven,
    NoteAdded,
    TourniquetApplied,
    TreatmentGiven,
    TriageAssessed,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    Avpu,
    BodyRegion,
    BodyView,
    DrugClass,
    EvacuationPosition,
    FacilityLevel,
    Form100Priority,
    Gender,
    InjuryKind,
    Intervention,
    Laterality,
    LesionType,
    Limb,
    Mechanism,
    PersonStatus,
    PulseSite,
    Route,
    TransportMode,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.nine_line import Marking, Security
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem

#: Namespace of every id in the demo scenario.
DEMO_NAMESPACE = UUID("6f1c1d7e-2b8a-5c51-9d0e-3a4b5c6d7e8f")

#: Bilohorivka, Luhansk oblast, on the north bank of the Siverskyi Donets.
BILOHORIVKA = Position(lat=48.9258, lon=38.2464)
#: The pickup site by the last roadblock before the village, guarded by soldiers.
PICKUP_SITE = Position(lat=48.9172, lon=38.2297)
#: Where the ambulance waits, a relatively safe distance from the shellfire (exchange point).
AMBULANCE_EXCHANGE_POINT = Position(lat=48.8706, lon=38.1268)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoRadio:
    """The evacuation net the 9-line is sent on (invented frequency and call sign)."""

    frequency: str = "38.900 MHZ"
    call_sign: str = "KALYNA 21"
    security: Security = Security.ENEMY_IN_AREA  # shelling: enemy fire, proceed with caution
    marking: Marking = Marking.NONE  # smoke under shellfire would draw fire


DEMO_RADIO = DemoRadio()


def demo_id(name: str) -> UUID:
    """Return the stable id of a named thing in the demo scenario."""
    return uuid5(DEMO_NAMESPACE, name)


#: The wounded man's casualty id.
DEMO_CASUALTY_ID = demo_id("casualty/bilohorivka-1")


def demo_casualty_events(*, injured_at: datetime) -> list[CasualtyEvent]:
    """Return the wounded man's history, timed from the moment he was hit."""
    casualty = DEMO_CASUALTY_ID

    def at(minutes: float) -> datetime:
        return injured_at + timedelta(minutes=minutes)

    def envelope(name: str, minutes: float) -> dict[str, object]:
        return {
            "event_id": demo_id(f"event/bilohorivka-1/{name}"),
            "casualty_id": casualty,
            "occurred_at": at(minutes),
            "recorded_at": at(minutes + 1),
            "author": "medic",
            "device": "demo-phone-01",
        }

    return [
        TourniquetApplied(
            **envelope("tourniquet", 2),  # type: ignore[arg-type]
            limb=Limb.LEFT_LEG,
            location="above the knee",
            tourniquet_type="CAT",
        ),
        CasualtyRegistered(
            **envelope("registered", 3),  # type: ignore[arg-type]
            identity=Identity(
                name_last="Petrenko",
                name_first="Andrii",
                callsign="Lys",
                battle_roster="AP4821",
                last4="4821",
                rank="senior soldier",
                gender=Gender.MALE,
                age_years=34,
                service="ZSU",
                unit="A1234, 2nd company",
                nationality="UA",
                status=PersonStatus.OWN_MILITARY,
                allergies="NKDA",
                blood_group="A+",
            ),
            injured_at=injured_at,
            position=PICKUP_SITE,
            battle_loss=True,
            first_responder_name="Koval, Yurii",
            first_responder_last4="1937",
        ),
        InjuryRecorded(
            **envelope("injury-thigh", 4),  # type: ignore[arg-type]
            region=BodyRegion.THIGH,
            laterality=Laterality.LEFT,
            view=BodyView.FRONT,
            kinds=frozenset({InjuryKind.FRAGMENT, InjuryKind.VASCULAR}),
            mechanisms=frozenset({Mechanism.ARTILLERY}),
            lesion_types=frozenset({LesionType.FIREARM}),
            description="shell fragment wound, arterial bleeding",
            diagram_x=0.56,
            diagram_y=0.62,
        ),
        VitalsRecorded(
            **envelope("vitals-1", 5),  # type: ignore[arg-type]
            pulse=118,
            pulse_site=PulseSite.RADIAL,
            respiratory_rate=24,
            spo2=94,
            systolic=100,
            diastolic=62,
            avpu=Avpu.ALERT,
            pain=8,
            capillary_refill_s=2.0,
            walking=False,
            breathing=True,
            radial_pulse=True,
            follows_commands=True,
        ),
        TreatmentGiven(
            **envelope("iv", 6),  # type: ignore[arg-type]
            intervention=Intervention.IV_ACCESS,
        ),
        MedicationGiven(
            **envelope("txa", 7),  # type: ignore[arg-type]
            drug_class=DrugClass.HEMOSTATIC,
            name="TXA",
            dose=2.0,
            dose_unit="g",
            route=Route.IV,
        ),
        MedicationGiven(
            **envelope("ketamine", 8),  # type: ignore[arg-type]
            drug_class=DrugClass.ANALGESIC,
            name="Ketamine",
            dose=50.0,
            dose_unit="mg",
            route=Route.IM,
        ),
        TreatmentGiven(
            **envelope("hypothermia", 9),  # type: ignore[arg-type]
            intervention=Intervention.HYPOTHERMIA_PREVENTION,
            detail="HPMK",
        ),
        TriageAssessed(
            **envelope("triage-nato", 10),  # type: ignore[arg-type]
            system=TriageSystem.NATO,
            category=NatoCategory.T1,
            suggested=NatoCategory.T1,
            rule="life-saving intervention in place: tourniquet on left leg",
        ),
        EvacuationRequested(
            **envelope("evacuation", 11),  # type: ignore[arg-type]
            request_id=demo_id("request/bilohorivka-1"),
            precedence=Precedence.URGENT_SURGICAL,
            position=EvacuationPosition.LITTER,
            pickup=PICKUP_SITE,
            transport=TransportMode.ARMOURED_VEHICLE,
            destination=FacilityLevel.STABILISATION_POINT,
            form100_priority=Form100Priority.FIRST,
        ),
        NoteAdded(
            **envelope("note-security", 12),  # type: ignore[arg-type]
            text=(
                "Pickup site guarded by soldiers; village and roads under shelling. "
                "Ambulance waiting at the exchange point outside the shellfire."
            ),
        ),
        VitalsRecorded(
            **envelope("vitals-2", 20),  # type: ignore[arg-type]
            pulse=112,
            pulse_site=PulseSite.RADIAL,
            respiratory_rate=22,
            spo2=95,
            systolic=104,
            diastolic=66,
            avpu=Avpu.ALERT,
            pain=5,
        ),
    ]
