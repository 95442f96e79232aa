"""Gathering the live plan's situation: dispatchers only, audited, the waiting casualties' stored
facts in one read and no history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from goldenhour.adapters.memory import InMemoryAudits, InMemoryEventLog, InMemoryRecords
from goldenhour.domain.access import Principal
from goldenhour.domain.casualty.events import CasualtyRegistered, HandedOver, NoteAdded
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.medevac.waiting import WaitingCasualty
from goldenhour.services.plan import NotADispatcher, current_plan, live_situation
from goldenhour.services.sync import submit_events
from world import World

from builders import make

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)


class CountingRecords(InMemoryRecords):
    """The in-memory reads, counting how the casualties are read."""

    def __init__(self, log: InMemoryEventLog) -> None:
        super().__init__(log)
        self.history_reads = 0
        self.waiting_reads = 0

    def stream_events(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Count a read of one stream's history."""
        self.history_reads += 1
        return super().stream_events(stream, stream_id)

    def streams_events(
        self, stream: str, stream_ids: Sequence[UUID]
    ) -> dict[UUID, list[DomainEvent]]:
        """Count a batched read of histories."""
        self.history_reads += 1
        return super().streams_events(stream, stream_ids)

    def waiting_casualties(self, principal: Principal, *, limit: int) -> list[WaitingCasualty]:
        """Count a read of the waiting casualties' stored facts."""
        self.waiting_reads += 1
        return super().waiting_casualties(principal, limit=limit)


def _plan_reads(audits: InMemoryAudits) -> list[tuple[str, str, str]]:
    return [
        (row["username"], row["action"], row["target_id"])
        for row in audits.entries()
        if "plan" in row["action"]
    ]


def test_only_dispatchers_get_the_situation_and_a_refusal_is_audited(
    log: InMemoryEventLog, world: World, records: InMemoryRecords, audits: InMemoryAudits
) -> None:
    with pytest.raises(NotADispatcher):
        live_situation(records, audits, world.medic, now=NOW)
    assert _plan_reads(audits) == [("medic", "denied_plan", "plan")]


def test_the_waiting_casualties_are_read_at_once_without_their_histories_and_audited_once(
    log: InMemoryEventLog, world: World, audits: InMemoryAudits
) -> None:
    waiting = [make(CasualtyRegistered, minute=m, casualty_id=uuid4()) for m in (1, 2, 3)]
    note = make(NoteAdded, minute=4, casualty_id=waiting[0].casualty_id, text="bleeding")
    gone = make(CasualtyRegistered, minute=1, casualty_id=uuid4())
    handed = make(HandedOver, minute=5, casualty_id=gone.casualty_id, to_stage="Role 2")
    submit_events(
        log, world.medic, [encode_event(e) for e in (*waiting, note, gone, handed)], now=NOW,
        max_skew=timedelta(minutes=5),
    )  # fmt: skip
    records = CountingRecords(log)
    situation = live_situation(records, audits, world.coordinator, now=NOW)
    assert {c.casualty_id for c in situation.casualties} == {e.casualty_id for e in waiting}
    assert (records.waiting_reads, records.history_reads) == (1, 0)
    assert [(u, a, t) for u, a, t in _plan_reads(audits)] == [
        ("coordinator", "plan", "3 casualties")
    ]


def test_the_plan_for_casualties_and_no_vehicle_suggests_nothing(
    log: InMemoryEventLog, world: World, records: InMemoryRecords, audits: InMemoryAudits
) -> None:
    submit_events(
        log, world.medic, [encode_event(make(CasualtyRegistered, minute=1, casualty_id=uuid4()))],
        now=NOW, max_skew=timedelta(minutes=5),
    )  # fmt: skip
    plan = current_plan(
        records, audits, world.coordinator, now=NOW, immediate_floor=0.0, deadline_ms=None
    )
    assert (plan.idle_vehicles, plan.suggestions) == (0, ())
