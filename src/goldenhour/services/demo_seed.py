"""Seeding the demo: the Bilohorivka scenario, its users, and weeks of past casualties.

``goldenhour serve --demo`` runs this over the ports the command line's wiring builds
(``cli.wiring.seed_demo``); running it again changes nothing. Every event goes through the same
ingest as a phone's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol
from uuid import UUID

from goldenhour.demo.bilohorivka import demo_id
from goldenhour.demo.scenario import (
    BATTALION,
    BRIGADE,
    COMPANY,
    DEMO_USERS,
    picture_events,
    scenario_events,
)
from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import RequestCancelled, UnitRegistered, UserRegistered
from goldenhour.domain.operations.vocabulary import Role, UnitKind
from goldenhour.domain.ports import EventLog, PasswordCheck, UserAccounts
from goldenhour.services import admin
from goldenhour.services.sync import Outcome, submit_events

__all__ = ["DEMO_MINUTES_SINCE_INJURY", "DemoHistory", "DemoPasswords", "seed_demo"]

#: The demo casualty was hit this long before the first seeding, so his tourniquet clock runs.
DEMO_MINUTES_SINCE_INJURY = 40
#: Events per transaction when seeding (a month of history is about 2,400; bigger batches
#: ingest faster: one transaction, one projection pass).
_SEED_BATCH = 5000


class DemoPasswords(PasswordCheck, Protocol):
    """Checks a demo user's stored password and hashes a new one."""

    def hash(self, password: str) -> str:
        """Return the hash to store for ``password``."""
        ...


@dataclass(frozen=True, slots=True)
class DemoHistory:
    """Past weeks of casualties for the demo: the sector they belong to and their events.

    ``events(anchor, now)`` returns them (``simulation.front_history``, which the caller
    imports: the services do not run the simulation themselves).
    """

    sector: UUID
    events: Callable[[datetime, datetime], Sequence[DomainEvent]]


def _anchor(log: EventLog) -> datetime:
    # Re-running the demo rebuilds the same events from the same anchor: all duplicates.
    with log.writer() as writer:
        stored = writer.find(demo_id("event/bilohorivka-1/registered"))
    if stored is not None and stored.payload.get("injured_at"):
        return datetime.fromisoformat(stored.payload["injured_at"])
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=DEMO_MINUTES_SINCE_INJURY)


def seed_demo(
    log: EventLog, accounts: UserAccounts, passwords: DemoPasswords, password: str, *,
    history: DemoHistory | None = None,
) -> None:  # fmt: skip
    """Store the demo scenario and users, all with ``password``; running it again changes nothing.

    The ``history`` of past casualties goes in first, through the same ingest as a phone's, so
    the registry has a past (GOLDENHOUR_DEMO_HISTORY_WEEKS).
    """
    now = datetime.now(UTC)
    anchor = _anchor(log)
    picture = picture_events(anchor)
    admin.submit_as_system(log, picture, now=now)
    for user in DEMO_USERS:
        existing = accounts.by_name(user.username)
        if existing is None:
            event = UserRegistered(
                event_id=demo_id(f"event/user/{user.username}"), occurred_at=now, recorded_at=now,
                author="system", device="goldenhour-cli", user_id=user.user_id,
                username=user.username, role=user.role, unit_id=user.unit_id,
                password_hash=passwords.hash(password), facility_id=user.facility_id,
            )  # fmt: skip
            admin.submit_as_system(log, [event], now=now)
        elif not passwords.verify(existing.password_hash, password):
            admin.change_password(
                log, user_id=existing.user_id, password_hash=passwords.hash(password), now=now
            )
    medic = Principal(
        user_id=demo_id("user/medic"), username="medic", role=Role.MEDIC, unit_id=COMPANY,
        unit_path=f"/{BRIGADE}/{BATTALION}/{COMPANY}/", device="demo-phone-01",
        attribution=Attribution.AS_GIVEN,  # the scenario names its own authors
    )  # fmt: skip
    rest = [event for event in scenario_events(anchor) if event not in picture]
    batches: list[tuple[Principal, Sequence[DomainEvent]]] = []
    if history is not None:
        batches += _history_batches(log, anchor=anchor, now=now, history=history)
    for author, batch in [*batches, (medic, rest)]:
        results = submit_events(
            log, author, [encode_event(e) for e in batch], now=now, max_skew=timedelta(minutes=5)
        )
        refused = [r for r in results if r.outcome not in (Outcome.ACCEPTED, Outcome.DUPLICATE)]
        if refused:
            raise admin.AdminError(f"demo scenario refused: {refused[0]}")


def _history_batches(
    log: EventLog, *, anchor: datetime, now: datetime, history: DemoHistory
) -> list[tuple[Principal, Sequence[DomainEvent]]]:
    """Return the past weeks' casualties, in batches, with the medic of their sector.

    They belong to a sector of their own under the brigade (the brigade's analyst and admin
    see them; the demo's battalion, company and phones do not, so the live demo stays as it
    was), and their handovers name the facility's level, not a facility's record (a facility
    user would otherwise find a month of arrivals in the live queue).
    """
    sector = history.sector
    unit = UnitRegistered(
        event_id=demo_id("event/unit/history-battalion"), occurred_at=anchor - timedelta(days=60),
        recorded_at=anchor - timedelta(days=60), author="system", device="goldenhour-cli",
        unit_id=sector, name="2nd battalion (past weeks)", unit_kind=UnitKind.BATTALION,
        parent_id=BRIGADE,
    )  # fmt: skip
    admin.submit_as_system(log, [unit], now=now)
    medic = Principal(
        user_id=demo_id("user/history-medic"), username="medic", role=Role.MEDIC, unit_id=sector,
        unit_path=f"/{BRIGADE}/{sector}/", device="demo-phone-01",
        attribution=Attribution.AS_GIVEN,  # the history names its own authors
    )  # fmt: skip
    # A request is closed by a coordinator of the sector, after every card and request is in.
    coordinator = replace(
        medic, user_id=demo_id("user/history-coordinator"), username="coordinator",
        role=Role.COORDINATOR, device="demo-laptop",
    )  # fmt: skip
    events = history.events(anchor, now)
    past = [e for e in events if not isinstance(e, RequestCancelled)]
    closings = [e for e in events if isinstance(e, RequestCancelled)]
    last = (closings or past)[-1:]
    with log.writer() as writer:  # batches commit in order: the last event stored, all are
        if last and writer.find(last[0].event_id) is not None:
            return []
    return [(medic, past[i : i + _SEED_BATCH]) for i in range(0, len(past), _SEED_BATCH)] + [
        (coordinator, closings[i : i + _SEED_BATCH]) for i in range(0, len(closings), _SEED_BATCH)
    ]
