"""The survival fit reads the record: every casualty's folded card gives one observation."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from goldenhour.adapters.memory import InMemoryEventLog
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.survival.models import IMMEDIATE
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.survival_fit import fit_classes, simulate_observations
from goldenhour.services.survival import (
    fit_record,
    observations_from_log,
    observations_from_text,
)
from goldenhour.services.sync import Outcome, submit_events
from survival_cases import wire_events
from world import World

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _drawn(count: int = 200):
    return simulate_observations(IMMEDIATE, category=StartCategory.IMMEDIATE, count=count,
                                 rng=random.Random(4), follow_up_min=240.0)  # fmt: skip


def _key(o):
    return (o.category, round(o.minutes, 6), o.died)


def test_the_log_gives_back_each_casualtys_class_time_and_outcome(
    log: InMemoryEventLog, world: World
) -> None:
    drawn = _drawn()
    results = submit_events(log, world.medic, wire_events(drawn), now=NOW,
                            max_skew=timedelta(minutes=5))  # fmt: skip
    assert {r.outcome for r in results} == {Outcome.ACCEPTED}
    record = observations_from_log(log)
    assert record.casualties == len(drawn) and record.unclassified == 0
    assert sorted(map(_key, record.observations)) == sorted(map(_key, drawn))
    fitted = fit_record(record).fitted[0].model
    direct = fit_classes(drawn).fitted[0].model
    assert fitted.b1 == pytest.approx(direct.b1, rel=1e-4)


def test_a_file_of_events_as_json_lines_gives_the_same_observations() -> None:
    drawn = _drawn(50)
    lines = "\n".join(json.dumps(e) for e in wire_events(drawn))
    as_list = observations_from_text(json.dumps(wire_events(drawn)))
    as_lines = observations_from_text(lines)
    assert sorted(map(_key, as_lines.observations)) == sorted(map(_key, drawn))
    assert as_list.observations == as_lines.observations


def test_a_bad_event_in_the_file_is_refused_naming_its_place() -> None:
    events = wire_events(_drawn(3))
    events[4]["outcome"] = "resurrected"
    with pytest.raises(ValidationError) as refused:
        observations_from_text(json.dumps(events))
    assert refused.value.field == "[4].outcome"
