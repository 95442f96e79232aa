"""Every command explains itself: ``--help`` works and every command has help text."""

from __future__ import annotations

from typing import Any

import pytest
import typer
import typer.main

from goldenhour.cli.main import app

from cli_runner import goldenhour, goldenhour_process
from cot_samples import NINE_LINE_ZMIST


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    # Typer vendors its own click, so groups are recognised by their sub-commands. The root
    # imports a noun's module when the noun is looked up (get_command), not before.
    found: list[tuple[tuple[str, ...], Any]] = []
    context = typer.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        path = (*prefix, name)
        found.append((path, command))
        if hasattr(command, "commands"):
            found.extend(_commands(command, path))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_the_cli_has_the_commands_the_foundation_promises() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"mgrs", "nineline parse", "demo", "card show", "version"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_text(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"goldenhour {' '.join(path)} has no help text"
    result = goldenhour(*path, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_the_installed_console_script_runs_a_command_and_maps_errors_to_exit_codes() -> None:
    """The one test that starts ``goldenhour`` as a user does; the others run it in process."""
    decoded = goldenhour_process("cot", "decode", str(NINE_LINE_ZMIST))
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.startswith("LINE 1: 37U DQ 44255 19810\n")
    refused = goldenhour_process("mgrs", "91", "0")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert "error:" in refused.stderr and "lat" in refused.stderr
