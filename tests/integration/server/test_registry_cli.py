"""``goldenhour registry summary`` and ``export`` on the demo database, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import Engine, func, select

from goldenhour.adapters.storage.tables import audit_log, registry_rows
from goldenhour.domain.trauma_registry.deidentify import EXPORT_COLUMNS

from cli_runner import goldenhour_process as goldenhour


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(registry_rows)).scalar_one())


def test_summary_as_the_system_and_as_the_analyst_both_audited(seeded: Engine) -> None:
    url = _url(seeded)
    done = goldenhour("registry", "summary", "--database-url", url, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    casualties = _rows(seeded)
    assert 0 < casualties < 5  # the demo's few casualties: every cell is small
    assert summary["counts"]["casualties"] == {"value": casualties, "suppressed": False}
    assert summary["suppressed_below"] is None
    assert {step["name"] for step in summary["chain"]} >= {"injury_to_request"}
    weeks = summary["per_week"].values()
    assert sum(week["cfr"]["denominator"] for week in weeks) == summary["cfr"]["denominator"]
    analyst = goldenhour(
        "registry", "summary", "--database-url", url, "--as-user", "analyst", "--json"
    )
    assert analyst.returncode == 0, analyst.stderr
    seen = json.loads(analyst.stdout)
    assert seen["counts"]["casualties"] == {"value": None, "suppressed": True}
    weekly = [rate for week in seen["per_week"].values() for rate in week.values()]
    assert weekly and not any(
        0 < (rate[part] or 0) < 5 for rate in weekly for part in ("numerator", "denominator")
    )  # fmt: skip
    assert any(rate["suppressed"] for rate in weekly)
    with seeded.connect() as connection:
        audited = connection.execute(
            select(audit_log.c.username, audit_log.c.target_id).where(
                audit_log.c.action == "registry_query"
            )
        ).all()
    assert [tuple(row) for row in audited] == [("system", "summary"), ("analyst", "summary")]


def test_export_writes_one_de_identified_line_per_casualty(seeded: Engine) -> None:
    done = goldenhour("registry", "export", "--format", "csv", "--database-url", _url(seeded))
    assert done.returncode == 0, done.stderr
    lines = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(lines) == _rows(seeded)
    assert tuple(lines[0]) == EXPORT_COLUMNS


def test_a_bad_filter_or_format_is_refused_naming_it(seeded: Engine) -> None:
    url = _url(seeded)
    bad = goldenhour("registry", "summary", "--database-url", url, "--population", "police")
    assert bad.returncode != 0 and "population" in bad.stderr
    parquet = goldenhour("registry", "export", "--database-url", url, "--format", "parquet")
    assert parquet.returncode != 0 and "--format" in parquet.stderr
    nobody = goldenhour("registry", "summary", "--database-url", url, "--as-user", "nobody")
    assert nobody.returncode != 0 and "--as-user" in nobody.stderr
