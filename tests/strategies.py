"""Hypothesis strategies: valid casualty histories, built step by step as devices write them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EntryRetracted,
    IdentityRecorded,
    InjuryRecorded,
    NoteAdded,
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
    InjuryKind,
    Intervention,
    Limb,
    Mechanism,
)
from goldenhour.domain.triage.categories import NatoCategory, TriageSystem

from builders import CASUALTY, at

_STEPS = (
    "identity", "injury", "tourniquet", "tourniquet_end", "vitals", "treatment", "triage",
    "note", "correction", "retraction",
)  # fmt: skip


def _envelope(draw: st.DrawFn, minute: int) -> dict[str, Any]:
    return {
        "event_id": draw(st.uuids(version=4)),
        "casualty_id": CASUALTY,
        "occurred_at": at(minute),
        "recorded_at": at(minute + draw(st.integers(0, 3))),
        "author": draw(st.sampled_from(["medic", "medic-2", "coordinator"])),
        "device": draw(st.sampled_from(["phone-1", "phone-2", "laptop"])),
    }


def _vitals(draw: st.DrawFn, minute: int) -> VitalsRecorded:
    return VitalsRecorded(
        **_envelope(draw, minute),
        pulse=draw(st.none() | st.integers(0, 300)),
        respiratory_rate=draw(st.integers(0, 80)),
        spo2=draw(st.none() | st.integers(50, 100)),
        avpu=draw(st.none() | st.sampled_from(Avpu)),
        walking=draw(st.none() | st.booleans()),
        breathing=draw(st.none() | st.booleans()),
        radial_pulse=draw(st.none() | st.booleans()),
    )


@st.composite
def histories(draw: st.DrawFn, max_steps: int = 14) -> list[CasualtyEvent]:
    """Draw a valid history: references point back, removals follow their applications."""
    # Small minute range on purpose: many events share a time, exercising the tie-breaks.
    minute = st.integers(0, 20)
    events: list[CasualtyEvent] = [
        CasualtyRegistered(**_envelope(draw, 0), identity=Identity(name_last="Petrenko"))
    ]
    applied: list[TourniquetApplied] = []
    for step in draw(st.lists(st.sampled_from(_STEPS), max_size=max_steps)):
        when = draw(minute)
        if step == "identity":
            name = draw(st.sampled_from(["Andrii", "Mykola", "Leto"]))
            events.append(
                IdentityRecorded(**_envelope(draw, when), identity=Identity(name_first=name))
            )
        elif step == "injury":
            events.append(
                InjuryRecorded(
                    **_envelope(draw, when),
                    region=draw(st.sampled_from(BodyRegion)),
                    kinds=draw(st.frozensets(st.sampled_from(InjuryKind), max_size=2)),
                    mechanisms=draw(st.frozensets(st.sampled_from(Mechanism), max_size=2)),
                )
            )
        elif step == "tourniquet":
            application = TourniquetApplied(
                **_envelope(draw, when), limb=draw(st.sampled_from(Limb))
            )
            applied.append(application)
            events.append(application)
        elif step == "tourniquet_end" and applied:
            target = draw(st.sampled_from(applied))
            end_minute = int((target.occurred_at - at(0)).total_seconds() // 60) + draw(minute)
            cls = draw(st.sampled_from([TourniquetRemoved, TourniquetConverted]))
            events.append(cls(**_envelope(draw, end_minute), application_id=target.event_id))
        elif step == "vitals":
            events.append(_vitals(draw, when))
        elif step == "treatment":
            events.append(
                TreatmentGiven(
                    **_envelope(draw, when), intervention=draw(st.sampled_from(Intervention))
                )
            )
        elif step == "triage":
            events.append(
                TriageAssessed(
                    **_envelope(draw, when),
                    system=TriageSystem.NATO,
                    category=draw(st.sampled_from(NatoCategory)),
                )
            )
        elif step == "note":
            events.append(
                NoteAdded(**_envelope(draw, when), text=draw(st.sampled_from(["a", "b"])))
            )
        elif step == "correction":
            correctable = [e for e in events if isinstance(e, NoteAdded | VitalsRecorded)]
            if correctable:
                original = draw(st.sampled_from(correctable))
                fresh = _envelope(draw, when)
                corrected = replace(original, **fresh, supersedes=original.event_id)
                events.append(corrected)
        elif step == "retraction" and len(events) > 1:
            target_id: UUID = draw(st.sampled_from([e.event_id for e in events[1:]]))
            events.append(EntryRetracted(**_envelope(draw, when), target=target_id, reason="error"))
    return events
