"""Shared test configuration: makes tests/builders.py and tests/strategies.py importable."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from shared_reference import missing_notice

# CI explores more examples than a developer's quick run; both are deterministic per seed.
# No per-example deadline: it checks speed, not correctness, and on a loaded machine the default
# 200 ms fails correct code (a CoT fuzz example took 289 ms in a full run at load 17).
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Demo servers started by tests keep the demo as seeded: the live run (goldenhour.demo.run) would
# make KALYNA 22 busy and add casualties. A test of the run turns it on for its own server.
os.environ.setdefault("GOLDENHOUR_DEMO_DRIVER", "0")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """End the run with one line when other projects' captures were not there to test."""
    notice = missing_notice()
    if notice is not None:
        terminalreporter.write_line(notice, yellow=True)
