"""One 9-line for several casualties at one pickup point (issue 13, item 12).

Line 3 counts the selected casualties by precedence and line 5 by litter or seat, with the rules
used for one: each casualty's own request (precedence, litter or seat) is honoured, the dead are
not counted, a casualty without a precedence counts as routine (D).
"""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EvacuationRequested,
    InjuryRecorded,
    OutcomeRecorded,
    TourniquetApplied,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    EvacuationPosition,
    InjuryKind,
    Limb,
    Outcome,
    PersonStatus,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.from_card import (
    most_urgent,
    nine_line_from_cards,
    patient_counts,
)
from goldenhour.domain.medevac.nine_line import Nationality
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.domain.triage.categories import Precedence

from builders import make

PICKUP = Position(lat=48.9172, lon=38.2297)
REQUEST = uuid4()

LYING = make(VitalsRecorded, minute=1, walking=False, breathing=True, respiratory_rate=18,
             radial_pulse=True, capillary_refill_s=1.0, follows_commands=True)  # fmt: skip
WALKING = make(VitalsRecorded, minute=1, walking=True)
THIGH = make(
    InjuryRecorded, minute=1, region=BodyRegion.THIGH, kinds=frozenset({InjuryKind.FRAGMENT})
)
TOURNIQUET = make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG)
KILLED = make(OutcomeRecorded, minute=30, outcome=Outcome.KILLED_IN_ACTION)


def casualty(
    *events: CasualtyEvent, status: PersonStatus | None = PersonStatus.OWN_MILITARY
) -> Card:
    casualty_id = uuid4()
    registered = make(CasualtyRegistered, casualty_id=casualty_id, identity=Identity(status=status))
    return fold(casualty_id, [registered, *(replace(e, casualty_id=casualty_id) for e in events)])


def requested(precedence: Precedence, position: EvacuationPosition) -> EvacuationRequested:
    """The casualty's part of the shared request, with its own precedence and position."""
    return make(  # type: ignore[no-any-return]
        EvacuationRequested, minute=20, request_id=REQUEST, precedence=precedence,
        position=position,
    )  # fmt: skip


def nine_line(*cards: Card):  # type: ignore[no-untyped-def]
    return nine_line_from_cards(list(cards), pickup=PICKUP, frequency="38.9", call_sign="KALYNA 21")


def test_mixed_precedences_of_one_request_are_counted_on_line_3_and_5() -> None:
    cards = [
        casualty(LYING, requested(Precedence.URGENT, EvacuationPosition.LITTER)),
        casualty(LYING, requested(Precedence.URGENT, EvacuationPosition.SEATED)),
        casualty(WALKING, requested(Precedence.URGENT_SURGICAL, EvacuationPosition.LITTER)),
        casualty(LYING, requested(Precedence.PRIORITY, EvacuationPosition.SEATED)),
        casualty(WALKING, requested(Precedence.CONVENIENCE, EvacuationPosition.SEATED)),
    ]
    request = nine_line(*cards)
    assert dict(request.patients_by_precedence) == {
        Precedence.URGENT: 2,
        Precedence.URGENT_SURGICAL: 1,
        Precedence.PRIORITY: 1,
        Precedence.ROUTINE: 0,
        Precedence.CONVENIENCE: 1,
    }
    # The request's own choice of litter or seat wins over whether the casualty walked.
    assert (request.litter, request.ambulatory) == (2, 3)
    text = encode_nine_line(request)
    assert "LINE 3: A2 B1 C1 D0 E1" in text
    assert "LINE 5: L2 A3" in text


def test_a_casualty_without_a_precedence_counts_as_routine() -> None:
    request = nine_line(casualty(), casualty(LYING, THIGH, TOURNIQUET))
    assert request.patients_by_precedence[Precedence.ROUTINE] == 1
    assert request.total_patients == 2


def test_a_casualty_who_died_after_the_request_is_not_counted() -> None:
    dead = casualty(LYING, requested(Precedence.URGENT, EvacuationPosition.LITTER), KILLED)
    alive = casualty(LYING, requested(Precedence.PRIORITY, EvacuationPosition.LITTER))
    counts = patient_counts([dead, alive])
    assert counts.counted == (alive.casualty_id,)
    assert counts.not_counted == (dead.casualty_id,)
    request = nine_line(dead, alive)
    assert request.patients_by_precedence[Precedence.URGENT] == 0
    assert (request.total_patients, request.litter, request.ambulatory) == (1, 1, 0)


def test_line_8_combines_every_counted_casualty_s_status() -> None:
    request = nine_line(
        casualty(LYING),
        casualty(WALKING, status=PersonStatus.OWN_CIVILIAN),
        casualty(LYING, status=PersonStatus.EPW),
        casualty(LYING, KILLED, status=None),  # dead: neither counted nor asked for a status
    )
    assert request.patients_by_nationality is not None
    assert dict(request.patients_by_nationality) == {
        Nationality.OWN_MILITARY: 1,
        Nationality.OWN_CIVILIAN: 1,
        Nationality.OTHER_MILITARY: 0,
        Nationality.OTHER_CIVILIAN: 0,
        Nationality.EPW: 1,
    }


def test_the_most_urgent_precedence_names_the_request() -> None:
    counts = patient_counts(
        [
            casualty(LYING, requested(Precedence.PRIORITY, EvacuationPosition.LITTER)),
            casualty(LYING, requested(Precedence.URGENT_SURGICAL, EvacuationPosition.LITTER)),
        ]
    )
    assert most_urgent(counts) is Precedence.URGENT_SURGICAL
    assert most_urgent(patient_counts([casualty(KILLED)])) is None


# One selected casualty as the medic's phone may hold it: dead or not, requested or not.
_casualty_parts = st.fixed_dictionaries(
    {
        "walking": st.sampled_from([LYING, WALKING, None]),
        "tourniquet": st.booleans(),
        "request": st.none()
        | st.tuples(st.sampled_from(list(Precedence)), st.sampled_from(list(EvacuationPosition))),
        "dead": st.booleans(),
        "status": st.none() | st.sampled_from(list(PersonStatus)),
    }
)


def _card(parts: dict[str, object]) -> Card:
    events: list[CasualtyEvent] = []
    if isinstance(parts["walking"], VitalsRecorded):
        events.append(parts["walking"])
    if parts["tourniquet"]:
        events.append(TOURNIQUET)
    if isinstance(parts["request"], tuple):
        events.append(requested(*parts["request"]))
    if parts["dead"]:
        events.append(KILLED)
    status = parts["status"]
    return casualty(*events, status=status if isinstance(status, PersonStatus) else None)


@given(st.lists(_casualty_parts, min_size=1, max_size=12))
def test_the_counts_add_up_to_the_selected_live_casualties(
    selection: list[dict[str, object]],
) -> None:
    cards = [_card(parts) for parts in selection]
    live = [
        card.casualty_id for card, parts in zip(cards, selection, strict=True) if not parts["dead"]
    ]
    counts = patient_counts(cards)
    assert counts.counted == tuple(live)
    assert sum(counts.by_precedence.values()) == len(live)
    assert counts.litter + counts.ambulatory == len(live)
    assert set(counts.counted) | set(counts.not_counted) == {c.casualty_id for c in cards}
    if live:
        request = nine_line(*cards)
        assert request.total_patients == request.litter + request.ambulatory == len(live)
        if request.patients_by_nationality is not None:
            assert sum(request.patients_by_nationality.values()) == len(live)
        assert most_urgent(counts) is min(
            (p for p, n in counts.by_precedence.items() if n), key=list(Precedence).index
        )
