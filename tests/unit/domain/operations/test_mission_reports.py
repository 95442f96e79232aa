"""A crew's reports move its mission on, and the mission's ETAs follow them."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.operations.events import MissionAssigned, MissionStatusChanged
from goldenhour.domain.operations.state import fold_stream
from goldenhour.domain.operations.vocabulary import MissionStatus

from builders import at

MISSION = uuid4()


def envelope(minute: float) -> dict[str, Any]:
    return {"event_id": uuid4(), "occurred_at": at(minute), "recorded_at": at(minute),
            "author": "crew", "device": "crew-phone"}  # fmt: skip


ASSIGNED = MissionAssigned(
    **envelope(0), mission_id=MISSION, vehicle_id=uuid4(), request_ids=(uuid4(),),
    destination_id=uuid4(), unit_id=uuid4(), eta_pickup=at(20), eta_destination=at(75),
)  # fmt: skip


def report(minute: float, status: MissionStatus, **fields: Any) -> MissionStatusChanged:
    return MissionStatusChanged(**envelope(minute), mission_id=MISSION, status=status, **fields)


def test_leaving_late_moves_both_etas_by_the_delay() -> None:
    state = fold_stream([ASSIGNED, report(10, MissionStatus.EN_ROUTE)])
    assert (state["status"], state["eta_pickup"], state["eta_destination"]) == (
        "en_route",
        at(30).isoformat(),
        at(85).isoformat(),
    )
    assert state["planned_eta_destination"] == at(75).isoformat()


def test_loaded_later_than_planned_the_facility_is_due_a_planned_leg_after_loading() -> None:
    events = [ASSIGNED, report(2, MissionStatus.EN_ROUTE), report(31, MissionStatus.AT_PICKUP),
              report(40, MissionStatus.PICKED_UP)]  # fmt: skip
    state = fold_stream(events)
    # The planned leg from pickup to facility is 55 minutes.
    assert (state["status"], state["eta_destination"]) == ("picked_up", at(95).isoformat())
    assert state["eta_pickup"] == at(31).isoformat()


def test_at_the_facility_the_eta_is_the_arrival() -> None:
    events = [ASSIGNED, report(40, MissionStatus.PICKED_UP), report(90, MissionStatus.AT_FACILITY)]
    state = fold_stream(events)
    assert (state["status"], state["eta_destination"]) == ("at_facility", at(90).isoformat())


def test_a_loaded_report_keeps_which_casualties_are_on_board() -> None:
    aboard = (uuid4(), uuid4())
    state = fold_stream([ASSIGNED, report(30, MissionStatus.PICKED_UP, casualty_ids=aboard)])
    assert state["loaded_casualty_ids"] == [str(c) for c in aboard]


@pytest.mark.parametrize(
    ("status", "casualties"),
    [(MissionStatus.EN_ROUTE, (uuid4(),)), (MissionStatus.PICKED_UP, ())],
)
def test_casualties_are_named_only_by_a_loaded_report_and_never_as_an_empty_list(
    status: MissionStatus, casualties: tuple[Any, ...]
) -> None:
    with pytest.raises(InvalidEventError) as raised:
        report(30, status, casualty_ids=casualties)
    assert raised.value.field == "casualty_ids"


def test_a_mission_without_etas_still_follows_its_reports() -> None:
    bare = MissionAssigned(
        **envelope(0), mission_id=MISSION, vehicle_id=uuid4(), request_ids=(uuid4(),),
        destination_id=uuid4(), unit_id=uuid4(),
    )  # fmt: skip
    state = fold_stream(
        [bare, report(5, MissionStatus.EN_ROUTE), report(20, MissionStatus.PICKED_UP)]
    )
    assert (state["status"], state["eta_destination"]) == ("picked_up", None)
