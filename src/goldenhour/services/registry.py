"""The trauma registry's use cases: its figures and its de-identified export, audited.

Only analysts and administrators reach the registry. An analyst sees the casualties of their
own unit subtree, as aggregates with cells under 5 suppressed, and the de-identified export;
never a card or a name. An administrator sees every figure of every unit. Every query, granted
or refused, is audited with its filter. Definitions are in docs/registry.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from goldenhour.domain.access import Principal
from goldenhour.domain.errors import GoldenHourError, ValidationError
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import AuditRecorder, UserAccounts
from goldenhour.domain.trauma_registry.deidentify import EXPORT_COLUMNS, export_line
from goldenhour.domain.trauma_registry.figures import (
    RegistryFilter,
    RegistrySummary,
    RegistryTally,
    summarise,
    summarise_tally,
)
from goldenhour.domain.trauma_registry.record import RegistryRecord
from goldenhour.domain.trauma_registry.suppression import SMALL_CELL, suppress_small_cells
from goldenhour.services.audit import read_entry

__all__ = [
    "EXPORT_COLUMNS", "NotARegistryReader", "RegistryQuery", "RegistryStore",
    "RegistryTallies", "RegistryUnitNotFound", "acting_as",
    "registry_export", "registry_summary", "summary_json",
]  # fmt: skip

_POPULATIONS = ("military", "civilian")
#: A 10 km MGRS square or a prefix of one: the API's pattern for ``area``, in the same words.
_AREA = re.compile("[0-9A-Za-z]{1,7}")


class NotARegistryReader(GoldenHourError, PermissionError):
    """The caller's role does not read the registry: only analysts and administrators do."""

    def __init__(self) -> None:
        self.field = "role"
        self.reason = "the registry is for analysts and administrators"
        super().__init__(f"{self.field}: {self.reason}")


class RegistryUnitNotFound(GoldenHourError, LookupError):
    """No such unit, or one outside the caller's: the two are not told apart."""

    def __init__(self, unit_id: UUID) -> None:
        self.field = "unit"
        self.reason = f"no unit {unit_id} that you may see"
        super().__init__(f"{self.field}: {self.reason}")


class RegistryStore(Protocol):
    """The registry's rows and the export's keys, as the storage keeps them."""

    def unit_subtree(self, unit_id: UUID) -> frozenset[UUID] | None:
        """Return the ids of a unit and every unit below it; ``None`` for an unknown unit."""
        ...

    def rows(self, where: RegistryFilter) -> list[RegistryRecord]:
        """Return the registry rows ``where`` selects."""
        ...

    def export_keys(self, casualty_ids: Sequence[UUID]) -> dict[UUID, str]:
        """Return each casualty's export key, drawing (and keeping) one for those without."""
        ...


@runtime_checkable
class RegistryTallies(Protocol):
    """A store that counts the rows by their facts itself (in SQL): the fast summary."""

    def tally(self, where: RegistryFilter) -> RegistryTally:
        """Return the rows ``where`` selects counted as ``figures.tally_records`` counts them."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryQuery:
    """A registry query's filter as the caller gave it (``None``: not filtered on)."""

    since: datetime | None = None
    until: datetime | None = None
    unit_id: UUID | None = None
    area: str | None = None
    population: str | None = None

    def detail(self) -> str:
        """Return the filter as the audit chain records it."""
        given = {k: str(v) for k, v in asdict(self).items() if v is not None}
        return json.dumps(given, sort_keys=True)


def acting_as(accounts: UserAccounts, username: str | None, *, device: str) -> Principal:
    """Return who a command-line query runs as: a named user, or the system (an administrator).

    Naming the analyst shows on the command line exactly what the analyst sees in the app.
    """
    from goldenhour.services.admin import SYSTEM

    if username is None:
        return SYSTEM
    account = accounts.by_name(username)
    if account is None or account.disabled:
        raise ValidationError("--as-user", f"no active user named {username!r}")
    return Principal(
        user_id=account.user_id, username=account.username, role=account.role,
        unit_id=account.unit_id, unit_path="", device=device, facility_id=account.facility_id,
    )  # fmt: skip


