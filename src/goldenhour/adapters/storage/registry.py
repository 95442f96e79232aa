"""The trauma registry's rows and export keys in SQL (``services.registry.RegistryStore``)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Engine, case, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from goldenhour.adapters.storage.tables import registry_keys, registry_rows, units
from goldenhour.domain.trauma_registry.figures import (
    CHAIN_STEPS,
    RegistryFilter,
    RegistryTally,
    StepTally,
    row_facts,
)
from goldenhour.domain.trauma_registry.record import RegistryRecord

__all__ = ["REGISTRY_COLUMNS", "SqlRegistry", "registry_facts_values", "registry_record_of"]

#: The columns holding each chain step's minutes, in ``CHAIN_STEPS`` order.
_STEP_COLUMNS = [registry_rows.c[f"{name}_minutes"] for name, *_rest in CHAIN_STEPS]

_TIMES = (
    "injured_at", "first_event_at", "tourniquet_on_at", "tourniquet_off_at", "blood_at",
    "requested_at", "picked_up_at", "arrived_at", "surgery_at", "outcome_at", "newest_input_at",
)  # fmt: skip
_LISTS = ("mechanisms", "regions", "drug_classes")
_PLAIN = (
    "area", "population", "battle_loss", "triage_system", "triage_category", "precedence",
    "tourniquet_count", "tourniquet_minutes", "tourniquets_open", "txa", "blood_units", "outcome",
)  # fmt: skip
REGISTRY_COLUMNS = [
    registry_rows.c[name] for name in ("casualty_id", "unit_id", *_TIMES, *_LISTS, *_PLAIN)
]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


_TIME_AT = range(2, 2 + len(_TIMES))
_LIST_AT = range(2 + len(_TIMES), 2 + len(_TIMES) + len(_LISTS))
_PLAIN_AT = range(2 + len(_TIMES) + len(_LISTS), len(REGISTRY_COLUMNS))
_parse = datetime.fromisoformat


def registry_record_of(row: Sequence[Any]) -> RegistryRecord:
    """Return the record of a ``registry_rows`` row selected as ``REGISTRY_COLUMNS``."""
    # Positional access and one dict: this runs once per row of an export.
    fields: dict[str, Any] = {}
    for name, at in zip(_TIMES, _TIME_AT, strict=True):
        value = row[at]
        fields[name] = _parse(value) if value else None
    for name, at in zip(_LISTS, _LIST_AT, strict=True):
        value = row[at]
        fields[name] = tuple(value.split(";")) if value else ()
    for name, at in zip(_PLAIN, _PLAIN_AT, strict=True):
        fields[name] = row[at]
    if fields["battle_loss"] is not None:
        fields["battle_loss"] = bool(fields["battle_loss"])
    fields["txa"] = bool(fields["txa"])
    return RegistryRecord(
        casualty_id=UUID(row[0]), unit_id=UUID(row[1]) if row[1] else None, **fields
    )


def registry_facts_values(record: RegistryRecord) -> dict[str, Any]:
    """Return the columns holding what ``record`` brings to the figures (``row_facts``)."""
    facts = row_facts(record)
    values: dict[str, Any] = {
        "category": facts.category.value,
        "reference_day": facts.day,
        "triage_cell": facts.triage,
        "tourniquet_cell": facts.tourniquet,
        "tourniquet_over_2h": facts.tourniquet_over_2h,
    }
    for column, minutes in zip(_STEP_COLUMNS, facts.chain_minutes, strict=True):
        values[column.name] = minutes
    return values


def _moment(text: str | None) -> datetime | None:
    return _parse(text) if text else None


def _conditions(where: RegistryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    reference = registry_rows.c.reference_at
    if where.since is not None:
        conditions.append(reference >= _utc(where.since))
    if where.until is not None:
        conditions.append(reference < _utc(where.until))
    if where.unit_ids is not None:
        conditions.append(registry_rows.c.unit_id.in_([str(u) for u in where.unit_ids]))
    if where.area is not None:
        conditions.append(registry_rows.c.area.startswith(where.area, autoescape=True))
    if where.population is not None:
        conditions.append(registry_rows.c.population == where.population)
    return conditions


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    return second if first is None or (second is not None and second > first) else first


def _tally(connection: Connection, conditions: list[ColumnElement[bool]]) -> RegistryTally:
    # Three scans of the selected rows, each reading only the typed fact columns: two
    # GROUP BY (a few thousand groups at most) and the chain's minutes as plain tuples.
    c = registry_rows.c
    newest_input = func.max(c.newest_input_at)
    by_outcome = (c.category, c.reference_day, c.triage_cell)
    # Each step's newest input among the rows it times, in the same scan.
    step_newest = [func.max(case((step.is_not(None), c.newest_input_at))) for step in _STEP_COLUMNS]
    outcomes: dict[tuple[str, str | None], tuple[int, datetime | None]] = {}
    triage: dict[str, int] = {}
    everyone = operated = 0
    newest_timed: list[str | None] = [None] * len(_STEP_COLUMNS)
    for row in connection.execute(
        select(*by_outcome, func.count(), newest_input, func.count(c.surgery_at), *step_newest)
        .where(*conditions)
        .group_by(*by_outcome)
    ):
        category, day, cell, rows, newest, surgeries = row[:6]
        known, seen = outcomes.get((category, day), (0, None))
        outcomes[(category, day)] = (known + rows, _later(seen, _moment(newest)))
        triage[cell] = triage.get(cell, 0) + rows
        everyone += rows
        operated += surgeries
        newest_timed = [
            max(filter(None, pair), default=None)
            for pair in zip(newest_timed, row[6:], strict=True)
        ]
    by_care = (c.mechanisms, c.regions, c.tourniquet_cell, c.tourniquet_over_2h,
               c.tourniquets_open > 0)  # fmt: skip
    mechanisms: dict[str, int] = {}
    regions: dict[str, int] = {}
    tourniquets: dict[tuple[str, bool, bool], tuple[int, datetime | None]] = {}
    with_tourniquet = 0
    for mechanism, region, worn, long_worn, still_on, rows, newest in connection.execute(
        select(*by_care, func.count(), newest_input).where(*conditions).group_by(*by_care)
    ):
        mechanisms[mechanism] = mechanisms.get(mechanism, 0) + rows
        regions[region] = regions.get(region, 0) + rows
        if worn is not None:
            # Which rows the tourniquet step concerns, as CHAIN_STEPS says: those with one.
            with_tourniquet += rows
            key = (worn, bool(long_worn), bool(still_on))
            known, seen = tourniquets.get(key, (0, None))
            tourniquets[key] = (known + rows, _later(seen, _moment(newest)))
    timed = connection.execute(
        select(*_STEP_COLUMNS).where(
            *conditions, or_(*(step.is_not(None) for step in _STEP_COLUMNS))
        )
    ).all()
    columns = list(zip(*timed, strict=True)) if timed else [()] * len(_STEP_COLUMNS)
    # The rows each step concerns (CHAIN_STEPS): with a tourniquet, all, operated on.
    concerns = [with_tourniquet, everyone, everyone, everyone, operated, everyone]
    chain = []
    for at, values in enumerate(columns):
        minutes = [v for v in values if v is not None]
        minutes.sort()
        chain.append(
            StepTally(
                concerned=concerns[at],
                minutes=tuple(minutes),
                newest_input_at=_moment(newest_timed[at]),
            )  # fmt: skip
        )
    return RegistryTally(
        outcomes=outcomes, triage=triage, tourniquets=tourniquets, mechanisms=mechanisms,
        regions=regions, chain=tuple(chain),
    )  # fmt: skip


class SqlRegistry:
    """The registry rows of one SQLite or PostgreSQL database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def unit_subtree(self, unit_id: UUID) -> frozenset[UUID] | None:
        """Return the ids of a unit and every unit below it; ``None`` for an unknown unit."""
        with self.engine.connect() as connection:
            path = connection.execute(
                select(units.c.path).where(units.c.unit_id == str(unit_id))
            ).scalar()
            if path is None:
                return None
            found = connection.execute(
                select(units.c.unit_id).where(units.c.path.startswith(path, autoescape=True))
            ).scalars()
            return frozenset(UUID(u) for u in found)

    def rows(self, where: RegistryFilter) -> list[RegistryRecord]:
        """Return the registry rows ``where`` selects, filtered in SQL."""
        with self.engine.connect() as connection:
            result = connection.execute(select(*REGISTRY_COLUMNS).where(*_conditions(where)))
            return [registry_record_of(row) for row in result]

    def tally(self, where: RegistryFilter) -> RegistryTally:
        """Return the rows ``where`` selects counted by their facts, in SQL (``tally_records``).

        Counts are GROUP BY queries over the typed fact columns; only the chain's minutes come
        back one per row, as plain numbers, for their medians and 90th percentiles.
        """
        with self.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # Several statements: one snapshot, so the counts agree with each other.
                connection.execution_options(isolation_level="REPEATABLE READ")
            return _tally(connection, _conditions(where))

    def export_keys(self, casualty_ids: Sequence[UUID]) -> dict[UUID, str]:
        """Return each casualty's export key, drawing a random one for those without."""
        wanted = [str(c) for c in casualty_ids]
        for _attempt in range(3):
            try:
                return self._draw_keys(wanted)
            except IntegrityError:
                continue  # another export drew keys for the same casualties meanwhile
        raise RuntimeError("could not draw export keys after three attempts")

    def _draw_keys(self, wanted: list[str]) -> dict[UUID, str]:
        with self.engine.begin() as connection:
            if len(wanted) > 500:  # most of the registry: one scan beats a long IN list
                chosen = select(registry_keys)
            else:
                chosen = select(registry_keys).where(registry_keys.c.casualty_id.in_(wanted))
            known: dict[str, str] = {
                row.casualty_id: row.export_key for row in connection.execute(chosen)
            }
            drawn = {c: secrets.token_hex(8) for c in wanted if c not in known}
            if drawn:
                connection.execute(
                    insert(registry_keys),
                    [{"casualty_id": c, "export_key": k} for c, k in drawn.items()],
                )
            known.update(drawn)
            return {UUID(c): known[c] for c in wanted}
