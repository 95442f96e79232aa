"""Hypothesis strategies for printed cards: crowded, long and multilingual casualty histories.

They start from ``strategies.histories`` (tourniquets on and off, injuries, vitals, corrections,
retractions) and add what crowds a printed card: more tourniquets with long locations, injuries
with descriptions, drugs, fluids, vitals, long notes, a long diagnosis with Form 100's strips,
and names in Latin and Cyrillic, with now and then a character the card's font lacks.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    DiagnosisRecorded,
    FluidGiven,
    IdentityRecorded,
    InjuryRecorded,
    MedicationGiven,
    NoteAdded,
    TourniquetApplied,
    TourniquetRemoved,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    DrugClass,
    FluidKind,
    Laterality,
    Limb,
    Route,
    SignalStrip,
)

from builders import make
from strategies import histories

#: Words a medic writes, in both languages, one longer than any column, and characters the
#: card's font (DejaVu Sans) has no glyph for: U+1D11E MUSICAL SYMBOL G CLEF and U+1F9E0 BRAIN.
WORDS = (
    "fragment", "wound", "left", "thigh", "bleeding", "controlled", "осколкове", "поранення",
    "стегна", "Ґудзь", "Їжак", "Євген", "кровотеча", "зупинена", "CAT", "SOFTT-W", "1234Z",
    "№", "—", "\U0001d11e", "\U0001f9e0", "Надзвичайнодовгеслово" * 4, "x",
)  # fmt: skip


def phrases(*, max_words: int, words: tuple[str, ...] = WORDS) -> st.SearchStrategy[str]:
    """Draw a phrase of up to ``max_words`` words from ``words``."""
    return st.lists(st.sampled_from(words), min_size=1, max_size=max_words).map(" ".join)


def _at(draw: st.DrawFn, *, low: int = 0, high: int = 60) -> dict[str, Any]:
    return {"minute": draw(st.integers(low, high)), "event_id": draw(st.uuids(version=4))}


def _identity(draw: st.DrawFn) -> IdentityRecorded:
    identity = Identity(
        name_last=draw(st.none() | phrases(max_words=6)),
        name_first=draw(st.none() | phrases(max_words=3)),
        callsign=draw(st.none() | phrases(max_words=2)),
        unit=draw(st.none() | phrases(max_words=12)),
        allergies=draw(st.none() | phrases(max_words=12)),
        battle_roster=draw(st.none() | st.sampled_from(["AP4821", "Ґ1234"])),
    )
    return make(IdentityRecorded, identity=identity, **_at(draw, high=5))


def _tourniquets(draw: st.DrawFn) -> list[CasualtyEvent]:
    events: list[CasualtyEvent] = []
    for _ in range(draw(st.integers(0, 7))):
        applied = make(
            TourniquetApplied, limb=draw(st.sampled_from(Limb)),
            location=draw(st.none() | phrases(max_words=4)),
            tourniquet_type=draw(st.none() | st.sampled_from(["CAT", "SOFTT-W", "Січ"])),
            **_at(draw),
        )  # fmt: skip
        events.append(applied)
        if draw(st.booleans()):
            minute = draw(st.integers(61, 80))
            removed_id = draw(st.uuids(version=4))
            events.append(
                make(
                    TourniquetRemoved,
                    application_id=applied.event_id,
                    minute=minute,
                    event_id=removed_id,
                )  # fmt: skip
            )
    return events


def _injuries(draw: st.DrawFn) -> list[CasualtyEvent]:
    # Short words: the QR code's MIST lists every injury, and must leave room for the front.
    return [
        make(
            InjuryRecorded,
            region=draw(st.sampled_from(BodyRegion)),
            laterality=draw(st.none() | st.sampled_from(Laterality)),
            description=draw(st.none() | phrases(max_words=5, words=WORDS[:-2])),
            mechanism_other=draw(st.none() | phrases(max_words=3)),
            **_at(draw),
        )  # fmt: skip
        for _ in range(draw(st.integers(0, 9)))
    ]


def _drugs_and_fluids(draw: st.DrawFn) -> list[CasualtyEvent]:
    events: list[CasualtyEvent] = [
        make(
            MedicationGiven,
            drug_class=draw(st.sampled_from(DrugClass)),
            name=draw(phrases(max_words=3)),
            dose=draw(st.sampled_from([1.0, 50.0, 2000.0])),
            dose_unit="mg",
            route=draw(st.sampled_from([Route.IV, Route.IM, Route.PO])),
            **_at(draw),
        )  # fmt: skip
        for _ in range(draw(st.integers(0, 8)))
    ]
    events += [
        make(
            FluidGiven,
            fluid_kind=draw(st.sampled_from(FluidKind)),
            name=draw(phrases(max_words=3)),
            volume_ml=500.0,
            route=Route.IV,
            **_at(draw),
        )  # fmt: skip
        for _ in range(draw(st.integers(0, 4)))
    ]
    return events


def _record(draw: st.DrawFn) -> list[CasualtyEvent]:
    events: list[CasualtyEvent] = [
        make(
            VitalsRecorded,
            pulse=draw(st.integers(0, 200)),
            respiratory_rate=draw(st.integers(0, 60)),
            gcs=draw(st.none() | st.integers(3, 15)),
            **_at(draw),
        )  # fmt: skip
        for _ in range(draw(st.integers(0, 8)))
    ]
    events += [
        make(NoteAdded, text=draw(phrases(max_words=80)), **_at(draw))
        for _ in range(draw(st.integers(0, 6)))
    ]
    if draw(st.booleans()):
        events.append(
            make(
                DiagnosisRecorded,
                diagnosis=draw(phrases(max_words=60)),
                signal_strips=draw(st.frozensets(st.sampled_from(SignalStrip))),
                **_at(draw),
            )  # fmt: skip
        )
    return events


@st.composite
def printed_card_histories(draw: st.DrawFn) -> list[CasualtyEvent]:
    """Draw a valid history that crowds a printed card in every way it can be crowded."""
    events = draw(histories(max_steps=10))
    events.append(_identity(draw))
    events += _tourniquets(draw)
    events += _injuries(draw)
    events += _drugs_and_fluids(draw)
    events += _record(draw)
    return events
