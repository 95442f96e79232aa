"""The history stores each event once, refuses contradictions, and loses nothing it accepted."""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

import pytest

from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    DiagnosisRecorded,
    EntryRetracted,
    IdentityRecorded,
    NoteAdded,
    TourniquetApplied,
    TourniquetConverted,
    TourniquetRemoved,
    VitalsRecorded,
)
from goldenhour.domain.casualty.history import AppendOutcome, CasualtyHistory
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import CbrnAgent, LesionType, Limb
from goldenhour.domain.errors import EventConflictError, InvalidEventError

from builders import CASUALTY, at, make


@pytest.fixture
def history() -> CasualtyHistory:
    return CasualtyHistory(CASUALTY, [make(CasualtyRegistered, identity=Identity(name_last="P"))])


def test_a_resubmitted_event_is_a_duplicate_and_stored_once(history: CasualtyHistory) -> None:
    note = make(NoteAdded, minute=1, text="guarded pickup")
    assert history.append(note) is AppendOutcome.ACCEPTED
    assert history.append(replace(note, received_at=at(2))) is AppendOutcome.DUPLICATE
    assert len(history) == 2


def test_the_same_id_with_other_content_is_a_conflict_and_the_stored_event_stays(
    history: CasualtyHistory,
) -> None:
    note = make(NoteAdded, minute=1, text="first")
    history.append(note)
    with pytest.raises(EventConflictError) as raised:
        history.append(replace(note, text="second"))
    assert raised.value.event_id == str(note.event_id)
    assert history.get(note.event_id) == note


def test_a_tourniquet_removed_before_it_was_applied_is_refused(history: CasualtyHistory) -> None:
    applied = make(TourniquetApplied, minute=10, limb=Limb.LEFT_LEG)
    history.append(applied)
    with pytest.raises(InvalidEventError) as raised:
        history.append(make(TourniquetRemoved, minute=5, application_id=applied.event_id))
    assert raised.value.field == "occurred_at"
    assert "removed at 2022-06-14T12:35:00+00:00 before it was applied" in str(raised.value)
    assert len(history) == 2


def test_a_correction_moving_an_application_after_its_removal_is_refused(
    history: CasualtyHistory,
) -> None:
    applied = make(TourniquetApplied, minute=10, limb=Limb.LEFT_LEG)
    history.append(applied)
    history.append(make(TourniquetRemoved, minute=50, application_id=applied.event_id))
    moved = make(TourniquetApplied, minute=60, limb=Limb.LEFT_LEG, supersedes=applied.event_id)
    with pytest.raises(InvalidEventError, match="before it was applied"):
        history.append(moved)


def test_removing_an_unknown_tourniquet_is_refused(history: CasualtyHistory) -> None:
    with pytest.raises(InvalidEventError) as raised:
        history.append(make(TourniquetRemoved, minute=5, application_id=uuid4()))
    assert raised.value.field == "application_id"


def test_a_correction_must_name_an_event_of_its_own_kind(history: CasualtyHistory) -> None:
    note = make(NoteAdded, minute=1, text="x")
    history.append(note)
    with pytest.raises(InvalidEventError) as raised:
        history.append(make(VitalsRecorded, minute=2, pulse=80, supersedes=note.event_id))
    assert raised.value.field == "supersedes"
    with pytest.raises(InvalidEventError, match="no event"):
        history.append(make(NoteAdded, minute=2, text="y", supersedes=uuid4()))


def test_an_event_of_another_casualty_is_refused(history: CasualtyHistory) -> None:
    with pytest.raises(InvalidEventError) as raised:
        history.append(make(NoteAdded, text="x", casualty_id=uuid4()))
    assert raised.value.field == "casualty_id"


def test_an_event_dated_in_the_future_is_refused_when_a_clock_is_given(
    history: CasualtyHistory,
) -> None:
    with pytest.raises(InvalidEventError) as raised:
        history.append(make(NoteAdded, minute=30, text="x"), now=at(0))
    assert raised.value.field == "occurred_at"


def test_a_correction_replaces_the_value_and_keeps_the_original_in_the_history(
    history: CasualtyHistory,
) -> None:
    wrong = make(VitalsRecorded, minute=5, pulse=180)
    history.append(wrong)
    history.append(make(VitalsRecorded, minute=5, pulse=118, supersedes=wrong.event_id))
    assert [v.pulse for v in history.card().vitals] == [118]
    assert history.get(wrong.event_id) == wrong


def test_retracting_a_correction_restores_what_it_corrected(history: CasualtyHistory) -> None:
    original = make(NoteAdded, minute=1, text="original")
    correction = make(NoteAdded, minute=2, text="corrected", supersedes=original.event_id)
    history.append(original)
    history.append(correction)
    assert [n.text for n in history.card().notes] == ["corrected"]
    history.append(make(EntryRetracted, minute=3, target=correction.event_id, reason="wrong card"))
    assert [n.text for n in history.card().notes] == ["original"]


