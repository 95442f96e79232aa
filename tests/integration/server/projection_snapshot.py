"""Every projection table of a database as sorted rows, so two states compare with ``==``."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from goldenhour.adapters.storage.tables import PROJECTIONS

#: Table name -> its rows, each a dict of column -> value, in a stable order.
Snapshot = dict[str, list[dict[str, Any]]]

#: Columns that record when, and in which order, a row was last written: the log position and
#: receive time of its last event, the position of a facility link's first event, and the time
#: the registry's row got its newest input.
ARRIVAL_COLUMNS = frozenset({"updated_seq", "updated_at", "since_seq", "newest_input_at"})


def _without_receive_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_receive_times(v) for k, v in value.items() if k != "received_at"}
    if isinstance(value, list):
        return [_without_receive_times(item) for item in value]
    return value


def _row(mapping: Any, *, ignore_arrival: bool) -> dict[str, Any]:
    row = dict(mapping)
    if not ignore_arrival:
        return row
    row = {name: value for name, value in row.items() if name not in ARRIVAL_COLUMNS}
    if "card" in row:
        # A card lists the events it was folded from, each with the time the server got it.
        row["card"] = _without_receive_times(json.loads(row["card"]))
    return row


def _sort_key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def projection_snapshot(engine: Engine, *, ignore_arrival: bool = False) -> Snapshot:
    """Return every projection table's rows, sorted.

    With ``ignore_arrival``, leave out what records when and in which order the events arrived
    (``ARRIVAL_COLUMNS``, and each event's ``received_at`` inside a casualty card, which is then
    parsed from its JSON): what is left must not depend on the order devices synced in.
    """
    with engine.connect() as connection:
        return {
            table.name: sorted(
                (
                    _row(row._mapping, ignore_arrival=ignore_arrival)
                    for row in connection.execute(select(table))
                ),
                key=_sort_key,
            )
            for table in PROJECTIONS
        }
