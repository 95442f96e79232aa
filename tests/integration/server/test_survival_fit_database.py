"""``goldenhour survival fit --database URL`` reads the casualties stored in the database."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.domain.survival.models import IMMEDIATE
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.survival_fit import fit_classes, simulate_observations
from goldenhour.services.sync import Outcome, submit_events
from survival_cases import wire_events
from world import seed

from cli_runner import goldenhour


def test_the_fit_from_the_database_is_the_fit_of_what_was_stored(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    log = SqlEventLog(engine)
    world = seed(log)
    drawn = simulate_observations(IMMEDIATE, category=StartCategory.IMMEDIATE, count=120,
                                  rng=random.Random(9), follow_up_min=240.0)  # fmt: skip
    results = submit_events(
        log,
        world.medic,
        wire_events(drawn),
        now=datetime(2026, 12, 1, tzinfo=UTC),
        max_skew=timedelta(minutes=5),
    )
    assert {r.outcome for r in results} == {Outcome.ACCEPTED}
    out = tmp_path / "model.json"
    done = goldenhour("survival", "fit", "--database", database_url, "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["casualties"] == 120
    stored = json.loads(out.read_text(encoding="utf-8"))["classes"]["immediate"]
    direct = fit_classes(drawn).fitted[0]
    assert stored["deaths"] == direct.deaths and stored["censored"] == direct.censored
    assert abs(stored["b1"] - direct.model.b1) < 1e-3 * direct.model.b1