def test_a_removal_of_a_corrected_application_ends_the_corrected_tourniquet(
    history: CasualtyHistory,
) -> None:
    applied = make(TourniquetApplied, minute=10, limb=Limb.LEFT_LEG)
    history.append(applied)
    history.append(make(TourniquetRemoved, minute=70, application_id=applied.event_id))
    corrected = make(TourniquetApplied, minute=8, limb=Limb.LEFT_LEG, location="above the knee",
                     supersedes=applied.event_id)  # fmt: skip
    history.append(corrected)
    (record,) = history.card().tourniquets
    assert (record.application_id, record.applied_at, record.removed_at) == (
        corrected.event_id, at(8), at(70),
    )  # fmt: skip


def test_conversion_and_removal_both_end_the_clock_at_the_earlier_time(
    history: CasualtyHistory,
) -> None:
    applied = make(TourniquetApplied, minute=0, limb=Limb.RIGHT_ARM)
    history.append(applied)
    history.append(make(TourniquetConverted, minute=40, application_id=applied.event_id))
    history.append(make(TourniquetRemoved, minute=90, application_id=applied.event_id))
    (record,) = history.card().tourniquets
    assert record.ended_at == at(40)


def test_identity_fields_given_later_fill_in_the_card(history: CasualtyHistory) -> None:
    history.append(make(IdentityRecorded, minute=30, identity=Identity(name_first="Andrii")))
    identity = history.card().identity
    assert (identity.name_last, identity.name_first) == ("P", "Andrii")


def test_the_physician_s_form_100_entry_sets_the_issuer_and_cbrn_agents(
    history: CasualtyHistory,
) -> None:
    history.append(
        make(
            DiagnosisRecorded,
            minute=60,
            diagnosis="organophosphate poisoning",
            issued_by="battalion aid post",
            lesion_types=frozenset({LesionType.CHEMICAL}),
            cbrn_agents=frozenset({CbrnAgent.NERVE_AGENT}),
        )  # fmt: skip
    )
    card = history.card()
    assert card.issued_by == "battalion aid post"
    assert card.lesion_types == frozenset({LesionType.CHEMICAL})
    assert card.diagnosis is not None
    assert card.diagnosis.cbrn_agents == frozenset({CbrnAgent.NERVE_AGENT})


def test_a_correction_of_a_correction_keeps_the_original_voided(history: CasualtyHistory) -> None:
    first = make(VitalsRecorded, minute=5, pulse=118, capillary_refill_s=3.0)
    second = make(VitalsRecorded, minute=5, pulse=118, supersedes=first.event_id)
    third = make(VitalsRecorded, minute=5, pulse=120, supersedes=second.event_id)
    for event in (first, second, third):
        history.append(event)
    vitals = history.card().vitals
    assert [(v.pulse, v.capillary_refill_s) for v in vitals] == [(120, None)]


def test_retracting_the_last_of_two_corrections_restores_the_middle_one(
    history: CasualtyHistory,
) -> None:
    first = make(NoteAdded, minute=1, text="first")
    second = make(NoteAdded, minute=2, text="second", supersedes=first.event_id)
    third = make(NoteAdded, minute=3, text="third", supersedes=second.event_id)
    for event in (first, second, third):
        history.append(event)
    history.append(make(EntryRetracted, minute=4, target=third.event_id, reason="typo"))
    assert [n.text for n in history.card().notes] == ["second"]


def test_a_removal_naming_a_twice_corrected_application_ends_the_latest_correction(
    history: CasualtyHistory,
) -> None:
    applied = make(TourniquetApplied, minute=10, limb=Limb.LEFT_LEG)
    history.append(applied)
    history.append(make(TourniquetRemoved, minute=70, application_id=applied.event_id))
    once = make(TourniquetApplied, minute=9, limb=Limb.LEFT_LEG, supersedes=applied.event_id)
    twice = make(TourniquetApplied, minute=8, limb=Limb.LEFT_LEG, supersedes=once.event_id)
    history.append(once)
    history.append(twice)
    (record,) = history.card().tourniquets
    assert (record.application_id, record.applied_at, record.removed_at) == (
        twice.event_id, at(8), at(70),
    )  # fmt: skip


def test_a_retracted_retraction_of_a_correction_keeps_the_correction(
    history: CasualtyHistory,
) -> None:
    original = make(NoteAdded, minute=1, text="original")
    correction = make(NoteAdded, minute=2, text="corrected", supersedes=original.event_id)
    retraction = make(EntryRetracted, minute=3, target=correction.event_id, reason="x")
    for event in (original, correction, retraction):
        history.append(event)
    history.append(make(EntryRetracted, minute=4, target=retraction.event_id, reason="y"))
    assert [n.text for n in history.card().notes] == ["corrected"]
