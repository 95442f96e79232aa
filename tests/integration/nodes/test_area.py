"""Down replication of each forward node's area (issue 15): casualties, requests and missions.

A forward node's area is the unit of its account at the rear: fwd1's is 1 Company, fwd2's is
2 Company. The rear sends each forward node the records that touch its area, in full, with
the requests and casualties they name, and every later event of them: a mission for a request
filed on fwd2 reaches fwd2; the same mission, sent to a facility of 1 Company, brings fwd1
the request and the casualty coming to it. Nothing else of another area goes down.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from harness import SKEW, Node, Pair, wait_for
from sqlalchemy import select

from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.tables import events
from goldenhour.domain.access import Principal
from goldenhour.domain.casualty.events import CasualtyRegistered
from goldenhour.domain.codec import encode_event
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    FacilityRegistered,
    MissionAssigned,
    MissionStatusChanged,
    VehicleRegistered,
)
from goldenhour.domain.operations.vocabulary import (
    Capability,
    FacilityRole,
    MissionStatus,
    Role,
    VehicleKind,
)
from goldenhour.domain.triage.categories import Precedence
from goldenhour.services.sync import submit_events

PICKUP = Position(lat=48.86, lon=38.10)


def _event(cls: type[Any], /, *, author: str, **fields: Any) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=1)
    return encode_event(
        cls(event_id=uuid4(), occurred_at=moment, recorded_at=moment, author=author,
            device=f"{author}-device", **fields)
    )  # fmt: skip


def _submit(node: Node, principal: Principal, *batch: dict[str, Any]) -> list[str]:
    results = submit_events(
        SqlEventLog(node.engine), principal, list(batch), now=datetime.now(UTC), max_skew=SKEW
    )
    assert [r.outcome.value for r in results] == ["accepted"] * len(batch), results
    return [str(r.event_id) for r in results]


def _record_ids(node: Node, stream: str, stream_id: UUID) -> list[str]:
    with node.engine.connect() as connection:
        return list(
            connection.execute(
                select(events.c.event_id).where(
                    events.c.stream == stream, events.c.stream_id == str(stream_id)
                )
            ).scalars()
        )


def _casualty_with_request(
    pair: Pair, node: str, medic: Principal, unit: UUID
) -> tuple[UUID, UUID]:
    casualty, request = uuid4(), uuid4()
    _submit(
        pair.forwards[node], medic,
        _event(CasualtyRegistered, author=medic.username, casualty_id=casualty),
        _event(EvacuationRequestFiled, author=medic.username, request_id=request, unit_id=unit,
               casualty_ids=(casualty,), pickup=PICKUP, precedence=Precedence.URGENT),
    )  # fmt: skip
    return casualty, request


def test_a_mission_assigned_at_the_rear_during_a_cut_reaches_the_forward_nodes_of_its_area(
    tmp_path: Path, rear_url: str
) -> None:
    """fwd1 cut; the rear sends fwd2's casualty to fwd1's facility; fwd1 gets it at relink."""
    pair = Pair(tmp_path, rear_url=rear_url, forwards=("fwd1", "fwd2"),
                areas={"fwd1": "company", "fwd2": "other_company"})  # fmt: skip
    try:
        pair.start_loops()
        world = pair.world
        admin = Principal(
            user_id=uuid4(), username="admin", role=Role.ADMIN, unit_id=world.brigade,
            unit_path=f"/{world.brigade}/", device="admin-laptop",
        )  # fmt: skip
        facility, vehicle = uuid4(), uuid4()
        _submit(
            pair.rear, admin,
            _event(FacilityRegistered, author="admin", facility_id=facility, name="Aid post 1",
                   role=FacilityRole.ROLE_1, capabilities=frozenset({Capability.BLOOD}),
                   position=PICKUP, unit_id=world.company),
            _event(VehicleRegistered, author="admin", vehicle_id=vehicle, call_sign="KALYNA 22",
                   vehicle_kind=VehicleKind.GROUND_AMBULANCE, unit_id=world.brigade, litter=2,
                   seated=2),
        )  # fmt: skip
        wait_for(pair._all_down, timeout=30)
        # fwd2's medic: a casualty sent on (with a request), and one staying in 2 Company.
        casualty, request = _casualty_with_request(pair, "fwd2", world.other_medic,
                                                   world.other_company)  # fmt: skip
        staying, _ = _casualty_with_request(pair, "fwd2", world.other_medic, world.other_company)
        own, _ = _casualty_with_request(pair, "fwd1", world.medic, world.company)
        wanted = set(_record_ids(pair.forwards["fwd2"], "request", request))
        pair.wait_until_rear_holds(wanted, timeout=30)
        pair.relay.cut()
        mission = uuid4()
        [assigned] = _submit(
            pair.rear, world.coordinator,
            _event(MissionAssigned, author="coordinator", mission_id=mission, vehicle_id=vehicle,
                   request_ids=(request,), destination_id=facility, unit_id=world.brigade),
        )  # fmt: skip
        during = set(pair.write_forward(10))  # fwd1 goes on writing during the cut
        # fwd2 is linked: its request's mission reaches it while fwd1 is cut off.
        wait_for(lambda: assigned in pair.forwards["fwd2"].event_ids(), timeout=30)
        time.sleep(1)
        fwd1 = pair.forwards["fwd1"]
        assert assigned not in fwd1.event_ids()
        pair.relay.restore()
        relinked = time.monotonic()
        sent_on = {
            *_record_ids(pair.rear, "casualty", casualty),
            *_record_ids(pair.rear, "request", request),
            assigned,
        }
        wait_for(lambda: sent_on <= set(fwd1.event_ids()), timeout=30)
        print(f"area: the mission and what it names on fwd1 {time.monotonic() - relinked:.2f} s"
              " after relink")  # fmt: skip
        pair.wait_until_rear_holds(during, timeout=30)
        # A later event of the mission follows it to both nodes.
        [moved] = _submit(
            pair.rear, world.coordinator,
            _event(MissionStatusChanged, author="coordinator", mission_id=mission,
                   status=MissionStatus.EN_ROUTE),
        )  # fmt: skip
        for node in pair.forwards.values():
            wait_for(lambda node=node: moved in node.event_ids(), timeout=30)  # type: ignore[misc]
        # Out of area: fwd2's other casualty stays off fwd1, fwd1's own off fwd2.
        assert not _record_ids(fwd1, "casualty", staying)
        assert not _record_ids(pair.forwards["fwd2"], "casualty", own)
        # The casualty sent towards 1 Company is filed there under 2 Company, as at the rear.
        with fwd1.engine.connect() as connection:
            scope = connection.execute(
                select(events.c.scope_unit).where(events.c.stream_id == str(casualty))
            ).scalar()
        assert scope == str(world.other_company)
        pair.check_converged()
    finally:
        pair.close()
