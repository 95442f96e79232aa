"""The trauma registry's rows and export keys in SQL (``services.registry.RegistryStore``)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from goldenhour.adapters.storage.tables import registry_keys, registry_rows, units
from goldenhour.domain.trauma_registry.figures import RegistryFilter
from goldenhour.domain.trauma_registry.record import RegistryRecord

__all__ = ["SqlRegistry"]

_TIMES = (
    "injured_at", "first_event_at", "tourniquet_on_at", "tourniquet_off_at", "blood_at",
    "requested_at", "picked_up_at", "arrived_at", "surgery_at", "outcome_at", "newest_input_at",
)  # fmt: skip
_LISTS = ("mechanisms", "regions", "drug_classes")
_PLAIN = (
    "area", "population", "battle_loss", "triage_system", "triage_category", "precedence",
    "tourniquet_count", "tourniquet_minutes", "tourniquets_open", "txa", "blood_units", "outcome",
)  # fmt: skip
_COLUMNS = [registry_rows.c[name] for name in ("casualty_id", "unit_id", *_TIMES, *_LISTS, *_PLAIN)]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


_TIME_AT = range(2, 2 + len(_TIMES))
_LIST_AT = range(2 + len(_TIMES), 2 + len(_TIMES) + len(_LISTS))
_PLAIN_AT = range(2 + len(_TIMES) + len(_LISTS), len(_COLUMNS))
_parse = datetime.fromisoformat


def _record(row: Sequence[Any]) -> RegistryRecord:
    # Positional access and one dict: this runs once per row of a 100,000-row summary.
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
        with self.engine.connect() as connection:
            result = connection.execute(select(*_COLUMNS).where(*conditions))
            return [_record(row) for row in result]

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
