"""``goldenhour bench startup``: how long ``goldenhour`` takes to start, run after run.

Each run is a fresh interpreter, as when a user types the command, so the figure is what a
user waits for: Python's start, the imports the command needs, and the work itself. The CPU
time (user + system) of the runs is reported beside the wall time: on a shared machine it
depends much less on what else is running.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import typer

from goldenhour.cli.output import print_error, print_json, print_text

#: The console script's entry point, run by the interpreter that runs this bench.
_ENTRY = "from goldenhour.cli.main import run; run()"


@dataclass(frozen=True, slots=True)
class StartupFigures:
    """Wall and CPU time of one command line over several runs, in milliseconds."""

    command: str
    runs: int
    wall_p50_ms: float
    wall_p95_ms: float
    wall_max_ms: float
    cpu_mean_ms: float


def time_command(args: list[str], *, runs: int) -> StartupFigures:
    """Run ``goldenhour ARGS`` ``runs`` times in fresh interpreters and time each run.

    Raises ``RuntimeError`` naming the command when a run exits with an error.
    """
    walls: list[float] = []
    cpu_before = _children_cpu_seconds()
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _ENTRY, *args],
            capture_output=True, check=False, timeout=120,
            env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
        )  # fmt: skip
        walls.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise RuntimeError(
                f"goldenhour {' '.join(args)} exited {done.returncode}: "
                f"{done.stderr.decode(errors='replace').strip()}"
            )
    cpu_ms = (_children_cpu_seconds() - cpu_before) * 1000
    walls.sort()
    return StartupFigures(
        command=" ".join(["goldenhour", *args]),
        runs=runs,
        wall_p50_ms=statistics.median(walls),
        wall_p95_ms=walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))],
        wall_max_ms=walls[-1],
        cpu_mean_ms=cpu_ms / runs,
    )


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def startup_command(
    cot_file: Annotated[
        Path | None,
        typer.Argument(help="A CoT file to time 'goldenhour cot decode FILE' on (optional)."),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Runs of each command.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Time how long 'goldenhour --help' (and 'cot decode FILE') take to run, start to end."""
    command_lines = [["--help"], ["version"]]
    if cot_file is not None:
        command_lines.append(["cot", "decode", str(cot_file)])
    load = os.getloadavg()[0]
    try:
        figures = [time_command(args, runs=runs) for args in command_lines]
    except RuntimeError as error:
        print_error(str(error))
        raise typer.Exit(1) from None
    if as_json:
        print_json(
            {
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "load_average_1min": load,
                "results": [asdict(f) for f in figures],
            }
        )
        return
    print_text(
        f"start-up, {runs} × each command, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {load:.2f} at the start"
    )
    for f in figures:
        print_text(
            f"{f.command}: wall p50 {f.wall_p50_ms:.0f} ms, p95 {f.wall_p95_ms:.0f} ms, "
            f"max {f.wall_max_ms:.0f} ms; CPU {f.cpu_mean_ms:.0f} ms a run"
        )
