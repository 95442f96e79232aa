"""Named rule cases: one for each disagreement once found between the web's port and Python."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EvacuationRequested,
    FluidGiven,
    InjuryRecorded,
    InjuryTimeRecorded,
    MedicationGiven,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetConverted,
    TourniquetRemoved,
    TreatmentGiven,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    Avpu,
    BodyRegion,
    BodyView,
    DrugClass,
    EvacuationPosition,
    FluidKind,
    InjuryKind,
    Intervention,
    Laterality,
    Limb,
    Mechanism,
    Outcome,
    PersonStatus,
    PulseSite,
    Route,
    TourniquetCategory,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.nine_line import Marking, Security
from goldenhour.domain.triage.categories import Precedence
from rules_answers import Json, Recorder, at, make_case, registered


def _vitals(**fields: Any) -> Json:
    """Return vitals fields with START's earlier steps passed unless given."""
    base: Json = {"walking": False, "breathing": True, "respiratory_rate": 20, "radial_pulse": True}
    return base | fields


def named_cases() -> Iterator[Json]:
    """Yield one case for each disagreement found between the languages, and their neighbours."""
    rng = random.Random(17)
    now = at(150)

    # A tourniquet still on when a correction of it is retracted: the original stands.
    r = registered(rng, callsign="Sokil")
    applied = r.add(TourniquetApplied, 1, limb=Limb.LEFT_LEG, location="above the knee")
    correction = r.correct(applied, 5, location="high and tight")
    r.retract(correction, 10)
    yield make_case("retracted correction keeps the tourniquet", [r], now=now)

    # A retraction retracted: the tourniquet is back on, with its clock and alarm.
    r = registered(rng, callsign="Sokil")
    applied = r.add(TourniquetApplied, 1, limb=Limb.RIGHT_ARM, tourniquet_type="CAT")
    retraction = r.retract(applied, 3)
    r.retract(retraction, 4)
    yield make_case("retracted retraction restores the tourniquet", [r], now=now)

    # A removal naming an application that was corrected afterwards ends the correction.
    r = registered(rng)
    applied = r.add(TourniquetApplied, 10, limb=Limb.LEFT_LEG)
    r.add(TourniquetRemoved, 70, application_id=applied.event_id)
    r.correct(applied, 80, occurred_at=at(8), location="above the knee")
    yield make_case("removal names a corrected application", [r], now=now)

    # The same, corrected twice.
    r = registered(rng)
    applied = r.add(TourniquetApplied, 10, limb=Limb.LEFT_LEG)
    r.add(TourniquetConverted, 40, application_id=applied.event_id)
    once = r.correct(applied, 80, occurred_at=at(9))
    r.correct(once, 81, occurred_at=at(8), tourniquet_type="SOFTT-W")
    yield make_case("conversion names a twice corrected application", [r], now=now)

    # A removal recorded before its application at the same instant.
    r = registered(rng)
    applied = r.add(TourniquetApplied, 20, recorded=22, limb=Limb.RIGHT_LEG)
    r.add(TourniquetRemoved, 20, recorded=21, application_id=applied.event_id)
    yield make_case("removal at the application's instant, recorded first", [r], now=now)

    # AVPU P or U wins over a ticked "follows commands".
    for avpu in (Avpu.PAIN, Avpu.UNRESPONSIVE, Avpu.ALERT, Avpu.VOICE):
        for follows in (True, False, None):
            r = registered(rng)
            r.add(VitalsRecorded, 5, **_vitals(avpu=avpu, follows_commands=follows))
            yield make_case(f"AVPU {avpu.value} with follows commands {follows}", [r], now=now)

    # A recorded death: dead, whatever the vitals or a tourniquet say; no 9-line.
    for outcome in Outcome:
        r = registered(rng, status=PersonStatus.OWN_MILITARY)
        r.add(VitalsRecorded, 5, walking=True)
        r.add(TourniquetApplied, 6, limb=Limb.LEFT_ARM)
        r.add(OutcomeRecorded, 30, outcome=outcome)
        yield make_case(f"outcome {outcome.value} with a tourniquet", [r], now=now)

    # The coordinator's view: converted at 10 min, removed at 130 min, is not critical.
    r = registered(rng)
    applied = r.add(TourniquetApplied, 0, limb=Limb.LEFT_LEG)
    r.add(TourniquetConverted, 10, application_id=applied.event_id)
    r.add(TourniquetRemoved, 130, application_id=applied.event_id)
    yield make_case("converted at 10 min, removed at 130 min", [r], now=now)
    r = registered(rng)
    applied = r.add(TourniquetApplied, 0, limb=Limb.LEFT_LEG)
    r.add(TourniquetRemoved, 50, application_id=applied.event_id)
    r.add(TourniquetConverted, 125, application_id=applied.event_id)
    yield make_case("removed at 50 min, converted at 125 min", [r], now=now)

    yield from _nine_line_cases(rng, now)
    yield from _mist_cases(rng, now)

    # A correction of a correction: the original's capillary refill of 3 s does not return.
    r = registered(rng)
    first = r.add(VitalsRecorded, 5, **_vitals(capillary_refill_s=3.0, follows_commands=True))
    second = r.correct(first, 6, capillary_refill_s=None)
    r.correct(second, 7, pulse=96)
    yield make_case("correction of a correction keeps the original voided", [r], now=now)

    # START's last steps, each with the finding it still needs or the one that decides.
    for name, vitals in (
        ("START needs perfusion", {"walking": False, "breathing": True, "respiratory_rate": 20}),
        ("START needs commands", _vitals()),
        ("START delayed", _vitals(follows_commands=True)),
    ):
        r = registered(rng)
        r.add(VitalsRecorded, 5, **vitals)
        yield make_case(name, [r], now=now)

    # Line 2 as typed: the frequency in its one written form, the call sign's spaces made one.
    for frequency, call_sign in (
        ("38,9", "KALYNA 21"),
        ("67mhz", " Kalyna  21 "),
        ("005", "K21"),
        ("12.5 khz", "KALYNA\t21"),
        ("38.9000", "Я-21"),
    ):
        r = registered(rng, status=PersonStatus.OWN_MILITARY)
        radio = {"frequency": frequency, "call_sign": call_sign}
        yield make_case(
            f"line 2 typed {frequency!r} {call_sign!r}",
            [r],
            now=now,
            radio=radio,
            server_cards=False,
        )

    yield from _several_casualties_cases(rng, now)


