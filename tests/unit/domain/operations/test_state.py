"""An operational stream's state is folded from its events, in the order they happened."""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    RequestAcknowledged,
    RequestRedirected,
    UserPasswordChanged,
    UserRegistered,
    VehiclePositionReported,
    VehicleRegistered,
)
from goldenhour.domain.operations.state import can_continue, fold_stream
from goldenhour.domain.operations.vocabulary import Role, VehicleKind
from goldenhour.domain.triage.categories import Precedence

from builders import at

UNIT, VEHICLE, REQUEST = uuid4(), uuid4(), uuid4()
HERE, THERE = Position(lat=48.9172, lon=38.2297), Position(lat=48.8706, lon=38.1268)


def envelope(minute: float) -> dict[str, object]:
    return {"event_id": uuid4(), "occurred_at": at(minute), "recorded_at": at(minute),
            "author": "coordinator", "device": "laptop"}  # fmt: skip


REGISTERED = VehicleRegistered(**envelope(0), vehicle_id=VEHICLE, call_sign="KALYNA 21",  # type: ignore[arg-type]
                               vehicle_kind=VehicleKind.GROUND_AMBULANCE, unit_id=UNIT, litter=2,
                               seated=2)  # fmt: skip
MOVED = VehiclePositionReported(**envelope(5), vehicle_id=VEHICLE, position=HERE)  # type: ignore[arg-type]
MOVED_AGAIN = VehiclePositionReported(**envelope(9), vehicle_id=VEHICLE, position=THERE)  # type: ignore[arg-type]


def test_the_latest_position_wins_whatever_the_arrival_order() -> None:
    assert fold_stream([MOVED_AGAIN, REGISTERED, MOVED]) == fold_stream(
        [REGISTERED, MOVED, MOVED_AGAIN]
    )
    assert fold_stream([MOVED_AGAIN, MOVED, REGISTERED])["position"] == {
        "lat": 48.8706,
        "lon": 38.1268,
    }


def test_continuing_from_a_state_equals_folding_everything_for_a_later_event() -> None:
    state = fold_stream([REGISTERED, MOVED])
    assert can_continue(state, MOVED_AGAIN)
    assert fold_stream([MOVED_AGAIN], state=state) == fold_stream([REGISTERED, MOVED, MOVED_AGAIN])


def test_an_earlier_or_correcting_event_needs_the_whole_stream() -> None:
    state = fold_stream([REGISTERED, MOVED_AGAIN])
    assert not can_continue(state, MOVED)
    correction = replace(MOVED_AGAIN, event_id=uuid4(), occurred_at=at(20), recorded_at=at(20),
                         supersedes=MOVED_AGAIN.event_id)  # fmt: skip
    assert not can_continue(state, correction)


def test_a_correction_replaces_the_event_it_supersedes() -> None:
    correction = replace(MOVED, event_id=uuid4(), position=THERE, supersedes=MOVED.event_id)
    assert fold_stream([REGISTERED, MOVED, correction])["position"] == {
        "lat": 48.8706,
        "lon": 38.1268,
    }


def test_a_request_shows_its_acknowledgement_eta_and_redirect() -> None:
    filed = EvacuationRequestFiled(**envelope(0), request_id=REQUEST, unit_id=UNIT,  # type: ignore[arg-type]
                                   casualty_ids=(uuid4(),), pickup=HERE,
                                   precedence=Precedence.URGENT_SURGICAL)  # fmt: skip
    acknowledged = RequestAcknowledged(**envelope(3), request_id=REQUEST, eta=at(40))  # type: ignore[arg-type]
    redirected = RequestRedirected(
        **envelope(6), request_id=REQUEST, pickup=THERE, reason="shelling"
    )  # type: ignore[arg-type]
    state = fold_stream([redirected, filed, acknowledged])
    assert (state["status"], state["eta"], state["pickup"]) == (
        "acknowledged", at(40).isoformat(), {"lat": 48.8706, "lon": 38.1268},
    )  # fmt: skip
    assert state["redirects"][0]["reason"] == "shelling"


def test_a_user_state_never_holds_the_password_hash() -> None:
    user = uuid4()
    events = [
        UserRegistered(**envelope(0), user_id=user, username="medic", role=Role.MEDIC,  # type: ignore[arg-type]
                       unit_id=UNIT, password_hash="$argon2id$secret"),
        UserPasswordChanged(**envelope(5), user_id=user, password_hash="$argon2id$other"),  # type: ignore[arg-type]
    ]  # fmt: skip
    assert "argon2" not in str(fold_stream(events))
