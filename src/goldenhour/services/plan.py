"""The live plan: gather the situation the caller may see, audit it, and run the planner on it.

The casualties waiting for evacuation are read in one query, as the facts stored with their
cards when they last changed (nothing is folded again), and their reading is audited as one
entry, as the casualty list is. Of the requests and missions only the open ones are read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from goldenhour.domain.access import Principal
from goldenhour.domain.errors import GoldenHourError
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import AuditRecorder, RecordReader
from goldenhour.planning.live_situation import (
    ACTIVE_MISSION_STATUSES,
    OPEN_REQUEST_STATUSES,
    LivePicture,
)
from goldenhour.services.audit import read_entry
from goldenhour.services.cards import audit_many
from goldenhour.services.live_plan import ServerPlan, live_plan

__all__ = ["MAX_CASUALTIES", "PLANNING_ROLES", "NotADispatcher", "current_plan", "live_situation"]

#: The roles that dispatch vehicles, and so get the plan.
PLANNING_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})
#: Most waiting casualties one plan reads (the newest changes first).
MAX_CASUALTIES = 10_000


class NotADispatcher(GoldenHourError, PermissionError):
    """The caller's role does not dispatch vehicles: only coordinators and administrators do."""

    def __init__(self) -> None:
        self.field = "role"
        self.reason = "the plan is for coordinators and administrators"
        super().__init__(f"{self.field}: {self.reason}")


def live_situation(
    records: RecordReader, audits: AuditRecorder, principal: Principal, *, now: datetime
) -> LivePicture:
    """Return what the planner needs, as the principal may see it: casualties, vehicles, places.

    Raises ``NotADispatcher`` (after auditing ``denied_plan``) unless the principal's role
    plans; the waiting casualties read are audited as one ``plan`` entry.
    """
    if principal.role not in PLANNING_ROLES:
        audits.record(
            read_entry(
                principal, target_kind="plan", target_id="plan", action="denied_plan", at=now
            )
        )
        raise NotADispatcher()
    casualties = records.waiting_casualties(principal, limit=MAX_CASUALTIES)
    if casualties:
        ids = [str(c.casualty_id) for c in casualties]
        audit_many(audits, principal, ids, "plan", now=now)

    def states(stream: str, statuses: frozenset[str] | None = None) -> list[dict[str, Any]]:
        return records.list_streams(principal, stream, statuses=statuses)

    missions = states("mission", ACTIVE_MISSION_STATUSES)
    requests = states("request", OPEN_REQUEST_STATUSES)
    # A mission still under way serves requests that may be served already (their casualties
    # handed over before the crew reports it): the plan places its vehicle by them.
    served = {str(r) for mission in missions for r in mission.get("request_ids") or ()}
    served -= {str(request["id"]) for request in requests}
    if served:
        requests += records.list_streams(principal, "request", ids=served)
    return LivePicture(
        casualties=casualties, vehicles=states("vehicle"), facilities=states("facility"),
        points=states("point"), threats=states("threat"), requests=requests, missions=missions,
    )  # fmt: skip


def current_plan(
    records: RecordReader, audits: AuditRecorder, principal: Principal, *, now: datetime,
    immediate_floor: float, deadline_ms: float | None,
) -> ServerPlan:  # fmt: skip
    """Return the optimiser's plan for the live situation the principal may see (see above),
    within ``deadline_ms`` of wall-clock time (``None``: the solver's deterministic limit only)."""
    situation = live_situation(records, audits, principal, now=now)
    return live_plan(situation, now=now, immediate_floor=immediate_floor, deadline_ms=deadline_ms)