def _check(query: RegistryQuery) -> None:
    if query.population is not None and query.population not in _POPULATIONS:
        raise ValidationError(
            "population", f"found {query.population!r}; allowed: military, civilian"
        )
    if query.since is not None and query.until is not None and query.since >= query.until:
        raise ValidationError("until", "the end of the time range must be after its start")
    for name in ("since", "until"):
        moment = getattr(query, name)
        if moment is not None and moment.utcoffset() is None:
            raise ValidationError(name, "give a time with its zone, e.g. 2026-11-02T00:00Z")
    if query.area is not None and not _AREA.fullmatch(query.area):
        raise ValidationError(
            "area", f"found {query.area!r}; allowed: a 10 km MGRS square such as 37UDQ08, or a "
            "prefix of one (37UDQ, 37U)",
        )  # fmt: skip


def _filter(store: RegistryStore, principal: Principal, query: RegistryQuery) -> RegistryFilter:
    units: frozenset[UUID] | None = None
    if principal.role is not Role.ADMIN:
        units = store.unit_subtree(principal.unit_id) or frozenset()
    if query.unit_id is not None:
        asked = store.unit_subtree(query.unit_id)
        if asked is None or (units is not None and query.unit_id not in units):
            # An unknown unit and a unit outside the caller's own are told apart for no one.
            raise RegistryUnitNotFound(query.unit_id)
        units = asked if units is None else asked & units
    return RegistryFilter(
        since=query.since, until=query.until, unit_ids=units,
        area=query.area.upper() if query.area else None, population=query.population,
    )  # fmt: skip


def _authorise(
    audits: AuditRecorder, principal: Principal, query: RegistryQuery, *, action: str,
    now: datetime,
) -> None:  # fmt: skip
    allowed = principal.role in (Role.ANALYST, Role.ADMIN)
    audits.record(
        read_entry(
            principal,
            target_kind="registry",
            target_id=action,
            action="registry_query" if allowed else "denied_registry_query",
            detail=query.detail(),
            at=now,
        )  # fmt: skip
    )
    if not allowed:
        raise NotARegistryReader


def registry_summary(
    store: RegistryStore, audits: AuditRecorder, principal: Principal, query: RegistryQuery, *,
    now: datetime,
) -> RegistrySummary:  # fmt: skip
    """Return the registry's figures over the rows the query selects, audited.

    The analyst's figures have cells under 5 casualties suppressed; the administrator's do not.
    """
    _check(query)
    _authorise(audits, principal, query, action="summary", now=now)
    where = _filter(store, principal, query)
    if isinstance(store, RegistryTallies):
        summary = summarise_tally(store.tally(where), now=now)
    else:
        summary = summarise(store.rows(where), now=now)
    if principal.role is Role.ANALYST:
        return suppress_small_cells(summary, SMALL_CELL)
    return summary


def registry_export(
    store: RegistryStore, audits: AuditRecorder, principal: Principal, query: RegistryQuery, *,
    now: datetime,
) -> list[dict[str, str]]:  # fmt: skip
    """Return the de-identified lines of the rows the query selects, audited.

    Lines are ordered by their random key, so their order tells nothing of the records'.
    """
    _check(query)
    _authorise(audits, principal, query, action="export", now=now)
    rows = store.rows(_filter(store, principal, query))
    keys = store.export_keys([row.casualty_id for row in rows])
    lines = [export_line(row, keys[row.casualty_id]) for row in rows]
    return sorted(lines, key=lambda line: line["key"])


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def summary_json(summary: RegistrySummary) -> dict[str, Any]:
    """Return the summary JSON-ready, each figure with the age of its newest input in seconds."""
    plain: dict[str, Any] = _plain(summary)

    def age(figure: dict[str, Any]) -> None:
        newest = figure.get("newest_input_at")
        figure["newest_input_age_s"] = (
            None if newest is None
            else round((summary.now - datetime.fromisoformat(newest)).total_seconds())
        )  # fmt: skip

    age(plain)
    for name in ("cfr", "pct_kia", "pct_dow", "tourniquet_over_2h", "over_triage",
                 "under_triage"):  # fmt: skip
        age(plain[name])
    for step in plain["chain"]:
        age(step)
    for week in plain["per_week"].values():
        for rate in week.values():
            age(rate)
    return plain