def _nine_line_cases(rng: random.Random, now: datetime) -> Iterator[Json]:
    """Yield 9-line cases: the request's own precedence and litter choice, the dead, line 4/8."""
    # The request's own precedence and position win over the suggestion.
    for precedence, position in itertools.product(Precedence, EvacuationPosition):
        r = registered(rng, status=PersonStatus.OWN_MILITARY)
        r.add(VitalsRecorded, 5, **_vitals(follows_commands=True))
        r.add(
            EvacuationRequested, 20, request_id=r.uuid(), precedence=precedence, position=position
        )
        name = f"request {precedence.value} {position.value}"
        yield make_case(name, [r], now=now, server_cards=False)
    # Several casualties at one point: one dead, one without a finding (routine, D), one T1.
    dead = registered(rng, status=PersonStatus.OWN_MILITARY)
    dead.add(VitalsRecorded, 2, walking=False, breathing=False, breathing_after_airway=False)
    unknown = registered(rng, status=PersonStatus.OTHER_CIVILIAN)
    bleeding = registered(rng, status=PersonStatus.EPW)
    bleeding.add(TourniquetApplied, 3, limb=Limb.RIGHT_LEG)
    walking = registered(rng, status=PersonStatus.OWN_CIVILIAN)
    walking.add(VitalsRecorded, 4, walking=True)
    yield make_case(
        "dead, unknown, bleeding and walking", [dead, unknown, bleeding, walking], now=now
    )
    yield make_case("dead only", [dead], now=now)
    # Line 4: a ventilator for an ET tube or a cric, none for an SGA.
    for intervention in (Intervention.ET_TUBE, Intervention.CRIC, Intervention.SGA):
        r = registered(rng, status=PersonStatus.OWN_MILITARY)
        r.add(TreatmentGiven, 4, intervention=intervention)
        yield make_case(f"line 4 with {intervention.value}", [r], now=now)
    # Line 8 only when every status is known.
    known = registered(rng, status=PersonStatus.OWN_MILITARY)
    unknown_status = registered(rng)
    yield make_case("line 8 with a status unknown", [known, unknown_status], now=now)
    # Line 1 to 10 m: points near a 10 m boundary, and every security and marking.
    for index, (security, marking) in enumerate(itertools.product(Security, Marking)):
        r = registered(rng, status=PersonStatus.OWN_MILITARY)
        pickup = {"lat": 48.5 + index * 0.0137, "lon": 37.9 + index * 0.0191}
        yield make_case(
            f"pickup {index} security {security.value} marking {marking.value}",
            [r],
            now=now,
            security=security.value,
            marking=marking.value,
            pickup=pickup,
            server_cards=False,
        )


