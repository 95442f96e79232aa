"""Each operational stream's folded state is exactly what its typed record says it is."""

from __future__ import annotations

import typing
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from uuid import uuid4

import pytest
from pydantic import BaseModel

from goldenhour.api import read_models
from goldenhour.domain.codec import decode_event
from goldenhour.domain.operations import state as states
from goldenhour.domain.operations.events import OPERATION_EVENT_TYPES
from goldenhour.domain.operations.state import fold_stream

UNIT, FACILITY, REQUEST, CASUALTY = (str(uuid4()) for _ in range(4))
HERE = {"lat": 48.9172, "lon": 38.2297}
_MINUTE = count(10)


def _event(kind: str, **fields: Any) -> Any:
    moment = (datetime(2022, 6, 14, 12, tzinfo=UTC) + timedelta(minutes=next(_MINUTE))).isoformat()
    return decode_event({"kind": kind, "event_id": str(uuid4()), "occurred_at": moment,
                         "recorded_at": moment, "author": "coordinator", "device": "laptop",
                         **fields})  # fmt: skip


def _streams() -> dict[str, list[Any]]:
    vehicle, point, area, mission, user = (str(uuid4()) for _ in range(5))
    figures = dict.fromkeys(
        ("beds_free", "icu_beds_free", "ward_beds_free", "operating_tables_free",
         "surgical_teams_free", "blood_whole_units", "blood_red_cells_units",
         "blood_plasma_units", "blood_platelets_units"),
        1,
    )  # fmt: skip
    return {
        "unit": [_event("unit_registered", unit_id=UNIT, name="1 Bn", unit_kind="battalion")],
        "user": [
            _event(
                "user_registered",
                user_id=user,
                username="medic",
                role="medic",
                unit_id=UNIT,
                password_hash="x",
            ),
            _event("user_password_changed", user_id=user, password_hash="y"),
            _event("user_reassigned", user_id=user, role="coordinator", unit_id=UNIT),
            _event("user_disabled", user_id=user, reason="left"),
        ],  # fmt: skip
        "vehicle": [
            _event(
                "vehicle_registered",
                vehicle_id=vehicle,
                call_sign="K21",
                vehicle_kind="ground_ambulance",
                unit_id=UNIT,
                litter=2,
                seated=2,
                base=HERE,
            ),
            _event(
                "vehicle_position_reported",
                vehicle_id=vehicle,
                position=HERE,
                heading_deg=90,
                speed_kmh=40.5,
            ),
            _event("vehicle_status_changed", vehicle_id=vehicle, status="en_route"),
        ],  # fmt: skip
        "facility": [
            _event(
                "facility_registered",
                facility_id=FACILITY,
                name="R2",
                role="role_2",
                capabilities=["surgery"],
                position=HERE,
                unit_id=UNIT,
            ),
            _event(
                "facility_capacity_reported", facility_id=FACILITY, specialties=["burns"], **figures
            ),
            _event(
                "facility_status_reported",
                facility_id=FACILITY,
                status="diverting",
                reason="CT down",
            ),
        ],  # fmt: skip
        "point": [
            _event(
                "point_registered",
                point_id=point,
                point_kind="pickup",
                name="P1",
                position=HERE,
                unit_id=UNIT,
                notes="guarded",
            )
        ],  # fmt: skip
        "threat": [
            _event(
                "threat_area_drawn",
                area_id=area,
                threat_kind="shelling",
                unit_id=UNIT,
                starts_at="2022-06-14T12:00:00+00:00",
                polygon=[HERE, {"lat": 48.92, "lon": 38.23}, {"lat": 48.93, "lon": 38.22}],
            ),
            _event("threat_area_withdrawn", area_id=area),
        ],  # fmt: skip
        "request": [
            _event(
                "evacuation_request_filed",
                request_id=REQUEST,
                unit_id=UNIT,
                casualty_ids=[CASUALTY],
                pickup=HERE,
                precedence="A",
                nine_line="LINE 1",
            ),
            _event("request_acknowledged", request_id=REQUEST, eta="2022-06-14T13:30:00+00:00"),
            _event(
                "request_redirected",
                request_id=REQUEST,
                pickup=HERE,
                pickup_point_id=point,
                reason="shelling",
            ),
            _event("request_cancelled", request_id=REQUEST, reason="walked out"),
        ],  # fmt: skip
        "mission": [
            _event(
                "mission_assigned",
                mission_id=mission,
                vehicle_id=vehicle,
                request_ids=[REQUEST],
                destination_id=FACILITY,
                unit_id=UNIT,
                eta_pickup="2022-06-14T13:00:00+00:00",
            ),
            _event(
                "mission_status_changed", mission_id=mission, status="en_route", reason="on the way"
            ),
            _event(
                "mission_status_changed",
                mission_id=mission,
                status="picked_up",
                casualty_ids=[CASUALTY],
            ),
        ],  # fmt: skip
    }


STATES = {"unit": states.UnitState, "user": states.UserState, "vehicle": states.VehicleState,
          "facility": states.FacilityState, "point": states.PointState,
          "threat": states.ThreatState, "request": states.RequestState,
          "mission": states.MissionState}  # fmt: skip
RECORDS: dict[str, type[BaseModel]] = {
    "unit": read_models.UnitRecord, "vehicle": read_models.VehicleRecord,
    "facility": read_models.FacilityRecord, "point": read_models.PointRecord,
    "threat": read_models.ThreatRecord, "request": read_models.RequestRecord,
    "mission": read_models.MissionRecord,
}  # fmt: skip


def test_every_operational_event_kind_is_folded_here() -> None:
    folded = {event.kind for events in _streams().values() for event in events}
    assert folded == set(OPERATION_EVENT_TYPES)


#: Keys storage keeps on a state from other streams' events (a request's mission's status).
KEPT_BY_STORAGE = {"request": {"mission_status"}}


@pytest.mark.parametrize("stream", sorted(STATES))
def test_a_stream_folded_through_every_event_has_exactly_its_states_keys(stream: str) -> None:
    state = fold_stream(_streams()[stream])
    kept = KEPT_BY_STORAGE.get(stream, set())
    assert set(state) == set(typing.get_type_hints(STATES[stream])) - kept


@pytest.mark.parametrize("stream", sorted(RECORDS))
def test_a_folded_record_is_served_unchanged_by_its_model(stream: str) -> None:
    served = {**fold_stream(_streams()[stream]), "id": str(uuid4()), "updated_seq": 7}
    model = RECORDS[stream].model_validate(served)
    assert model.model_dump(mode="json", exclude_unset=True) == served


@pytest.mark.parametrize("stream", sorted(RECORDS))
def test_a_record_with_a_key_its_model_does_not_name_is_refused(stream: str) -> None:
    served = {**fold_stream(_streams()[stream]), "id": str(uuid4()), "updated_seq": 7}
    with pytest.raises(ValueError, match="surprise"):
        RECORDS[stream].model_validate({**served, "surprise": 1})
