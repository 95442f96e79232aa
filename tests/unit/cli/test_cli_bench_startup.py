"""``goldenhour bench startup``: start-up times of fresh ``goldenhour`` runs (issue 14, item 9)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import goldenhour
from cot_samples import NINE_LINE_ZMIST


def test_startup_times_help_version_and_decoding_a_cot_file() -> None:
    result = goldenhour("bench", "startup", str(NINE_LINE_ZMIST), "--runs", "2", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    commands = [row["command"] for row in report["results"]]
    assert commands == [
        "goldenhour --help",
        "goldenhour version",
        f"goldenhour cot decode {NINE_LINE_ZMIST}",
    ]
    for row in report["results"]:
        assert row["runs"] == 2
        assert 0 < row["wall_p50_ms"] <= row["wall_p95_ms"] <= row["wall_max_ms"]
        assert row["cpu_mean_ms"] > 0
    assert report["cpus"] >= 1 and report["load_average_1min"] >= 0


def test_startup_without_a_file_times_help_and_version_in_words() -> None:
    result = goldenhour("bench", "startup", "--runs", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("start-up, 1 × each command")
    assert [line.split(":")[0] for line in lines[1:]] == ["goldenhour --help", "goldenhour version"]


def test_startup_names_the_command_that_failed(tmp_path: Path) -> None:
    not_cot = tmp_path / "not-cot.xml"
    not_cot.write_text("<html/>", encoding="utf-8")
    result = goldenhour("bench", "startup", str(not_cot), "--runs", "1")
    assert result.returncode == 1
    assert f"goldenhour cot decode {not_cot} exited 2" in result.stderr
