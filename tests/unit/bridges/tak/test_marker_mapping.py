"""How an ATAK MEDEVAC marker maps to Golden Hour events, without any server.

What Golden Hour already holds comes from a ``Mirror`` fed the events the mapping made, as
the bridge's view of the log would be after they were stored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID, uuid4

from goldenhour.adapters.cot import CotEvent, CotPoint, MedevacMarker, decode_cot
from goldenhour.bridges.tak.inbound import (
    Envelope,
    casualty_id_for,
    marker_events,
    request_id_for,
)
from goldenhour.bridges.tak.mirror import Mirror
from goldenhour.domain.casualty.events import EvacuationRequested, NoteAdded
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import EvacuationRequestFiled, RequestRedirected
from goldenhour.domain.triage.categories import Precedence

from cot_samples import MINIMAL_MARKER, NINE_LINE_ZMIST, moved

DEVICE = "tak-bridge"
ENVELOPE = Envelope(
    author="BEREG3",
    device=DEVICE,
    unit_id=UUID("00000000-0000-4000-8000-000000000001"),
    now=datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
)


def _marker() -> CotEvent:
    return decode_cot(NINE_LINE_ZMIST.read_bytes())


def _map(
    marker: CotEvent, mirror: Mirror, *, previous: Position | None = None
) -> list[DomainEvent]:
    return marker_events(
        marker,
        envelope=ENVELOPE,
        request=mirror.request_known(request_id_for(marker.uid)),
        casualties=lambda casualty: mirror.casualty_known(casualty, device=DEVICE),
        previous_point=previous,
    )


def _stored(mirror: Mirror, events: list[DomainEvent]) -> None:
    page = [
        {"stream": e.stream, "stream_id": str(e.stream_id), "event": encode_event(e)}
        for e in events
    ]
    mirror.apply(page, next_cursor=mirror.cursor + len(page), device=DEVICE)


class TestFirstSight:
    def test_the_nine_line_marker_opens_one_card_per_patient_and_files_the_request(self) -> None:
        """Three patients on line 3 give three casualties, a request and what the cards say."""
        events = _map(_marker(), Mirror())

        kinds = Counter(event.kind for event in events)
        assert kinds == {
            "casualty_registered": 3, "note_added": 3, "evacuation_requested": 3,
            "vitals_recorded": 2, "treatment_given": 2, "evacuation_request_filed": 1,
        }  # fmt: skip
        (filed,) = [e for e in events if isinstance(e, EvacuationRequestFiled)]
        assert filed.request_id == request_id_for(_marker().uid)
        assert filed.precedence is Precedence.URGENT
        assert filed.unit_id == ENVELOPE.unit_id
        assert events[-1] is filed  # the casualties it names come first in the batch

    def test_precedences_go_to_the_cards_in_title_order_most_urgent_first(self) -> None:
        """Line 3 A2 C1: ZMIST1 and ZMIST2 are urgent, the placeholder for the third priority."""
        uid = _marker().uid
        events = _map(_marker(), Mirror())

        given = {e.casualty_id: e.precedence for e in events if isinstance(e, EvacuationRequested)}
        assert given[casualty_id_for(uid, "zmist/ua-4821")] is Precedence.URGENT
        assert given[casualty_id_for(uid, "zmist/ua-5310")] is Precedence.URGENT
        assert given[casualty_id_for(uid, "patient/3")] is Precedence.PRIORITY

    def test_a_marker_without_a_nine_line_opens_one_card_and_files_nothing(self) -> None:
        """ATAK's empty casualty marker is a casualty, not a request."""
        events = _map(decode_cot(MINIMAL_MARKER.read_bytes()), Mirror())

        assert [e.kind for e in events] == ["casualty_registered", "note_added"]


