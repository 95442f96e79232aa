"""A request for several casualties at one point, drawn for ATAK (issue 13, item 12).

The marker carries the request's 9-line with line 3 and line 5 counting every casualty, and
one ZMIST card for each; read back by ATAK's side (the CoT codec), the counts are the same.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

from goldenhour.adapters.cot import decode_cot, encode_cot
from goldenhour.bridges.tak.outbound import request_marker, request_zmist
from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EvacuationRequested,
    TourniquetApplied,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import EvacuationPosition, Limb
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.from_card import most_urgent, nine_line_from_cards, patient_counts
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.operations.state import fold_stream
from goldenhour.domain.triage.categories import Precedence

from builders import make

PICKUP = Position(lat=48.9172, lon=38.2297)
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _card(request: object, precedence: Precedence, *events: CasualtyEvent) -> Card:
    casualty = uuid4()
    history = [
        make(CasualtyRegistered, casualty_id=casualty,
             identity=Identity(callsign=f"K{casualty.hex[:3]}")),
        *(replace(e, casualty_id=casualty) for e in events),
        make(EvacuationRequested, minute=20, casualty_id=casualty, request_id=request,
             precedence=precedence, position=EvacuationPosition.LITTER),
    ]  # fmt: skip
    return fold(casualty, history)


def test_a_marker_for_three_casualties_counts_them_all_and_carries_a_zmist_each() -> None:
    request = uuid4()
    cards = [
        _card(request, Precedence.URGENT, make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG)),
        _card(request, Precedence.PRIORITY, make(VitalsRecorded, minute=3, pulse=110)),
        _card(request, Precedence.PRIORITY),
    ]
    nine = nine_line_from_cards(cards, pickup=PICKUP, frequency="38.9", call_sign="KALYNA 21")
    precedence = most_urgent(patient_counts(cards))
    assert precedence is Precedence.URGENT
    filed = EvacuationRequestFiled(
        event_id=uuid4(), occurred_at=NOW, recorded_at=NOW, author="medic", device="phone-1",
        request_id=request, unit_id=uuid4(),
        casualty_ids=tuple(c.casualty_id for c in cards), pickup=PICKUP, precedence=precedence,
        nine_line=encode_nine_line(nine),
    )  # fmt: skip
    state = fold_stream([filed])
    mists = tuple(
        mist
        for number, card in enumerate(cards, start=1)
        if (mist := request_zmist(card, number=number, now=NOW)) is not None
    )
    marker = request_marker(state, uid="GH.request.x", mists=mists, now=NOW)
    assert marker is not None
    assert "3 casualties" in marker.remarks

    read = decode_cot(encode_cot(marker)).meaning
    assert read.nine_line is not None
    counts = read.nine_line.patients_by_precedence
    assert (counts[Precedence.URGENT], counts[Precedence.PRIORITY]) == (1, 2)
    assert (read.nine_line.litter, read.nine_line.ambulatory) == (3, 0)
    assert [m.mist.zap for m in read.mists] == [m.mist.zap for m in mists]
    assert len(read.mists) == 3
