"""``GET /api/v1/plan/eta`` (issue 17 item 2): a manual assignment's ETAs come from the planner's
travel model, threat windows included, not a fixed 20 and 75 minutes whatever the distance.

The demo world (see test_plan_endpoint): BUHAI 2 waits at the Bilohorivka pickup, KALYNA 22 at
Siversk; the pickup lies under shelling that is open for hours yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_plan_endpoint import DEMO_REQUEST, DEMO_THREATS, Login, make, plan, post, shelling_ends_at

from goldenhour.demo.bilohorivka import demo_id
from goldenhour.domain.operations.events import ThreatAreaWithdrawn

BUHAI = str(demo_id("vehicle/buhai"))
KALYNA_22 = str(demo_id("vehicle/kalyna-22"))
KRAMATORSK = str(demo_id("facility/kramatorsk"))
DNIPRO = str(demo_id("facility/dnipro"))


def eta(client: TestClient, headers: dict[str, str], **query: str) -> dict[str, Any]:
    """Return the ETAs the caller gets for a trip."""
    params = {"request_id": str(DEMO_REQUEST), "destination_id": KRAMATORSK, **query}
    response = client.get("/api/v1/plan/eta", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def at(body: dict[str, Any], name: str) -> datetime:
    return datetime.fromisoformat(body[name])


def test_the_etas_follow_the_distance_once_the_shelling_is_withdrawn(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    post(client, headers, *[make(ThreatAreaWithdrawn, area_id=area) for area in DEMO_THREATS])
    near = eta(client, headers, vehicle_id=BUHAI)
    far = eta(client, headers, vehicle_id=KALYNA_22)
    assert near["threat_wait_min"] == 0 and far["threat_wait_min"] == 0
    # BUHAI 2 is at the pickup: it is there at once; KALYNA 22 drives from Siversk.
    assert at(near, "eta_pickup") - at(near, "depart_at") < timedelta(minutes=1)
    assert at(far, "eta_pickup") - at(far, "depart_at") > timedelta(minutes=10)
    # Farther destination, later arrival: the drive to Dnipro is hours, to Kramatorsk less.
    dnipro = eta(client, headers, vehicle_id=BUHAI, destination_id=DNIPRO)
    assert at(dnipro, "eta_destination") - at(near, "eta_destination") > timedelta(hours=1)
    for body in (near, far, dnipro):
        assert at(body, "depart_at") <= at(body, "eta_pickup") < at(body, "eta_destination")


def test_the_etas_match_the_plans_for_the_same_trip(client: TestClient, login: Login) -> None:
    headers = login("coordinator")
    trips = [
        t for t in plan(client, headers)["suggestions"] if t["request_ids"] == [str(DEMO_REQUEST)]
    ]
    assert trips
    for trip in trips:
        body = eta(client, headers, vehicle_id=trip["vehicle_id"],
                   destination_id=trip["destination_id"])  # fmt: skip
        assert abs(at(body, "eta_pickup") - at(trip, "pickup_at")) < timedelta(minutes=1)
        # The request's three casualties are loaded here; the plan's trip may take fewer
        # (a few minutes' loading each).
        loading = timedelta(minutes=4 * (3 - len(trip["casualties"])) + 1)
        assert abs(at(body, "eta_destination") - at(trip, "delivery_at")) < loading


def test_no_eta_reaches_the_pickup_before_the_shelling_over_it_ends(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    ends = shelling_ends_at(client, headers)
    for vehicle in (BUHAI, KALYNA_22):
        body = eta(client, headers, vehicle_id=vehicle)
        assert at(body, "eta_pickup") >= ends - timedelta(seconds=1)
        assert body["threat_wait_min"] > 0


@pytest.mark.parametrize(
    ("field", "query"),
    [
        ("vehicle_id", {"vehicle_id": "no-such-vehicle"}),
        ("request_id", {"vehicle_id": BUHAI, "request_id": "no-such-request"}),
        ("destination_id", {"vehicle_id": BUHAI, "destination_id": "nowhere"}),
    ],
)
def test_an_unknown_record_is_named(
    client: TestClient, login: Login, field: str, query: dict[str, str]
) -> None:
    params = {"request_id": str(DEMO_REQUEST), "destination_id": KRAMATORSK, **query}
    response = client.get("/api/v1/plan/eta", params=params, headers=login("coordinator"))
    assert response.status_code == 404
    assert response.json()["detail"][0]["field"] == field


@pytest.mark.parametrize("role", ["medic", "facility", "analyst"])
def test_only_dispatchers_get_etas(client: TestClient, login: Login, role: str) -> None:
    params = {"request_id": str(DEMO_REQUEST), "destination_id": KRAMATORSK, "vehicle_id": BUHAI}
    response = client.get("/api/v1/plan/eta", params=params, headers=login(role))
    assert response.status_code == 403
    assert response.json()["detail"][0]["field"] == "role"
