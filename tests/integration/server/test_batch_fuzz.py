"""One bad event never stops the others: batches of valid events mixed with arbitrary JSON.

A device's batch may hold anything: text cut inside an emoji (a lone surrogate), control
characters, numbers no field can hold, deep nesting, values that are not objects at all. Each
bad item is answered on its own (and kept for review when it is data from the field); every
valid event of the batch is stored, once; no answer is a 5xx. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from goldenhour.adapters.storage.tables import events, rejected_events

Login = Callable[[str], dict[str, str]]

#: Every code point, lone surrogates and C0/C1 controls included (``st.text()`` leaves
#: surrogates out, and they are what a JavaScript string cut inside an emoji sends).
_ANY_CHARACTER = st.characters(codec=None, categories=None)
_any_text = st.text(_ANY_CHARACTER, max_size=12)
_huge_numbers = st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 1e308, -1e308, 1e-320])
_scalars = (
    st.none() | st.booleans() | st.integers() | _huge_numbers
    | st.floats(allow_nan=False, allow_infinity=False) | _any_text
)  # fmt: skip
_any_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_any_text, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def _deeply_nested(draw: st.DrawFn) -> Any:
    value: Any = draw(_scalars)
    for _ in range(draw(st.integers(20, 150))):
        value = [value] if draw(st.booleans()) else {"a": value}
    return value


_FIELDS = ("kind", "event_id", "casualty_id", "occurred_at", "recorded_at", "author", "device",
           "text", "supersedes", "received_at")  # fmt: skip


def _valid_events(count: int) -> list[dict[str, Any]]:
    """A new casualty with a note, ``count`` times: every one of them must be stored."""
    now = datetime.now(UTC).isoformat()
    made: list[dict[str, Any]] = []
    for number in range(count):
        casualty = str(uuid4())
        envelope = {"casualty_id": casualty, "occurred_at": now, "recorded_at": now,
                    "author": "medic", "device": "medic-phone"}  # fmt: skip
        made.append({"kind": "casualty_registered", "event_id": str(uuid4()), **envelope})
        made.append({"kind": "note_added", "event_id": str(uuid4()), "text": f"note {number}",
                     **envelope})  # fmt: skip
    return made


@st.composite
def _bad_items(draw: st.DrawFn) -> Any:
    """Arbitrary JSON, or a valid-looking note with one field replaced by arbitrary JSON."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(_any_json)
    if choice == 1:
        return draw(_deeply_nested())
    [_, note] = _valid_events(1)
    field = draw(st.sampled_from(_FIELDS))
    note[field] = draw(_any_json | _deeply_nested()) if choice == 2 else draw(_any_text)
    if note.get("text") == "note 0" and note.get("kind") == "note_added":
        note["text"] = "\ud800"  # at least one must be refused, or the item is not bad
    return note


def test_every_valid_event_of_a_batch_is_stored_once_whatever_else_it_holds(
    client: TestClient, seeded: Engine, login: Login
) -> None:
    """Valid events mixed with arbitrary JSON: the valid ones are stored once, nothing is 5xx."""
    headers = {**login("medic"), "Content-Type": "application/json"}  # once: logins hash

    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(data=st.data())
    def batch_of(data: st.DataObject) -> None:
        valid = _valid_events(data.draw(st.integers(1, 2), label="casualties"))
        bad = data.draw(st.lists(_bad_items(), min_size=1, max_size=4), label="bad")
        order = data.draw(st.permutations(range(len(valid) + len(bad))), label="order")
        items = [(valid + bad)[index] for index in order]
        # JSON text escaped to ASCII: lone surrogates travel as JSON.stringify sends them.
        body = json.dumps({"events": items}, allow_nan=False)
        for attempt in range(2):  # the retry a device makes must change nothing
            response = client.post("/api/v1/events", content=body, headers=headers)
            assert response.status_code < 500, response.text
            assert response.status_code == 200, response.text
            results = response.json()["results"]
            assert [r["index"] for r in results] == list(range(len(items)))
            for position, item in enumerate(items):
                if any(item is event for event in valid):
                    expected = "accepted" if attempt == 0 else "duplicate"
                    assert results[position]["outcome"] == expected, results[position]
        wanted = [event["event_id"] for event in valid]
        with seeded.connect() as connection:
            stored = connection.execute(
                select(events.c.event_id, func.count()).where(events.c.event_id.in_(wanted))
                .group_by(events.c.event_id)
            ).all()  # fmt: skip
        assert sorted(stored) == sorted((event_id, 1) for event_id in wanted)

    batch_of()


def test_a_note_with_a_lone_surrogate_is_refused_and_kept_while_the_valid_note_is_stored(
    client: TestClient, seeded: Engine, login: Login
) -> None:
    """The case from the field: a note cut inside an emoji beside a good one, sent twice."""
    headers = {**login("medic"), "Content-Type": "application/json"}
    registered, good = _valid_events(1)
    cut = {**good, "event_id": str(uuid4()), "text": "bleeding \ud83d"}
    body = json.dumps({"events": [registered, good, cut]})
    for expected in ("accepted", "duplicate"):
        response = client.post("/api/v1/events", content=body, headers=headers)
        assert response.status_code == 200, response.text
        outcomes = [r["outcome"] for r in response.json()["results"]]
        assert outcomes == [expected, expected, "invalid"]
        assert response.json()["results"][2]["field"] == "text"
    with seeded.connect() as connection:
        kept = connection.execute(
            select(rejected_events.c.payload).where(rejected_events.c.event_id == cut["event_id"])
        ).scalars().all()  # fmt: skip
    assert len(kept) == 2  # once per submission, for review
    assert json.loads(kept[0])["text"] == "bleeding \ud83d"  # escaped, not lost


def test_an_item_that_is_not_an_object_is_refused_on_its_own(
    client: TestClient, seeded: Engine, login: Login
) -> None:
    """A number, a list or a string among the events is one invalid item, not a bad batch."""
    headers = login("medic")
    registered, note = _valid_events(1)
    response = client.post(
        "/api/v1/events", json={"events": [registered, 5, ["x"], note, "text"]}, headers=headers
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == [
        "accepted", "invalid", "invalid", "accepted", "invalid"
    ]  # fmt: skip
    assert {r["field"] for r in results if r["outcome"] == "invalid"} == {"event"}
