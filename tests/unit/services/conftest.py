"""The services' unit tests run on the in-memory fakes of their ports."""

from __future__ import annotations

import pytest

from goldenhour.adapters.memory import InMemoryAudits, InMemoryEventLog, InMemoryRecords
from world import World, seed


@pytest.fixture
def log() -> InMemoryEventLog:
    """Return an empty in-memory event log."""
    return InMemoryEventLog()


@pytest.fixture
def world(log: InMemoryEventLog) -> World:
    """Return the test world, registered in the log."""
    return seed(log)


@pytest.fixture
def records(log: InMemoryEventLog) -> InMemoryRecords:
    """Return the reads of the log."""
    return InMemoryRecords(log)


@pytest.fixture
def audits(log: InMemoryEventLog) -> InMemoryAudits:
    """Return the audit recorder of the log."""
    return InMemoryAudits(log)
