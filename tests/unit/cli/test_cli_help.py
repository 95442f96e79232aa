"""Every command explains itself: ``--help`` works and every command has help text."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main

from goldenhour.cli.main import app

from cli_runner import goldenhour


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    # Typer vendors its own click, so groups are recognised by their sub-commands.
    found: list[tuple[tuple[str, ...], Any]] = []
    for name, command in group.commands.items():
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
