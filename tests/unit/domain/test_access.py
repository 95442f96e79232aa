"""Who may see and write what: roles by kind, units by subtree or chain, facilities by link."""

from __future__ import annotations

from uuid import uuid4

import pytest

from goldenhour.domain.access import Principal, can_read_stream, can_write_kind
from goldenhour.domain.operations.vocabulary import Role

BRIGADE, BATTALION, COMPANY, OTHER = "/b/", "/b/bn/", "/b/bn/coy/", "/b/bn2/coy2/"
FACILITY = uuid4()


def person(role: Role, unit_path: str, facility: object = None) -> Principal:
    return Principal(
        user_id=uuid4(), username=role.value, role=role, unit_id=uuid4(), unit_path=unit_path,
        device="d", facility_id=facility,  # type: ignore[arg-type]
    )  # fmt: skip


MEDIC = person(Role.MEDIC, COMPANY)
COORDINATOR = person(Role.COORDINATOR, BATTALION)
SURGEON = person(Role.FACILITY, "/b/med/", FACILITY)
ANALYST = person(Role.ANALYST, BRIGADE)
ADMIN = person(Role.ADMIN, BRIGADE)


@pytest.mark.parametrize(
    ("who", "scope", "links", "visible"),
    [
        (MEDIC, COMPANY, frozenset(), True),
        (MEDIC, BATTALION, frozenset(), False),
        (MEDIC, OTHER, frozenset(), False),
        (COORDINATOR, COMPANY, frozenset(), True),
        (COORDINATOR, OTHER, frozenset(), False),
        (SURGEON, COMPANY, frozenset(), False),
        (SURGEON, "/b/med/", frozenset(), True),
        (SURGEON, COMPANY, frozenset({FACILITY}), True),
        (SURGEON, COMPANY, frozenset({uuid4()}), False),
        (ANALYST, COMPANY, frozenset(), False),
        (ADMIN, OTHER, frozenset(), True),
    ],
)
def test_casualty_records_are_seen_by_unit_subtree_or_facility_link(
    who: Principal, scope: str, links: frozenset[object], visible: bool
) -> None:
    assert can_read_stream(who, stream="casualty", scope_path=scope, facility_ids=links) is visible  # type: ignore[arg-type]


def test_threats_drawn_above_are_seen_below_but_not_by_other_battalions() -> None:
    assert can_read_stream(MEDIC, stream="threat", scope_path=BATTALION)
    assert can_read_stream(MEDIC, stream="threat", scope_path=BRIGADE)
    assert not can_read_stream(MEDIC, stream="threat", scope_path=OTHER)


def test_user_accounts_are_for_administrators_only() -> None:
    assert not can_read_stream(COORDINATOR, stream="user", scope_path=BATTALION)
    assert can_read_stream(ADMIN, stream="user", scope_path=OTHER)


def test_the_analyst_sees_the_picture_but_no_request_naming_casualties() -> None:
    assert can_read_stream(ANALYST, stream="vehicle", scope_path=COMPANY)
    assert not can_read_stream(ANALYST, stream="request", scope_path=COMPANY)


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (Role.MEDIC, "tourniquet_applied", True),
        (Role.MEDIC, "evacuation_request_filed", True),
        (Role.MEDIC, "mission_assigned", False),
        (Role.MEDIC, "user_registered", False),
        (Role.COORDINATOR, "mission_assigned", True),
        (Role.COORDINATOR, "threat_area_drawn", True),
        (Role.COORDINATOR, "unit_registered", False),
        (Role.FACILITY, "handed_over", True),
        (Role.FACILITY, "tourniquet_applied", True),
        (Role.FACILITY, "evacuation_request_filed", True),
        (Role.FACILITY, "mission_assigned", False),
        (Role.FACILITY, "facility_capacity_reported", True),
        (Role.ANALYST, "note_added", False),
        (Role.ADMIN, "user_registered", True),
    ],
)
def test_each_role_writes_only_the_events_of_its_work(role: Role, kind: str, allowed: bool) -> None:
    assert can_write_kind(role, kind) is allowed
