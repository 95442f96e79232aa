"""Cases for the rules the web app runs offline, answered by the Python domain (the reference).

Each case is a casualty history (or several at one pickup point) in the wire form, a moment
"now" and a pickup point; its answer is what the Python domain makes of it: the card, triage
with the rule that fired, the tourniquet clocks, the 9-line and the MIST. The web's port
(web/src/card.ts, triage.ts, medevac.ts, remote.ts) must give the same answers: vitest reads
the golden cases (web/tests/rules-parity.test.ts), tests/unit/test_rules_goldens.py checks
that they are current, and tests/integration/test_rules_parity.py runs random histories and
the whole vital-signs grid through both.

Regenerate the golden files after a deliberate change of a rule::

    uv run --frozen python tests/rules_cases.py
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EvacuationRequested,
    FluidGiven,
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
    Avpu,
    BodyRegion,
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
from goldenhour.domain.medevac.nine_line import Marking, Security
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem
from rules_answers import (
    GOLDEN_DIR,
    START,
    Json,
    Recorder,
    at,
    make_case,
    memoised_mgrs,
    registered,
)
from rules_named import fields_cases, named_cases


def vitals_grid() -> Iterator[Json]:
    """Yield every combination of START's findings around its thresholds, one set each."""
    yes_no = (None, True, False)
    for walking, breathing, after, rate, radial, refill, follows, avpu in itertools.product(
        yes_no,
        yes_no,
        yes_no,
        (None, 30, 31),
        yes_no,
        (None, 2.0, 2.1),
        yes_no,
        (None, *Avpu),
    ):
        yield {
            "walking": walking,
            "breathing": breathing,
            "breathing_after_airway": after,
            "respiratory_rate": rate,
            "radial_pulse": radial,
            "capillary_refill_s": refill,
            "follows_commands": follows,
            "avpu": avpu,
        }


def grid_cases(seed: int, *, step: int = 1) -> Iterator[Json]:
    """Yield a case per vital-signs combination (every ``step``-th), some with a tourniquet."""
    rng = random.Random(seed)
    for index, vitals in enumerate(vitals_grid()):
        if index % step:
            continue
        r = registered(rng)
        r.add(VitalsRecorded, 5, **vitals)
        if index % 7 == 0:
            r.add(TourniquetApplied, 3, limb=Limb.RIGHT_LEG)
        if index % 5 == 0:
            r.add(
                InjuryRecorded,
                2,
                region=BodyRegion.ABDOMEN,
                kinds=frozenset({rng.choice(list(InjuryKind))}),
            )
        yield make_case(f"grid {index}", [r], now=at(90), server_cards=False)


# --- random accepted histories --------------------------------------------------------------

_CORRECTABLE = (
    VitalsRecorded,
    NoteAdded,
    TourniquetApplied,
    TourniquetRemoved,
    TourniquetConverted,
    InjuryRecorded,
    TreatmentGiven,
    TriageAssessed,
    OutcomeRecorded,
    EvacuationRequested,
    FluidGiven,
    InjuryTimeRecorded,
)


def _maybe(rng: random.Random, value: Any, chance: float = 0.5) -> Any:
    return value if rng.random() < chance else None


def _random_vitals(rng: random.Random) -> Json:
    choices: dict[str, Callable[[], Any]] = {
        "pulse": lambda: rng.choice([0, 40, 118, 300]),
        "pulse_site": lambda: rng.choice(list(PulseSite)),
        "respiratory_rate": lambda: rng.choice([0, 8, 29, 30, 31, 80]),
        "spo2": lambda: rng.choice([70, 94, 100]),
        "systolic": lambda: rng.choice([60, 90, 120]),
        "diastolic": lambda: rng.choice([0, 40, 80]),
        "avpu": lambda: rng.choice(list(Avpu)),
        "gcs": lambda: rng.choice([3, 9, 15]),
        "pain": lambda: rng.randint(0, 10),
        "temperature_c": lambda: rng.choice([34.5, 36.6, 38.25]),
        "capillary_refill_s": lambda: rng.choice([0.0, 1.5, 2.0, 2.1, 3.0, 20.0]),
        "walking": lambda: rng.random() < 0.3,
        "breathing": lambda: rng.random() < 0.8,
        "breathing_after_airway": lambda: rng.random() < 0.5,
        "radial_pulse": lambda: rng.random() < 0.7,
        "follows_commands": lambda: rng.random() < 0.7,
    }
    return {name: draw() for name, draw in choices.items() if rng.random() < 0.35}


def _random_gcs(rng: random.Random) -> Json:
    """Return a GCS as medics write it: the total, its three parts, both, or some parts."""
    eye, verbal, motor = rng.randint(1, 4), rng.randint(1, 5), rng.randint(1, 6)
    form = rng.choice(["total", "parts", "both", "some"])
    if form == "total":
        return {"gcs": eye + verbal + motor}
    parts = {"gcs_eye": eye, "gcs_verbal": verbal, "gcs_motor": motor}
    if form == "some":
        return {name: value for name, value in parts.items() if rng.random() < 0.5}
    return parts | ({"gcs": eye + verbal + motor} if form == "both" else {})


