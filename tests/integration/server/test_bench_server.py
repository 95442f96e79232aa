"""``goldenhour bench server`` with tiny numbers, so that the bench cannot rot as code changes."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from goldenhour.bench.server import server_command

TINY = ["--events", "200", "--batch", "50", "--subscribers", "3", "--reads", "5", "--rounds", "2"]


def bench(*args: str) -> str:
    app = typer.Typer()
    app.command()(server_command)
    result = CliRunner().invoke(app, [*TINY, *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_the_bench_measures_both_databases_in_one_run() -> None:
    report = json.loads(bench("--database", "both", "--json"))
    results = report["results"]
    assert [r["database"] for r in results] == ["sqlite", "postgresql"]
    for result in results:
        assert (result["events"], result["batch"], result["subscribers"]) == (200, 50, 3)
        assert result["events_per_second"] > 0
        # The raw limit of the same database, measured in the same run, and the server's share.
        assert result["raw_events_per_second"] > 0
        assert result["share_of_raw"] == pytest.approx(
            result["events_per_second"] / result["raw_events_per_second"]
        )
        assert 0 < result["card_p50_ms"] <= result["card_p95_ms"]
        assert (
            0 < result["delivery_p50_ms"] <= result["delivery_p99_ms"] <= result["delivery_max_ms"]
        )
    assert report["machine"]["cpus"] >= 1


@pytest.mark.slow
def test_the_bench_prints_a_table_with_the_targets() -> None:
    output = bench("--database", "sqlite")
    assert "events ingested / s" in output
    assert "≥ 2,000" in output
    assert "p99 ≤ 1,000" in output
    assert "raw limit" in output
    assert "≥ 25%" in output