def _several_casualties_cases(rng: random.Random, now: datetime) -> Iterator[Json]:
    """Yield 9-lines for several casualties at one point, as one request (issue 13, item 12)."""
    # One request, each casualty with its own precedence and litter or seat (mixed).
    request = UUID(int=rng.getrandbits(128), version=4)
    group = []
    for index, (precedence, position) in enumerate(
        zip(Precedence, itertools.cycle(EvacuationPosition), strict=False)
    ):
        r = registered(rng, status=list(PersonStatus)[index % len(PersonStatus)])
        r.add(VitalsRecorded, 5, walking=index % 2 == 0)
        if index == 1:
            r.add(TreatmentGiven, 6, intervention=Intervention.CRIC)
        r.add(EvacuationRequested, 20, request_id=request, precedence=precedence, position=position)
        group.append(r)
    yield make_case("one request for five, every precedence", group, now=now)
    # The same with one who died after the request: not counted; with all dead, no 9-line.
    killed = registered(rng, status=PersonStatus.OWN_MILITARY)
    killed.add(TourniquetApplied, 3, limb=Limb.LEFT_LEG)
    killed.add(
        EvacuationRequested,
        20,
        request_id=request,
        precedence=Precedence.URGENT,
        position=EvacuationPosition.LITTER,
    )
    killed.add(OutcomeRecorded, 40, outcome=Outcome.KILLED_IN_ACTION)
    yield make_case("one request, one died after it", [*group[:2], killed], now=now)
    yield make_case("one request, the only one died after it", [killed], now=now)
    # Three unrequested casualties selected together: suggestions, and routine for no finding.
    lying = registered(rng, status=PersonStatus.OWN_MILITARY)
    lying.add(VitalsRecorded, 5, **_vitals(follows_commands=True))
    tourniquet = registered(rng, status=PersonStatus.OWN_MILITARY)
    tourniquet.add(TourniquetApplied, 3, limb=Limb.RIGHT_ARM)
    nothing = registered(rng, status=PersonStatus.OWN_MILITARY)
    yield make_case("three selected, none requested", [lying, tourniquet, nothing], now=now)
    # Several at once, two of them asked for earlier, on separate requests, at other precedences.
    earlier = registered(rng, status=PersonStatus.OWN_CIVILIAN)
    earlier.add(
        EvacuationRequested,
        8,
        request_id=UUID(int=rng.getrandbits(128), version=4),
        precedence=Precedence.ROUTINE,
        position=EvacuationPosition.SEATED,
    )
    yield make_case(
        "a casualty asked for earlier joins two more", [earlier, lying, tourniquet], now=now
    )