#: What the card fields of issue 13 item 11 add to random histories (``fields=True``).
_FIELD_STEPS = ["gcs", "burn", "burn", "injury_time", "fluid", "blood"]


def random_history(
    rng: random.Random, recorder: Recorder, steps: int, *, fields: bool = False
) -> None:
    """Append ``steps`` random accepted events: entries, corrections, retractions, ends.

    With ``fields``, GCS parts, burns with %TBSA, times of injury and blood products too.
    """
    identity = Identity(
        callsign=_maybe(rng, rng.choice(["Sokil", "Bereza"])),
        battle_roster=_maybe(rng, "PA4821", 0.3),
        age_years=_maybe(rng, rng.choice([6, 8, 9, 34]), 0.3),
        status=_maybe(rng, rng.choice(list(PersonStatus)), 0.7),
    )
    recorder.add(
        CasualtyRegistered, rng.randint(0, 3), identity=identity, injured_at=_maybe(rng, at(-5))
    )
    for _ in range(steps):
        minute = rng.randint(0, 150)
        recorded = minute + rng.choice([0, 0, 1, -1])
        step = rng.choice(
            [
                "vitals",
                "vitals",
                "tourniquet",
                "end",
                "end",
                "injury",
                "treatment",
                "triage",
                "outcome",
                "evacuation",
                "note",
                "identity",
                "drug",
                "fluid",
                "correct",
                "correct",
                "retract",
                "retract",
                *(_FIELD_STEPS if fields else []),
            ]
        )
        applications = [e for e in recorder.events if isinstance(e, TourniquetApplied)]
        if step == "vitals":
            recorder.add(VitalsRecorded, minute, recorded=recorded, **_random_vitals(rng))
        elif step == "tourniquet":
            limb = rng.choice([*Limb, None])
            category = TourniquetCategory.EXTREMITY if limb else TourniquetCategory.JUNCTIONAL
            recorder.add(
                TourniquetApplied,
                minute,
                recorded=recorded,
                limb=limb,
                category=category,
                location=_maybe(rng, "above the knee"),
            )
        elif step == "end" and applications:
            target = rng.choice(applications)
            start = (target.occurred_at - START).total_seconds() / 60
            end_minute = start + rng.choice([0, 0, 5, 59, 60, 61, 119, 120, 121, 200])
            cls = rng.choice([TourniquetRemoved, TourniquetConverted])
            recorder.add(
                cls,
                end_minute,
                recorded=end_minute + rng.choice([-1, 0, 1]),
                application_id=target.event_id,
            )
        elif step == "injury":
            recorder.add(
                InjuryRecorded,
                minute,
                region=rng.choice(list(BodyRegion)),
                laterality=_maybe(rng, rng.choice(list(Laterality))),
                kinds=frozenset(rng.sample(list(InjuryKind), rng.randint(0, 2))),
                mechanisms=frozenset(rng.sample(list(Mechanism), rng.randint(0, 2))),
            )
        elif step == "treatment":
            recorder.add(TreatmentGiven, minute, intervention=rng.choice(list(Intervention)))
        elif step == "triage":
            system = rng.choice([TriageSystem.NATO, TriageSystem.PRECEDENCE])
            category: Any = rng.choice(
                list(NatoCategory) if system is TriageSystem.NATO else list(Precedence)
            )
            recorder.add(TriageAssessed, minute, system=system, category=category)
        elif step == "outcome":
            recorder.add(OutcomeRecorded, minute, outcome=rng.choice(list(Outcome)))
        elif step == "evacuation":
            recorder.add(
                EvacuationRequested,
                minute,
                request_id=recorder.uuid(),
                precedence=rng.choice(list(Precedence)),
                position=rng.choice(list(EvacuationPosition)),
            )
        elif step == "note":
            recorder.add(NoteAdded, minute, text=rng.choice(["a", "b"]))
        elif step == "identity":
            recorder.add(
                IdentityRecorded,
                minute,
                identity=Identity(
                    status=rng.choice(list(PersonStatus)), callsign=_maybe(rng, "Vovk")
                ),
            )
        elif step == "drug":
            recorder.add(
                MedicationGiven,
                minute,
                drug_class=DrugClass.ANALGESIC,
                name="Ketamine",
                dose=_maybe(rng, 50.0, 0.8),
                dose_unit="mg",
                route=Route.IM,
            )
        elif step == "fluid":
            recorder.add(
                FluidGiven,
                minute,
                fluid_kind=FluidKind.FLUID,
                name="NaCl 0.9%",
                volume_ml=rng.choice([250.0, 500.0, 1000.0]),
                route=Route.IV,
            )
        elif step == "gcs":
            recorder.add(VitalsRecorded, minute, recorded=recorded, **_random_gcs(rng))
        elif step == "burn":
            recorder.add(
                InjuryRecorded,
                minute,
                region=rng.choice([BodyRegion.CHEST, BodyRegion.UPPER_ARM, BodyRegion.THIGH]),
                kinds=frozenset({InjuryKind.BURN}),
                burn_tbsa_percent=rng.choice([0.5, 1.0, 4.5, 9.0, 18.0, 33.3, 60.0]),
            )
        elif step == "injury_time":
            recorder.add(InjuryTimeRecorded, minute, injured_at=at(minute - rng.randint(0, 40)))
        elif step == "blood":
            recorder.add(
                FluidGiven,
                minute,
                fluid_kind=FluidKind.BLOOD_PRODUCT,
                name=rng.choice(["whole blood", "plasma"]),
                volume_ml=rng.choice([250.0, 450.0]),
                route=rng.choice([Route.IV, Route.IO]),
            )
        elif step == "correct":
            correctable = [e for e in recorder.events if isinstance(e, _CORRECTABLE)]
            if correctable:
                original = rng.choice(correctable)
                changes: Json = {}
                if isinstance(original, VitalsRecorded):
                    changes = dict.fromkeys(_random_vitals(rng)) | _random_vitals(rng)
                    if fields and rng.random() < 0.5:
                        gcs_names = ("gcs", "gcs_eye", "gcs_verbal", "gcs_motor")
                        changes |= dict.fromkeys(gcs_names) | _random_gcs(rng)
                elif isinstance(original, InjuryRecorded) and original.burn_tbsa_percent:
                    changes = {"burn_tbsa_percent": rng.choice([1.0, 9.0, 27.0])}
                elif isinstance(original, InjuryTimeRecorded):
                    changes = {"injured_at": original.injured_at - timedelta(minutes=3)}
                elif isinstance(
                    original, TourniquetApplied | TourniquetRemoved | TourniquetConverted
                ):
                    changes = {
                        "occurred_at": original.occurred_at
                        + timedelta(minutes=rng.choice([-3, 0, 2]))
                    }
                recorder.correct(original, minute + 1, **changes)
        elif step == "retract" and len(recorder.events) > 1:
            recorder.retract(rng.choice(recorder.events[1:]), minute)


