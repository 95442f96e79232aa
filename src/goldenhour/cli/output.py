"""Printing for the CLI: JSON for machines, Rich for people, errors on standard error."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape


def stdout_console() -> Console:
    """Return a console on standard output that never wraps or highlights data."""
    return Console(soft_wrap=True, highlight=False)


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on standard output."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_text(text: str) -> None:
    """Print plain text on standard output, exactly as given."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def print_error(message: str) -> None:
    """Print an error message on standard error."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"[bold red]error:[/] {escape(message)}", markup=True
    )
