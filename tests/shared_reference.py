"""The team's reference folder beside the repository, which a clone on its own does not have.

CI checks the repository out with ``shared/`` beside it. It holds other projects' CoT captures,
which are never copied into the project: the tests that read them run only when the folder is
there, and otherwise pytest skips them with a reason naming the missing folder, and the run ends
with one line saying so (``missing_notice``, printed by tests/conftest.py). Everything else the
tests need is in ``tests/data/``. This is the one place that looks beside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: tests/ -> repository root -> the folder that holds it.
BESIDE_THE_REPOSITORY = Path(__file__).resolve().parents[1].parent

#: The folders some test asked for and did not find, for the line at the end of the run.
MISSING: set[str] = set()


def shared_reference(folder: str) -> Path | None:
    """Return ``../shared/reference/<folder>`` when it exists beside the repository, else None."""
    path = BESIDE_THE_REPOSITORY / "shared" / "reference" / folder
    if path.is_dir():
        return path
    MISSING.add(folder)
    return None


def missing_notice() -> str | None:
    """Return the one line that says which captures this run could not test, or None."""
    if not MISSING:
        return None
    folders = ", ".join(f"../shared/reference/{folder}/" for folder in sorted(MISSING))
    return (
        f"note: {folders} not found beside the repository: the tests of other projects' "
        "captures were skipped (CI runs them)"
    )


def missing_reason(folder: str) -> str:
    """Say which folder a skipped test needs and why a clone does not have it."""
    return (
        f"needs ../shared/reference/{folder}/ beside the repository (other projects' captures, "
        "never copied in; CI has it)"
    )


def needs_shared_reference(folder: str) -> pytest.MarkDecorator:
    """Skip a test, class or module unless ``../shared/reference/<folder>`` exists."""
    return pytest.mark.skipif(shared_reference(folder) is None, reason=missing_reason(folder))
