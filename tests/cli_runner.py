"""Run the installed ``goldenhour`` console script as a user would, in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GOLDENHOUR = Path(sys.executable).parent / "goldenhour"


def goldenhour(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``goldenhour ARGS`` and return its exit code, standard output and standard error."""
    return subprocess.run(
        [str(GOLDENHOUR), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1", "LANG": "C.UTF-8"},
    )
