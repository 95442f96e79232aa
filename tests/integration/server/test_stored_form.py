"""What the log stores for a known batch, pinned: content hashes, payloads, cards and audit rows.

The ingest path may be made faster, never different: a stored event's hash decides whether a
resent event is a duplicate or a conflict, and the audit chain's hashes are checked against
heads noted elsewhere. The batch is stored at fixed times, so every stored byte is known; each
table's rows are pinned by a digest, and a changed digest means the stored form changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, select

from goldenhour.adapters.storage.audit import verify_chain
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.tables import (
    audit_log,
    casualty_cards,
    events,
    facility_links,
    rejected_events,
)
from goldenhour.domain.access import Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services.admin import SYSTEM
from goldenhour.services.sync.ingest import Outcome, submit_events
from known_batch import BRIGADE, COMPANY, FIRST, casualty_events, known_id, units

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=7)
SKEW = timedelta(minutes=5)
MEDIC = Principal(
    user_id=known_id("user/medic"), username="medic", role=Role.MEDIC, unit_id=COMPANY,
    unit_path=f"/{BRIGADE}/{COMPANY}/", device="pinned-phone",
)  # fmt: skip

#: The digests of the rows the batch leaves, as the ingest path stored them before it was made
#: faster; the same on SQLite and PostgreSQL. Events and cards changed twice since, on purpose:
#: vital signs gained the GCS parts, and the handover the condition on arrival (issue 17), each
#: encoded empty in the batch's events and their cards. Cards changed once more, on purpose: the
#: row gained the plan's waiting facts (``evacuation``, revision 0006_plan_facts); events did not.
#: And once more: the row gained ``delivered_at`` (revision 0007_request_progress; without that
#: column the cards' digest is the one before, checked).
PINNED = {
    "events": "5e562788d59f719b682e3714157471a1529177234383119894f85b7f4886c6aa",
    "casualty_cards": "84fe908911f995bf1d2358d86a0e898c30dfa038abfc99b68eb77dfefc8caf01",
    "facility_links": "a5b43ddc35eeceedb84c4e1855b92508b672599d38cd67a098780352eb524385",
    "rejected_events": "2f58aa62fb1ae3d5c0198b5a8a28d23e05f243b1cfa8179edfbb08961c6ad5a2",
    "audit_log": "f197ce74eaef8bbffb87c4804316bb40315b6f807b54d6d1a0ac8497324fc06a",
}


def _store(engine: Engine) -> None:
    log = SqlEventLog(engine)
    tree = submit_events(log, SYSTEM, units(), now=NOW, max_skew=SKEW)
    assert {r.outcome for r in tree} == {Outcome.ACCEPTED}
    batch = casualty_events()
    first = submit_events(log, MEDIC, batch, now=NOW, max_skew=SKEW)
    assert {r.outcome for r in first} == {Outcome.ACCEPTED}
    # Again (duplicates), with one more note on a card that exists: a changed card, and a
    # conflict kept for review.
    note = {**batch[4], "event_id": str(known_id("event/1/later-note")), "text": "Стабільний"}
    conflict = {**batch[1], "burn_tbsa_percent": 1.5}
    second = submit_events(
        log, MEDIC, [*batch[:3], note, conflict], now=LATER, max_skew=SKEW
    )  # fmt: skip
    assert [r.outcome for r in second] == [Outcome.DUPLICATE] * 3 + [
        Outcome.ACCEPTED, Outcome.CONFLICT
    ]  # fmt: skip
    assert str(FIRST) == note["casualty_id"]


def _digest(engine: Engine, table: Table, *order: Any) -> str:
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(*order)).mappings().all()
    # Values as text, so that an engine's own types (a PostgreSQL timestamp) read the same.
    text = json.dumps([{k: str(v) for k, v in row.items()} for row in rows], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_known_batch_is_stored_byte_for_byte_as_before(engine: Engine) -> None:
    _store(engine)
    found = {
        "events": _digest(engine, events, events.c.seq),
        "casualty_cards": _digest(engine, casualty_cards, casualty_cards.c.casualty_id),
        "facility_links": _digest(
            engine, facility_links, facility_links.c.stream_id, facility_links.c.facility_id
        ),
        "rejected_events": _digest(engine, rejected_events, rejected_events.c.id),
        "audit_log": _digest(engine, audit_log, audit_log.c.seq),
    }
    assert found == PINNED
    with engine.connect() as connection:
        assert verify_chain(connection).intact
