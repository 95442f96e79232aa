"""For the FHIR tests: a history using every event kind, the demo's, and the npm validator."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID, demo_casualty_events
from goldenhour.demo.scenario import scenario_events
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
    Avpu,
    BodyRegion,
    BodyView,
    CbrnAgent,
    DrugClass,
    EvacuationPosition,
    FacilityLevel,
    FluidKind,
    Form100Priority,
    Gender,
    InjuryKind,
    Intervention,
    Laterality,
    LesionType,
    Limb,
    Mechanism,
    Outcome,
    PersonStatus,
    PulseSite,
    Route,
    SanitaryTreatment,
    SignalStrip,
    TourniquetCategory,
    TransportMode,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import (
    NatoCategory,
    Precedence,
    StartCategory,
    TriageSystem,
)

from builders import CASUALTY, INJURED_AT, at, make


def full_history() -> list[CasualtyEvent]:
    """Return a history that uses every casualty event kind and most optional fields."""
    note = make(NoteAdded, minute=12, text="first note, corrected below")
    wrong = make(TreatmentGiven, minute=13, intervention=Intervention.SPLINT)
    leg = make(
        TourniquetApplied,
        minute=2,
        limb=Limb.LEFT_LEG,
        location="high and tight",
        tourniquet_type="CAT",
    )
    groin = make(
        TourniquetApplied,
        minute=3,
        limb=None,
        category=TourniquetCategory.JUNCTIONAL,
        location="right groin",
        tourniquet_type="SAM-JT",
    )
    return [
        make(CasualtyRegistered, minute=1, injured_at=INJURED_AT,
             identity=Identity(name_last="Шевченко", name_first="Taras", patronymic="Hryhorovych",
                               callsign="Kobzar", battle_roster="TS1814", last4="1814",
                               personal_number="UA-123456", id_document="AA 000001",
                               rank="sergeant", gender=Gender.MALE, date_of_birth=date(1990, 3, 9),
                               age_years=32, service="ZSU", unit="A4321", nationality="UA",
                               status=PersonStatus.OWN_MILITARY, allergies="penicillin",
                               blood_group="O-"),
             position=Position(lat=48.9172, lon=38.2297), battle_loss=True,
             first_responder_name="Koval, Yurii", first_responder_last4="1937",
             issued_by="aid post 2"),
        make(IdentityRecorded, minute=4, identity=Identity(rank="senior sergeant")),
        leg,
        groin,
        make(InjuryRecorded, minute=4, region=BodyRegion.THIGH, laterality=Laterality.LEFT,
             view=BodyView.FRONT, kinds=frozenset({InjuryKind.FRAGMENT, InjuryKind.VASCULAR}),
             mechanisms=frozenset({Mechanism.DRONE, Mechanism.OTHER}),
             lesion_types=frozenset({LesionType.FIREARM}), mechanism_other="FPV drop",
             description="arterial bleed", diagram_x=0.56, diagram_y=0.62),
        make(InjuryRecorded, minute=5, region=BodyRegion.CHEST, laterality=Laterality.MIDLINE,
             kinds=frozenset({InjuryKind.BURN}), mechanisms=frozenset({Mechanism.BURN}),
             burn_tbsa_percent=12.5),
        make(VitalsRecorded, minute=6, pulse=128, pulse_site=PulseSite.CAROTID,
             respiratory_rate=30, spo2=88, systolic=80, avpu=Avpu.PAIN, gcs=9, pain=9,
             temperature_c=35.4, capillary_refill_s=4.0, walking=False, breathing=True,
             breathing_after_airway=True, radial_pulse=False, follows_commands=False),
        make(TreatmentGiven, minute=7, intervention=Intervention.EYE_SHIELD,
             side=Laterality.RIGHT),
        make(TreatmentGiven, minute=7, intervention=Intervention.SGA, detail="i-gel"),
        make(TreatmentGiven, minute=8, intervention=Intervention.NEEDLE_DECOMPRESSION,
             side=Laterality.LEFT),
        make(FluidGiven, minute=9, fluid_kind=FluidKind.BLOOD_PRODUCT, name="whole blood",
             volume_ml=500.0, route=Route.IO),
        make(FluidGiven, minute=10, fluid_kind=FluidKind.FLUID, name="Hextend",
             volume_ml=250.0, route=Route.IV),
        make(MedicationGiven, minute=9, drug_class=DrugClass.HEMOSTATIC, name="TXA", dose=2.0,
             dose_unit="g", route=Route.IV),
        make(MedicationGiven, minute=10, drug_class=DrugClass.ANALGESIC, name="OTFC",
             dose=800.0, dose_unit="mcg", route=Route.OTFC),
        make(MedicationGiven, minute=10, drug_class=DrugClass.ANTIBIOTIC, name="moxifloxacin",
             dose=1.0, dose_unit="tablet of 400", route=Route.PO),
        make(MedicationGiven, minute=11, drug_class=DrugClass.SERUM, name="anti-tetanus serum",
             dose=None, dose_unit=None, route=Route.IM),
        make(TriageAssessed, minute=11, system=TriageSystem.NATO, category=NatoCategory.T1,
             suggested=NatoCategory.T2, rule="haemorrhage", reason="two tourniquets"),
        make(TriageAssessed, minute=11, system=TriageSystem.START,
             category=StartCategory.IMMEDIATE),
        make(TriageAssessed, minute=11, system=TriageSystem.PRECEDENCE,
             category=Precedence.URGENT_SURGICAL),
        make(EvacuationRequested, minute=12, request_id=uuid4(), precedence=Precedence.URGENT,
             position=EvacuationPosition.LITTER, pickup=Position(lat=48.91, lon=38.22),
             transport=TransportMode.ARMOURED_VEHICLE,
             destination=FacilityLevel.STABILISATION_POINT,
             form100_priority=Form100Priority.FIRST),
        note,
        make(NoteAdded, minute=14, text="second note, correcting the first",
             supersedes=note.event_id),
        wrong,
        make(EntryRetracted, minute=14, target=wrong.event_id, reason="wrong casualty"),
        make(TourniquetConverted, minute=40, application_id=leg.event_id,
             converted_to="pressure dressing"),
        make(TourniquetRemoved, minute=35, application_id=groin.event_id),
        make(HandedOver, minute=30, to_stage="BUHAI 2", facility_level=None,
             carried_by="two soldiers", walked_out=False),
        make(HandedOver, minute=55, to_stage="Siversk stabilisation point",
             facility_id=uuid4(), facility_level=FacilityLevel.STABILISATION_POINT,
             received_by="Dr Bondar", care_given="TXA, blood", diagnosis="shock class III",
             notes="rewarmed", disposition="to mobile hospital"),
        make(DiagnosisRecorded, minute=56, diagnosis="Fragment wound of left thigh; burn",
             physician="Dr Bondar", issued_by="stabilisation point",
             lesion_types=frozenset({LesionType.FIREARM, LesionType.THERMAL}),
             cbrn_agents=frozenset({CbrnAgent.OTHER_CHEMICAL}), battle_loss=True,
             sanitary_treatment=SanitaryTreatment.PARTIAL,
             signal_strips=frozenset({SignalStrip.URGENT_CARE, SignalStrip.ISOLATION})),
        make(OutcomeRecorded, minute=90, outcome=Outcome.DIED_OF_WOUNDS, details="buried at X",
             cause_of_death="haemorrhagic shock"),
    ]  # fmt: skip


def demo_histories() -> dict[UUID, list[CasualtyEvent]]:
    """Return each demo casualty's history: Bilohorivka's three, from the seeded scenario."""
    histories: dict[UUID, list[CasualtyEvent]] = {}
    for event in scenario_events(INJURED_AT):
        if isinstance(event, CasualtyEvent):
            histories.setdefault(event.casualty_id, []).append(event)
    assert DEMO_CASUALTY_ID in histories
    assert len(demo_casualty_events(injured_at=at(0))) == len(histories[DEMO_CASUALTY_ID])
    return histories


VALIDATOR = Path(__file__).resolve().parents[1] / "tools" / "fhir-validator"
BOOTSTRAP_HINT = "run ./scripts/bootstrap --test to install Node.js and the npm fhir validator"


def validate(bundle: dict[str, Any]) -> dict[str, Any]:
    """Run the npm validator on one bundle and return its verdict."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not installed: {BOOTSTRAP_HINT}")
    if not (VALIDATOR / "node_modules" / "fhir").is_dir():
        pytest.fail(f"tools/fhir-validator/node_modules is missing: {BOOTSTRAP_HINT}")
    done = subprocess.run(
        [node, str(VALIDATOR / "validate.js")],
        input=json.dumps(bundle, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=VALIDATOR,
    )
    assert done.returncode in (0, 1), done.stderr
    verdict: dict[str, Any] = json.loads(done.stdout)
    return verdict


def errors(verdict: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the validator's error and fatal messages."""
    return [m for m in verdict["messages"] if m["severity"] in ("error", "fatal")]


__all__ = ["CASUALTY", "demo_histories", "errors", "full_history", "validate"]