def _mist_cases(rng: random.Random, now: datetime) -> Iterator[Json]:
    """Yield MIST cases: unknown injury time, blood pressure pairs, every part of a line."""
    r = registered(rng, callsign="Bereza")
    r.add(InjuryRecorded, 1, region=BodyRegion.CHEST, kinds=frozenset({InjuryKind.PENETRATING}))
    yield make_case("MIST without an injury time", [r], now=now)
    r = registered(rng, battle_roster="PA4821")
    r.add(VitalsRecorded, 5, systolic=90, diastolic=80, pulse=110)
    r.add(VitalsRecorded, 15, systolic=90, pulse=118)
    yield make_case("MIST pairs the systolic with its own diastolic", [r], now=now)
    r = registered(rng, battle_roster="PA4821")
    r.add(VitalsRecorded, 5, systolic=100, diastolic=60)
    r.add(VitalsRecorded, 15, pulse=120)
    yield make_case("MIST keeps each set's own blood pressure", [r], now=now)
    r = Recorder(rng)
    r.add(
        CasualtyRegistered,
        0,
        identity=Identity(last4="4821", age_years=34, status=PersonStatus.OWN_MILITARY),
        injured_at=at(-3),
        position=Position(lat=48.1, lon=37.2),
    )
    r.add(
        InjuryRecorded,
        1,
        region=BodyRegion.UPPER_ARM,
        laterality=Laterality.LEFT,
        view=BodyView.FRONT,
        kinds=frozenset({InjuryKind.FRAGMENT, InjuryKind.VASCULAR, InjuryKind.BURN}),
        mechanisms=frozenset({Mechanism.IED, Mechanism.ARTILLERY}),
        burn_tbsa_percent=4.5,
        description="  deep; wound  \\ edge ",
    )
    applied = r.add(
        TourniquetApplied, 2, limb=Limb.LEFT_ARM, location=" high  and tight", tourniquet_type="CAT"
    )
    r.add(TourniquetApplied, 2, limb=None, category=TourniquetCategory.JUNCTIONAL)
    r.add(TourniquetConverted, 47, application_id=applied.event_id, converted_to="pressure")
    r.add(TreatmentGiven, 3, intervention=Intervention.NPA, detail=" 28 Fr ")
    r.add(
        FluidGiven,
        9,
        fluid_kind=FluidKind.BLOOD_PRODUCT,
        name="LTOWB",
        volume_ml=500.0,
        route=Route.IV,
    )
    r.add(
        MedicationGiven,
        9,
        drug_class=DrugClass.ANALGESIC,
        name="Fentanyl",
        dose=0.8,
        dose_unit="mg",
        route=Route.OTFC,
    )
    r.add(
        MedicationGiven,
        8,
        drug_class=DrugClass.HEMOSTATIC,
        name="TXA",
        dose=None,
        dose_unit=None,
        route=Route.IV,
    )
    for minute in (4, 14, 24, 34):
        r.add(
            VitalsRecorded,
            minute,
            pulse=100 + minute,
            pulse_site=PulseSite.RADIAL,
            respiratory_rate=18,
            spo2=94,
            systolic=96,
            diastolic=0,
            avpu=Avpu.VOICE,
            gcs=13,
            capillary_refill_s=2.5,
            temperature_c=36.65,
            pain=7,
        )
    yield make_case("MIST with every part", [r], now=now)


def fields_cases() -> Iterator[Json]:
    """Yield cases for the card fields of issue 13 item 11: GCS, time of injury, burns, fluids."""
    rng = random.Random(13)
    now = at(90)
    r = registered(rng, callsign="Sokil")
    r.add(VitalsRecorded, 5, avpu=Avpu.VOICE, gcs_eye=3, gcs_verbal=4, gcs_motor=6)
    yield make_case("GCS from its three parts", [r], now=now)
    r = registered(rng, callsign="Sokil")
    r.add(VitalsRecorded, 5, gcs=12, gcs_eye=3, gcs_verbal=3, gcs_motor=6)
    r.add(VitalsRecorded, 10, pulse=120)
    yield make_case("GCS total and parts, a later set without it", [r], now=now)
    r = registered(rng, callsign="Sokil")
    r.add(VitalsRecorded, 5, gcs_eye=1, gcs_motor=4)
    yield make_case("GCS with a part untestable", [r], now=now)
    r = registered(rng, callsign="Sokil")
    first = r.add(InjuryTimeRecorded, 3, injured_at=at(-20))
    r.correct(first, 4, injured_at=at(-25))
    yield make_case("time of injury corrected after registration", [r], now=now)
    r = Recorder(rng)
    r.add(CasualtyRegistered, 0, identity=Identity(callsign="Bereza"), injured_at=at(-10))
    later = r.add(InjuryTimeRecorded, 6, injured_at=at(-12))
    r.retract(later, 7)
    yield make_case("time of injury retracted falls back to the registration's", [r], now=now)
    r = registered(rng, callsign="Vovk")
    for minute, region, side, percent in (
        (2, BodyRegion.CHEST, None, 9.0),
        (3, BodyRegion.UPPER_ARM, Laterality.LEFT, 4.5),
        (4, BodyRegion.THIGH, Laterality.RIGHT, 9.0),
    ):
        r.add(
            InjuryRecorded, minute, region=region, laterality=side,
            kinds=frozenset({InjuryKind.BURN}), mechanisms=frozenset({Mechanism.BURN}),
            burn_tbsa_percent=percent,
        )  # fmt: skip
    r.add(
        FluidGiven, 8, fluid_kind=FluidKind.FLUID, name="Ringer lactate", volume_ml=1000.0,
        route=Route.IV,
    )  # fmt: skip
    r.add(
        FluidGiven, 12, fluid_kind=FluidKind.BLOOD_PRODUCT, name="whole blood", volume_ml=450.0,
        route=Route.IO,
    )  # fmt: skip
    yield make_case("burns on three regions with fluids and blood", [r], now=now)
