"""Run the ``goldenhour`` command in tests: in this process (fast), or as a user would.

``goldenhour(...)`` calls the CLI's own entry point (``goldenhour.cli.main.run``, which maps
errors to exit codes) in this process, with standard input, output and error captured and the
same environment the console script gets below: a command costs milliseconds, not the second a
fresh interpreter takes to start. ``goldenhour_process(...)`` runs the installed console script
in a subprocess; the smoke test in tests/unit/cli/test_cli_help.py and the integration tests
that need a real process (servers, signals, crashes) use it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from goldenhour.cli.main import run

GOLDENHOUR = Path(sys.executable).parent / "goldenhour"

#: The environment a command sees: plain, 100 columns wide, no colour, UTF-8.
ENVIRONMENT = {"PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1", "LANG": "C.UTF-8"}


@dataclass(frozen=True)
class CliResult:
    """What a command gave back: its exit code, standard output and standard error."""

    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class CliBytes:
    """What a command gave back, its output and errors as bytes (binary messages)."""

    returncode: int
    stdout: bytes
    stderr: bytes


def goldenhour(
    *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None
) -> CliResult:
    """Run ``goldenhour ARGS`` in this process and return its exit code, output and errors.

    ``env`` adds to the environment the command sees. An exception the CLI does not turn into
    an exit code is raised here, with its traceback, instead of becoming exit code 1 as in a
    subprocess.
    """
    result = goldenhour_bytes(*args, stdin=None if stdin is None else stdin.encode(), env=env)
    return CliResult(result.returncode, result.stdout.decode(), result.stderr.decode())


def goldenhour_bytes(
    *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
) -> CliBytes:
    """Run ``goldenhour ARGS`` in this process, its input, output and errors as bytes."""
    runner = CliRunner()
    with runner.isolation(input=stdin, env=ENVIRONMENT | dict(env or {})) as (stdout, stderr, _):
        try:
            run(list(args))
            code = 0
        except SystemExit as exit_:
            code = _exit_code(exit_.code)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return CliBytes(code, stdout.getvalue(), stderr.getvalue())


def _exit_code(code: object) -> int:
    # sys.exit(None) is success; sys.exit("message") prints the message and exits 1.
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def goldenhour_process(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``goldenhour ARGS`` in a subprocess, as a user would."""
    return subprocess.run(
        [str(GOLDENHOUR), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=ENVIRONMENT,
    )
