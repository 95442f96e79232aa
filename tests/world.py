"""A small world for tests of the log and the services: two companies, a medic, a coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from goldenhour.adapters.memory import PlainPasswords
from goldenhour.domain.access import Principal
from goldenhour.domain.operations.vocabulary import Role, UnitKind
from goldenhour.domain.ports import EventLog
from goldenhour.services.admin import add_user, register_unit

#: When the world was set up (events of the tests come later).
SET_UP_AT = datetime(2022, 6, 14, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True, slots=True, kw_only=True)
class World:
    """The units and users set up by ``seed``, with principals to act as."""

    brigade: UUID
    company: UUID
    other_company: UUID
    medic: Principal
    other_medic: Principal
    coordinator: Principal


def seed(log: EventLog) -> World:
    """Register a brigade with two companies, a medic in each and a coordinator in the brigade."""
    brigade = register_unit(
        log, name="Brigade", kind=UnitKind.BRIGADE, parent_id=None, now=SET_UP_AT
    )
    company = register_unit(
        log, name="1 Company", kind=UnitKind.COMPANY, parent_id=brigade, now=SET_UP_AT
    )
    other = register_unit(
        log, name="2 Company", kind=UnitKind.COMPANY, parent_id=brigade, now=SET_UP_AT
    )

    def user(name: str, role: Role, unit: UUID, path: str) -> Principal:
        user_id = add_user(
            log, username=name, password_hash=PlainPasswords.hash(PASSWORD), role=role,
            unit_id=unit, now=SET_UP_AT,
        )  # fmt: skip
        return Principal(
            user_id=user_id, username=name, role=role, unit_id=unit, unit_path=path,
            device=f"{name}-phone",
        )  # fmt: skip

    return World(
        brigade=brigade, company=company, other_company=other,
        medic=user("medic", Role.MEDIC, company, f"/{brigade}/{company}/"),
        other_medic=user("medic2", Role.MEDIC, other, f"/{brigade}/{other}/"),
        coordinator=user("coordinator", Role.COORDINATOR, brigade, f"/{brigade}/"),
    )  # fmt: skip
