"""``goldenhour`` starts quickly: a command imports what it needs when it runs (issue 14, item 9).

Importing every noun's dependencies up front made ``goldenhour --help`` take about a second. These
tests look at what a fresh interpreter has imported after a command, which does not depend on how
fast the machine is; docs/benchmarks.md has the times.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main

from goldenhour.cli.main import COMMANDS, GROUPS, app

from cot_samples import NINE_LINE_ZMIST

#: Storage, web, solver, simulation, printing, network and password code: no command that
#: reads a file and prints needs any of it.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "ortools",
    "simpy",
    "reportlab",
    "httpx",
    "argon2",
    "pydantic_settings",
)

_RUN_AND_LIST_MODULES = """
import json, sys
from goldenhour.cli.main import run
out = sys.argv.pop(1)
sys.argv[0] = "goldenhour"
try:
    run()
except SystemExit:
    pass
with open(out, "w") as modules:
    json.dump(sorted(sys.modules), modules)
"""


def _imported_by(tmp_path: Path, *args: str) -> set[str]:
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST_MODULES, str(out), *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names: list[str] = json.loads(out.read_text())
    return {*names, *(name.split(".")[0] for name in names)}


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules)


def test_help_imports_no_storage_web_or_solver_code(tmp_path: Path) -> None:
    modules = _imported_by(tmp_path, "--help")
    assert _heavy(modules) == []
    commands = {name for name in modules if name.startswith("goldenhour.cli.")}
    assert commands == {"goldenhour.cli.main", "goldenhour.cli.output"}


def test_cot_decode_imports_only_what_reading_cot_xml_needs(tmp_path: Path) -> None:
    modules = _imported_by(tmp_path, "cot", "decode", str(NINE_LINE_ZMIST))
    assert "goldenhour.cli.cot" in modules
    assert _heavy(modules) == []
    # TAK protobuf is read only when the message is one (it starts 0xbf).
    assert "takproto" not in modules and "google.protobuf" not in modules


@pytest.mark.parametrize("name", [*COMMANDS, *GROUPS])
def test_the_root_lists_each_noun_with_its_own_help(name: str) -> None:
    """The summary ``goldenhour --help`` shows without importing a noun is the noun's own help."""
    root = typer.main.get_command(app)
    command = root.get_command(typer.Context(root), name)
    assert command is not None
    first_paragraph = (command.help or "").split("\n\n")[0].strip()
    noun = COMMANDS.get(name) or GROUPS[name]
    assert noun.summary == first_paragraph
