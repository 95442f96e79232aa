"""An event stored under an older encoding is still recognised when a phone sends it again.

A new optional field (the GCS parts, say) changes how every event of its kind is encoded, so an
event stored before the field existed carries a content hash the current code would not
compute. A phone re-sending that event after an upgrade must be answered ``duplicate``, not
``conflict`` (which would strand it in the phone's outbox): the stored copy is read with today's
codec and compared again before a conflict is declared.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import Engine
from test_ingest_work import MEDIC, NOW, SKEW, _log, _new_casualties

from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.services.sync import ingest
from goldenhour.services.sync.ingest import Outcome, submit_events


def _hash_before_the_optional_fields(event: DomainEvent) -> str:
    """The content hash as a version that did not yet know the empty optional fields made it."""
    encoded = {key: value for key, value in encode_event(event).items() if value is not None}
    return hashlib.sha256(json.dumps(encoded, sort_keys=True).encode()).hexdigest()


def test_an_event_stored_under_an_older_encoding_is_a_duplicate_when_sent_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log(engine)
    batch = _new_casualties(2)
    with monkeypatch.context() as older_version:
        older_version.setattr(ingest, "content_hash", _hash_before_the_optional_fields)
        first = submit_events(log, MEDIC, batch, now=NOW, max_skew=SKEW)
    assert {r.outcome for r in first} == {Outcome.ACCEPTED}

    again = submit_events(log, MEDIC, batch, now=NOW, max_skew=SKEW)

    assert [r.outcome for r in again] == [Outcome.DUPLICATE] * len(batch)


def test_other_content_under_a_stored_id_is_still_a_conflict(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log(engine)
    batch = _new_casualties(1)
    with monkeypatch.context() as older_version:
        older_version.setattr(ingest, "content_hash", _hash_before_the_optional_fields)
        submit_events(log, MEDIC, batch, now=NOW, max_skew=SKEW)
    vitals = batch[1]
    assert vitals["kind"] == "vitals_recorded"
    changed = {**vitals, "pulse": vitals["pulse"] + 1}

    (answer,) = submit_events(log, MEDIC, [changed], now=NOW, max_skew=SKEW)

    assert answer.outcome is Outcome.CONFLICT
