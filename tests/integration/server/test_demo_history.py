"""The demo writes weeks of past casualties through the normal ingest; seeding again adds none."""

from __future__ import annotations

from sqlalchemy import Engine

from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.cli.serve import seed_demo
from goldenhour.services.survival import observations_from_log

PASSWORD = "demo-history-password"


def test_the_demo_history_is_accepted_whole_and_seeding_again_adds_nothing(
    engine: Engine,
) -> None:
    log = SqlEventLog(engine)
    seed_demo(log, PASSWORD)  # raises on any refused event
    without = log.last_seq()
    seed_demo(log, PASSWORD, history_weeks=1)
    with_history = log.last_seq()
    seed_demo(log, PASSWORD, history_weeks=1)
    assert log.last_seq() == with_history
    assert with_history - without > 300  # a week: about a hundred casualties, several events each
    record = observations_from_log(log)
    assert record.casualties >= 60
    assert sum(o.died for o in record.observations) > 5
    assert sum(not o.died for o in record.observations) > 20
