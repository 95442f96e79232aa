"""``goldenhour bench scale``: fills a throw-away database through the API and times the reads."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from goldenhour.bench.scale import scale_command


def bench(*args: str) -> str:
    app = typer.Typer()
    app.command()(scale_command)
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_scale_bench_fills_the_database_and_times_every_read(engine: str) -> None:
    report = json.loads(bench("--casualties", "40", "--engine", engine, "--json"))
    result = report["results"]
    assert (result["engine"], result["casualties"]) == (engine, 40)
    # 8 or 9 events a casualty (half on a filed request), and the demo's events.
    assert 40 * 8 < result["events"] < 40 * 9 + 200
    for read in ("page_50", "first_page", "full_load", "map_viewport", "requests_page", "plan"):
        assert result[read] > 0, read
    assert result["full_load_pages"] == 1
    # Every casualty the coordinator sees waits or was handed over (about a tenth waiting).
    assert 0 < result["waiting"] < 40
    assert 0 < result["rebuild_ms_per_event"]
    assert report["machine"]["cpus"] >= 1


@pytest.mark.slow
def test_the_scale_bench_prints_a_table_with_the_targets() -> None:
    output = bench("--casualties", "20")
    for text in ("a page of 50", "full load", "/map, a viewport", "/requests", "/plan", "rebuild"):
        assert text in output, text