def random_cases(
    seed: int, count: int, *, prefix: str = "random", server_every: int = 1, fields: bool = False
) -> Iterator[Json]:
    """Yield ``count`` random cases; about one in six has two or three casualties.

    Every ``server_every``-th case carries the server's cards too, for ``fromServer``. With
    ``fields``, the histories hold GCS parts, burns, times of injury and blood products too.
    """
    rng = random.Random(seed)
    for index in range(count):
        recorders = []
        for _ in range(rng.choice([1, 1, 1, 1, 1, 2, 3])):
            recorder = Recorder(rng)
            random_history(rng, recorder, rng.randint(2, 25), fields=fields)
            recorders.append(recorder)
        now = at(rng.choice([30, 59, 60, 61, 119, 120, 121, 180, 400]))
        yield make_case(
            f"{prefix} {seed}/{index}",
            recorders,
            now=now,
            security=rng.choice(list(Security)).value,
            marking=rng.choice(list(Marking)).value,
            server_cards=index % server_every == 0,
            radio=_random_radio(rng),
        )


def _random_radio(rng: random.Random) -> dict[str, str]:
    """Return line 2 as a medic may type it: frequency forms, call signs with stray spaces."""
    # A frequency of zero is refused by the server (no 9-line); the form is to catch it.
    whole = rng.choice(["0", "5", "007", "38", "67", "123456"])
    fractions = [".9", ",5"] if whole == "0" else ["", ".9", ",9", ".900", ".0125", ".000", ",5"]
    fraction = rng.choice(fractions)
    unit = rng.choice(["", " MHZ", "mhz", " kHz"])
    call_sign = rng.choice(["KALYNA 21", " Kalyna  21 ", "Я-21", "K\t21"])
    return {"frequency": f"{whole}{fraction}{unit}", "call_sign": call_sign}


# --- the golden files -----------------------------------------------------------------------


def golden_files() -> dict[str, list[Json]]:
    """Return the golden cases by file name (named cases, a grid sample, random histories)."""
    with memoised_mgrs():
        return {
            "named.json": list(named_cases()),
            "vitals-grid.json": list(grid_cases(1, step=97)),
            "random.json": list(random_cases(1, 130, server_every=4)),
            "fields.json": [
                *fields_cases(),
                *random_cases(11, 40, prefix="fields", server_every=2, fields=True),
            ],
        }


def dump(cases: list[Json]) -> str:
    """Return cases as the checked-in JSON text: one case a line, keys sorted, one form."""
    lines = (
        json.dumps(case, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for case in cases
    )
    return "[\n" + ",\n".join(lines) + "\n]\n"


def write_goldens(directory: Path = GOLDEN_DIR) -> list[Path]:
    """Write the golden files; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, cases in golden_files().items():
        path = directory / name
        path.write_text(dump(cases), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_goldens():
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)  # noqa: T201
    sys.exit(0)
