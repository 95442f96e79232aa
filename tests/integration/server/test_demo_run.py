"""The demo's live run (issue 17's acceptance): every step the demo driver submits is accepted by
the ingest as the demo user who sends it, and the views' data follow: Sloviansk diverting,
KALYNA 22's mission loaded and due at Kramatorsk within the arrival alert's 10 minutes, then
there. Both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from test_plan_endpoint import Login

from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.cli.demo_driver import submit_due
from goldenhour.demo.run import LEG, LOADED_AFTER, SLOVIANSK_HOSPITAL_ID, demo_run
from goldenhour.demo.scenario import KRAMATORSK_HOSPITAL_ID


def _records(client: TestClient, headers: dict[str, str], path: str) -> list[dict[str, object]]:
    response = client.get(path, headers=headers, params={"limit": 1000})
    assert response.status_code == 200, response.text
    records: list[dict[str, object]] = response.json()["records"]
    return records


def test_the_demo_run_is_accepted_step_by_step_and_the_views_follow_it(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    start = datetime.now(UTC).replace(microsecond=0)
    run = demo_run(start)
    log = SqlEventLog(seeded)
    assert submit_due(log, run, now=start) == (2, [])  # loaded and at the facility still to come
    coordinator, facility = login("coordinator"), login("facility")

    facilities = {f["id"]: f for f in _records(client, coordinator, "/api/v1/facilities")}
    sloviansk = facilities[str(SLOVIANSK_HOSPITAL_ID)]
    assert (sloviansk["status"], sloviansk["status_reason"]) == ("diverting", "CT down")
    (mission,) = [
        m for m in _records(client, facility, "/api/v1/missions") if m["id"] == str(run.mission_id)
    ]
    assert (mission["status"], mission["destination_id"]) == (
        "at_pickup",
        str(KRAMATORSK_HOSPITAL_ID),
    )
    due = datetime.fromisoformat(str(mission["eta_destination"]))
    assert timedelta(0) < due - start <= timedelta(minutes=10), "the arrival alert shows at once"

    assert submit_due(log, run, now=start + LOADED_AFTER) == (1, [])
    (mission,) = [
        m for m in _records(client, facility, "/api/v1/missions") if m["id"] == str(run.mission_id)
    ]
    assert mission["status"] == "picked_up"
    due = datetime.fromisoformat(str(mission["eta_destination"]))
    assert due - start <= timedelta(minutes=10), "still within the alert once loaded"

    assert submit_due(log, run, now=start + LOADED_AFTER + LEG) == (0, [])
    (mission,) = [
        m for m in _records(client, facility, "/api/v1/missions") if m["id"] == str(run.mission_id)
    ]
    assert mission["status"] == "at_facility"