class TestUpdates:
    def test_the_same_marker_again_asks_for_nothing(self) -> None:
        """Everything the marker says is held already: no event at all."""
        mirror = Mirror()
        _stored(mirror, _map(_marker(), mirror))

        assert _map(replace(_marker(), time=ENVELOPE.now), mirror) == []

    def test_a_moved_marker_redirects_the_request_and_nothing_else(self) -> None:
        """A new point alone is a ``request_redirected`` to it."""
        mirror = Mirror()
        _stored(mirror, _map(_marker(), mirror))
        data = NINE_LINE_ZMIST.read_bytes()

        events = _map(decode_cot(moved(data, north_m=200.0)), mirror)

        (redirect,) = events
        assert isinstance(redirect, RequestRedirected)
        assert redirect.pickup.lat > _marker().point.lat

    def test_the_bridges_own_redraw_of_a_golden_hour_redirect_writes_nothing(self) -> None:
        """taky replays the marker the bridge moved for Golden Hour: already where it should be."""
        mirror = Mirror()
        first = _map(_marker(), mirror)
        _stored(mirror, first)
        (filed,) = [e for e in first if isinstance(e, EvacuationRequestFiled)]
        there = Position(lat=48.94, lon=38.25)
        _stored(
            mirror,
            [
                RequestRedirected(
                    event_id=uuid4(), occurred_at=ENVELOPE.now, recorded_at=ENVELOPE.now,
                    author="coordinator", device="laptop", request_id=filed.request_id,
                    pickup=there,
                )
            ],
        )  # fmt: skip
        redrawn = replace(_marker(), point=CotPoint(lat=there.lat, lon=there.lon))
        original = _marker().point

        assert _map(redrawn, mirror, previous=Position(lat=original.lat, lon=original.lon)) == []

    def test_a_changed_zmist_supersedes_its_note(self) -> None:
        """New ZMIST text is a new note that replaces the bridge's earlier one."""
        mirror = Mirror()
        first = _map(_marker(), mirror)
        _stored(mirror, first)
        marker = _marker()
        assert isinstance(marker.meaning, MedevacMarker)
        cards = tuple(
            replace(card, mist=replace(card.mist, injuries=("left leg amputation",)))
            if card.title == "ZMIST1"
            else card
            for card in marker.meaning.mists
        )
        changed = replace(marker, meaning=replace(marker.meaning, mists=cards))

        (note,) = _map(changed, mirror)

        assert isinstance(note, NoteAdded)
        assert "I: left leg amputation" in note.text
        earlier = [
            e for e in first if isinstance(e, NoteAdded) and e.casualty_id == note.casualty_id
        ]
        assert note.supersedes == earlier[0].event_id

    def test_a_changed_line_3_files_the_request_again_superseding_it(self) -> None:
        """Fewer patients: a new filing replaces the old, naming fewer casualties."""
        mirror = Mirror()
        first = _map(_marker(), mirror)
        _stored(mirror, first)
        marker = _marker()
        assert isinstance(marker.meaning, MedevacMarker) and marker.meaning.nine_line is not None
        nine = marker.meaning.nine_line
        fewer = replace(
            nine,
            patients_by_precedence={**nine.patients_by_precedence, Precedence.PRIORITY: 0},
            check_totals=False,
        )
        changed = replace(marker, meaning=replace(marker.meaning, nine_line=fewer))

        refiled = [e for e in _map(changed, mirror) if isinstance(e, EvacuationRequestFiled)]

        (old,) = [e for e in first if isinstance(e, EvacuationRequestFiled)]
        assert [(e.supersedes, len(e.casualty_ids)) for e in refiled] == [(old.event_id, 2)]


def test_a_zmist_card_keeps_its_mist_text() -> None:
    """The note holds the card as Golden Hour writes a MIST (``MIST Z: ...``)."""
    events = _map(_marker(), Mirror())
    notes = [e.text for e in events if isinstance(e, NoteAdded) and "ZMIST" in e.text]
    assert any("MIST Z: UA-4821\nM: Artillery frag" in text for text in notes)
