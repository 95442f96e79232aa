"""Ingest does each piece of work once per event: one check, one encoding, no needless query.

The log's write lock is held while a batch is stored, so work done twice there slows every
device syncing (issue 14): an event is checked when it is decoded and not again when stamped,
encoded once for its hash and its payload, and a batch's new casualties cost no query each
beyond the batch's own look-ups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import Engine, event

from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.domain import codec
from goldenhour.domain.access import Principal
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services.admin import SYSTEM
from goldenhour.services.sync.ingest import Outcome, submit_events
from known_batch import BRIGADE, COMPANY, casualty_events, known_id, units

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
SKEW = timedelta(minutes=5)
#: A medic whose name is not the events' author: each event is stamped with a new author too.
MEDIC = Principal(
    user_id=known_id("user/medic-2"), username="medic-2", role=Role.MEDIC, unit_id=COMPANY,
    unit_path=f"/{BRIGADE}/{COMPANY}/", device="pinned-phone",
)  # fmt: skip


def _log(engine: Engine) -> SqlEventLog:
    log = SqlEventLog(engine)
    assert {r.outcome for r in submit_events(log, SYSTEM, units(), now=NOW, max_skew=SKEW)} == {
        Outcome.ACCEPTED
    }
    return log


def _new_casualties(count: int) -> list[dict[str, Any]]:
    """Return ``count`` new casualties' registration and vitals."""
    batch: list[dict[str, Any]] = []
    for _ in range(count):
        casualty = str(uuid4())
        for template in casualty_events()[6:8]:
            batch.append({**template, "event_id": str(uuid4()), "casualty_id": casualty})
    return batch


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*arguments: Any) -> None:
        seen.append(str(arguments[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_batch_of_new_casualties_costs_no_query_per_casualty(engine: Engine) -> None:
    log = _log(engine)
    counts = []
    for casualties in (1, 10):
        with _statements(engine) as seen:
            results = submit_events(log, MEDIC, _new_casualties(casualties), now=NOW, max_skew=SKEW)
        assert {r.outcome for r in results} == {Outcome.ACCEPTED}
        counts.append(len(seen))
    assert counts[0] == counts[1]


def _count_work(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, Counter[int], Counter[int]]:
    """Store the known batch; return its size, and the checks and encodings of each event."""
    log = _log(engine)
    batch = casualty_events()
    checked: Counter[int] = Counter()
    encoded: Counter[int] = Counter()
    post_init, encode_fields, decode = (
        DomainEvent.__post_init__, codec._encode_fields, codec.decode_event
    )  # fmt: skip

    def check(self: DomainEvent) -> None:
        checked[id(self)] += 1
        post_init(self)

    def encode(value: Any) -> dict[str, Any]:
        if isinstance(value, DomainEvent):
            encoded[id(value)] += 1
        return encode_fields(value)

    kept: list[DomainEvent] = []  # held, so that no id is reused by another event meanwhile

    def decode_and_keep(raw: Any) -> DomainEvent:
        kept.append(decode(raw))
        return kept[-1]

    monkeypatch.setattr(DomainEvent, "__post_init__", check)
    monkeypatch.setattr(codec, "_encode_fields", encode)
    monkeypatch.setattr("goldenhour.services.sync.ingest.decode_event", decode_and_keep)
    results = submit_events(log, MEDIC, batch, now=NOW, max_skew=SKEW)
    assert {r.outcome for r in results} == {Outcome.ACCEPTED}
    return len(batch), checked, encoded


def test_each_event_is_checked_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    events, checked, _ = _count_work(engine, monkeypatch)
    # Checked when decoded, and never again: stamping its author and receive time trusts it.
    assert sum(checked.values()) == events


def test_each_event_is_encoded_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, encoded = _count_work(engine, monkeypatch)
    # No event object is encoded twice: its hash and its payload share one encoding.
    assert max(encoded.values()) == 1
