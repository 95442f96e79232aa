"""A page of a large table is read through an index, never by scanning and sorting it all.

The casualty list and the operational lists are ordered by their last change and narrowed to the
caller's units; with 20,000 cards the query plan must walk an index in that order and stop after
the page (issue 19), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Engine, Select, insert, text

from goldenhour.adapters.storage.queries import cards_query, streams_query
from goldenhour.adapters.storage.tables import casualty_cards, streams, units
from goldenhour.domain.access import Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import CardFilter

CARDS = 20_000
COMPANIES = 12
STATUSES = ("at_point_of_injury", "awaiting_evacuation", "handed_over", "closed")


def _fill(engine: Engine) -> tuple[str, list[str]]:
    """Store a brigade of units and 20,000 cards and requests; return the root and companies."""
    root = str(uuid4())
    companies = [str(uuid4()) for _ in range(COMPANIES)]
    card = json.dumps({"notes": "x" * 1500})
    with engine.begin() as connection:
        connection.execute(
            insert(units),
            [{"unit_id": root, "parent_id": None, "name": "brigade", "kind": "brigade",
              "path": f"/{root}/"}]
            + [{"unit_id": c, "parent_id": root, "name": f"company {i}", "kind": "company",
                "path": f"/{root}/{c}/"} for i, c in enumerate(companies)],
        )  # fmt: skip
        connection.execute(
            insert(casualty_cards),
            [
                {"casualty_id": str(uuid4()), "scope_unit": companies[i % COMPANIES],
                 "status": STATUSES[i % 4], "precedence": "ABC"[i % 3],
                 "lat": 48 + (i % 100) / 100, "lon": 37 + (i % 97) / 97, "updated_seq": i + 1,
                 "updated_at": "2026-12-07T00:00:00+00:00", "card": card}
                for i in range(CARDS)
            ],
        )  # fmt: skip
        connection.execute(
            insert(streams),
            [
                {"stream": "request", "stream_id": str(uuid4()),
                 "scope_unit": companies[i % COMPANIES], "state": card,
                 "updated_seq": CARDS + i + 1, "updated_at": "2026-12-07T00:00:00+00:00"}
                for i in range(CARDS // 2)
            ],
        )  # fmt: skip
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
    return root, companies


def _principal(role: Role, path: str, facility: UUID | None = None) -> Principal:
    unit = path.strip("/").split("/")[-1]
    return Principal(
        user_id=uuid4(), username=role.value, role=role, unit_id=UUID(unit), unit_path=path,
        device="test", facility_id=facility,
    )  # fmt: skip


def _plan(engine: Engine, query: Select[Any]) -> str:
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        rows = connection.execute(text(explain + str(compiled))).all()
    return "\n".join(str(row[-1]) for row in rows)


def _assert_walks_an_index(plan: str, table: str) -> None:
    lines = plan.splitlines()
    # SQLite: "SCAN casualty_cards" alone is a full scan; "USE TEMP B-TREE" a sort of it all.
    assert f"SCAN {table}" not in [line.strip() for line in lines], plan
    assert "TEMP B-TREE" not in plan, plan
    # PostgreSQL: a sequential scan of the table, or a sort of more than a few of its rows
    # (it may sort the few hundred cards of one company found through an index).
    assert f"Seq Scan on {table}" not in plan, plan
    sorted_rows = [
        int(found.group(1))
        for line in lines
        if line.strip().startswith(("Sort", "->  Sort"))
        for found in [re.search(r"rows=(\d+)", line)]
        if found is not None
    ]
    assert all(rows <= CARDS // 20 for rows in sorted_rows), plan


def test_a_page_of_cards_for_each_role_walks_an_index(engine: Engine) -> None:
    root, companies = _fill(engine)
    coordinator = _principal(Role.COORDINATOR, f"/{root}/")
    medic = _principal(Role.MEDIC, f"/{root}/{companies[3]}/")
    facility = _principal(Role.FACILITY, f"/{root}/{companies[5]}/", facility=uuid4())
    admin = _principal(Role.ADMIN, f"/{root}/")
    for principal in (coordinator, medic, facility, admin):
        for filters in (
            CardFilter(limit=50),
            CardFilter(limit=50, before_seq=CARDS // 2),
            CardFilter(limit=50, status="awaiting_evacuation"),
            CardFilter(limit=50, status="awaiting_evacuation", before_seq=CARDS // 2),
            CardFilter(limit=50, updated_since_seq=CARDS - 100),
        ):
            _assert_walks_an_index(_plan(engine, cards_query(principal, filters)), "casualty_cards")


def test_a_page_of_requests_walks_an_index(engine: Engine) -> None:
    root, companies = _fill(engine)
    for principal in (
        _principal(Role.COORDINATOR, f"/{root}/"),
        _principal(Role.MEDIC, f"/{root}/{companies[1]}/"),
        _principal(Role.FACILITY, f"/{root}/{companies[2]}/", facility=uuid4()),
    ):
        for after in (None, CARDS + 500):
            query = streams_query(principal, "request", after=after, limit=50)
            _assert_walks_an_index(_plan(engine, query), "streams")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEDIC, Role.FACILITY])
def test_a_page_of_cards_is_the_newest_visible_in_order(engine: Engine, role: Role) -> None:
    root, companies = _fill(engine)
    path = f"/{root}/" if role is Role.COORDINATOR else f"/{root}/{companies[4]}/"
    principal = _principal(role, path, facility=uuid4() if role is Role.FACILITY else None)
    with engine.connect() as connection:
        first = connection.execute(cards_query(principal, CardFilter(limit=50))).all()
        second = connection.execute(
            cards_query(principal, CardFilter(limit=50, before_seq=first[-1].updated_seq))
        ).all()
    seqs = [row.updated_seq for row in first + second]
    visible = [
        i + 1 for i in range(CARDS) if role is Role.COORDINATOR or i % COMPANIES == 4
    ]  # fmt: skip
    assert seqs == visible[::-1][:100]
