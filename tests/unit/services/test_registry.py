"""The registry's use cases on an in-memory store: who sees which rows, suppression, audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from goldenhour.adapters.memory.ports import InMemoryAudits
from goldenhour.domain.access import Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.trauma_registry.figures import RegistryFilter
from goldenhour.domain.trauma_registry.record import RegistryRecord
from goldenhour.services.registry import (
    NotARegistryReader,
    RegistryQuery,
    RegistryUnitNotFound,
    registry_export,
    registry_summary,
)

NOW = datetime(2026, 11, 10, tzinfo=UTC)
BRIGADE, BATTALION_1, BATTALION_2 = UUID(int=1), UUID(int=2), UUID(int=3)


@dataclass
class FakeStore:
    """Registry rows in a list; units as a parent map; keys drawn from a counter."""

    records: list[RegistryRecord]
    parents: dict[UUID, UUID | None] = field(
        default_factory=lambda: {BRIGADE: None, BATTALION_1: BRIGADE, BATTALION_2: BRIGADE}
    )
    keys: dict[UUID, str] = field(default_factory=dict)

    def unit_subtree(self, unit_id: UUID) -> frozenset[UUID] | None:
        if unit_id not in self.parents:
            return None
        below = {unit_id}
        while True:
            more = {u for u, p in self.parents.items() if p in below} - below
            if not more:
                return frozenset(below)
            below |= more

    def rows(self, where: RegistryFilter) -> list[RegistryRecord]:
        return [r for r in self.records if where.matches(r)]

    def export_keys(self, casualty_ids: list[UUID]) -> dict[UUID, str]:  # type: ignore[override]
        for casualty in casualty_ids:
            self.keys.setdefault(casualty, f"k{len(self.keys):04d}")
        return {c: self.keys[c] for c in casualty_ids}


def _principal(role: Role, unit: UUID) -> Principal:
    return Principal(user_id=UUID(int=99), username=role.value, role=role, unit_id=unit,
                     unit_path="", device="test")  # fmt: skip


def _rows() -> list[RegistryRecord]:
    injured = NOW - timedelta(days=2)
    return [
        RegistryRecord(casualty_id=UUID(int=100 + i), unit_id=unit, injured_at=injured,
                       outcome="killed_in_action", outcome_at=injured, population="military")
        for i, unit in enumerate([BATTALION_1] * 6 + [BATTALION_2] * 3)
    ]  # fmt: skip


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(_rows())


def test_an_analyst_counts_only_their_subtree_with_small_cells_suppressed(
    store: FakeStore, audits: InMemoryAudits
) -> None:
    analyst = _principal(Role.ANALYST, BATTALION_1)
    mine = registry_summary(store, audits, analyst, RegistryQuery(), now=NOW)
    assert mine.counts["kia"].value == 6
    admin = _principal(Role.ADMIN, BATTALION_2)
    other = registry_summary(store, audits, admin, RegistryQuery(unit_id=BATTALION_2), now=NOW)
    assert other.counts["kia"].value == 3  # the administrator sees small cells
    brigade = _principal(Role.ANALYST, BRIGADE)
    small = registry_summary(store, audits, brigade, RegistryQuery(unit_id=BATTALION_2), now=NOW)
    assert small.counts["kia"].value is None and small.counts["kia"].suppressed


def test_a_unit_outside_the_analysts_own_is_not_found_and_the_query_audited(
    store: FakeStore, audits: InMemoryAudits
) -> None:
    analyst = _principal(Role.ANALYST, BATTALION_1)
    with pytest.raises(RegistryUnitNotFound):
        registry_summary(store, audits, analyst, RegistryQuery(unit_id=BATTALION_2), now=NOW)
    with pytest.raises(RegistryUnitNotFound):
        registry_summary(store, audits, analyst, RegistryQuery(unit_id=UUID(int=7)), now=NOW)
    actions = [(e["action"], e["target_id"]) for e in audits.entries()]
    assert actions == [("registry_query", "summary")] * 2


@pytest.mark.parametrize("role", [Role.MEDIC, Role.COORDINATOR, Role.FACILITY])
def test_other_roles_are_refused_and_audited(
    store: FakeStore, audits: InMemoryAudits, role: Role
) -> None:
    with pytest.raises(NotARegistryReader):
        registry_export(store, audits, _principal(role, BRIGADE), RegistryQuery(), now=NOW)
    assert [e["action"] for e in audits.entries()] == ["denied_registry_query"]


def test_the_export_is_ordered_by_key_and_keys_are_stable(
    store: FakeStore, audits: InMemoryAudits
) -> None:
    admin = _principal(Role.ADMIN, BRIGADE)
    first = registry_export(store, audits, admin, RegistryQuery(), now=NOW)
    again = registry_export(store, audits, admin, RegistryQuery(), now=NOW)
    assert [line["key"] for line in first] == sorted(line["key"] for line in first)
    assert first == again and len(first) == 9
    assert all("casualty" not in column for column in first[0])
