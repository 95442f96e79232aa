"""``GET /api/v1/plan``: the optimiser's current plan for the live situation the server holds.

The world is the demo scenario: three casualties at the roadblock pickup of Bilohorivka (the
wounded man with a tourniquet, a chest wound, a walking wounded), three vehicles (BUHAI 2 at the
pickup, KALYNA 21 at the exchange point, KALYNA 22 at Siversk), four facilities, and shelling
over the village that is open for hours yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from goldenhour.adapters.storage.tables import audit_log
from goldenhour.api.routes.plan import PlanPublic
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID, PICKUP_SITE, demo_id
from goldenhour.demo.scenario import BATTALION, KRAMATORSK_HOSPITAL_ID
from goldenhour.domain.casualty.events import CasualtyRegistered, HandedOver, TourniquetApplied
from goldenhour.domain.casualty.vocabulary import Limb
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import MissionAssigned, ThreatAreaWithdrawn
from goldenhour.planning.plan import _probability
from goldenhour.services.live_plan import _duration

_E = TypeVar("_E", bound=DomainEvent)
Login = Callable[[str], dict[str, str]]

DEMO_REQUEST = demo_id("request/bilohorivka-1")
DEMO_CASUALTIES = (
    DEMO_CASUALTY_ID, demo_id("casualty/bilohorivka-2"), demo_id("casualty/bilohorivka-3"),
)  # fmt: skip
DEMO_VEHICLES = {
    str(demo_id("vehicle/buhai")): "BUHAI 2",
    str(demo_id("vehicle/kalyna")): "KALYNA 21",
    str(demo_id("vehicle/kalyna-22")): "KALYNA 22",
}
#: The demo facilities with surgery (the stabilisation point at Siversk has none).
SURGICAL = {str(demo_id(f"facility/{key}")) for key in ("kramatorsk", "sloviansk", "dnipro")}
DEMO_THREATS = (demo_id("threat/village"), demo_id("threat/cluster-road"))


def make(cls: type[_E], /, **fields: Any) -> dict[str, Any]:
    """Return the wire form of a fresh event of ``cls``, written a minute ago."""
    moment = datetime.now(UTC) - timedelta(minutes=1)
    event = cls(event_id=uuid4(), occurred_at=moment, recorded_at=moment, author="tester",
                device="test-device", **fields)  # fmt: skip
    return encode_event(event)


def post(client: TestClient, headers: dict[str, str], *events: dict[str, Any]) -> None:
    """Post a batch and check that every event was accepted."""
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200, response.text
    assert {r["outcome"] for r in response.json()["results"]} == {"accepted"}, response.text


def plan(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """Return the plan the caller gets."""
    response = client.get("/api/v1/plan", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def carrying(body: dict[str, Any], casualty: UUID) -> dict[str, Any]:
    """Return the one suggestion that picks ``casualty`` up."""
    [found] = [
        s for s in body["suggestions"]
        if str(casualty) in {c["casualty_id"] for c in s["casualties"]}
    ]  # fmt: skip
    return found


def audited(engine: Engine, *, username: str, action: str, casualty: UUID) -> int:
    """Count the audit entries of ``username`` doing ``action`` naming ``casualty``."""
    query = select(func.count()).select_from(audit_log).where(
        audit_log.c.username == username, audit_log.c.action == action,
        audit_log.c.target_kind == "casualty", audit_log.c.detail.contains(str(casualty)),
    )  # fmt: skip
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def worded(trip: dict[str, Any]) -> str:
    """Return the English reason a suggestion's explanation stands for, word by word."""
    facts = trip["explanation"]
    if _probability(facts["p_now"]) == _probability(facts["p_later"]):
        reason = (f"{trip['call_sign']} to {facts['casualty_label']}: nothing to gain by going "
                  f"now, p {_probability(facts['p_now'])} either way")  # fmt: skip
        if facts["sets_off_in_min"] is not None:
            reason += f"; sets off in {_duration(facts['sets_off_in_min'])}, when the threat "
            reason += "areas on its way and at the pickup are closed"
        return reason
    parts = []
    if facts["tourniquet_min"] is not None:
        parts.append(f"tourniquet on for {_duration(facts['tourniquet_min'])}")
    later = (
        f"if served after {', '.join(facts['after_labels'])}"
        if facts["after_labels"]
        else "if left to a later trip"
    )
    chances = f"{_probability(facts['p_now'])} to {_probability(facts['p_later'])}"
    parts.append(f"p falls from {chances} {later}")
    reason = f"{trip['call_sign']} to {facts['casualty_label']} first: {', '.join(parts)}"
    if facts["sets_off_in_min"] is not None:
        reason += f"; sets off in {_duration(facts['sets_off_in_min'])}, when the threat areas "
        reason += "on its way and at the pickup are closed"
    return reason


def shelling_ends_at(client: TestClient, headers: dict[str, str]) -> datetime:
    """Return when the shelling over the village ends, as the server holds it."""
    threats = client.get("/api/v1/threats", headers=headers).json()["records"]
    [village] = [t for t in threats if t["id"] == str(DEMO_THREATS[0])]
    return datetime.fromisoformat(village["ends_at"])


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_plan_sends_a_demo_vehicle_for_the_wounded_man_to_surgery(
    client: TestClient, login: Login, role: str
) -> None:
    body = plan(client, login(role))
    trip = carrying(body, DEMO_CASUALTY_ID)
    assert DEMO_VEHICLES[trip["vehicle_id"]] == trip["call_sign"]
    assert trip["expected_gain"] > 0
    assert trip["reason"].startswith(f"{trip['call_sign']} to ")
    assert trip["destination_id"] in SURGICAL  # he needs surgery: precedence B
    assert trip["destination_kind"] == "facility"
    assert trip["request_ids"] == [str(DEMO_REQUEST)]
    lys = next(c for c in trip["casualties"] if c["casualty_id"] == str(DEMO_CASUALTY_ID))
    assert (lys["label"], lys["category"], lys["precedence"]) == ("Lys", "immediate", "B")
    assert trip["pickup"] == {"lat": PICKUP_SITE.lat, "lon": PICKUP_SITE.lon}
    assert body["waiting"] == 3 and body["idle_vehicles"] == 3
    assert body["solve_ms"] >= 0 and body["method"]


def test_no_vehicle_is_sent_into_the_shelling_while_its_window_is_open(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    ends = shelling_ends_at(client, headers)
    body = plan(client, headers)
    assert body["suggestions"]
    for trip in body["suggestions"]:
        # The pickup lies in the shelled area: no vehicle may reach it before the window
        # closes, so each sets off at most its drive to the area's edge before then.
        assert datetime.fromisoformat(trip["depart_at"]) > ends - timedelta(hours=1)
        assert "sets off in" in trip["reason"]


def test_once_the_shelling_is_withdrawn_a_vehicle_sets_off_now_and_gains_more(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    before = carrying(plan(client, headers), DEMO_CASUALTY_ID)
    post(client, headers, *[make(ThreatAreaWithdrawn, area_id=area) for area in DEMO_THREATS])
    body = plan(client, headers)
    after = carrying(body, DEMO_CASUALTY_ID)
    generated = datetime.fromisoformat(body["generated_at"])
    assert datetime.fromisoformat(after["depart_at"]) - generated < timedelta(minutes=1)
    assert "sets off in" not in after["reason"]
    assert after["expected_gain"] > before["expected_gain"]
    assert datetime.fromisoformat(after["delivery_at"]) < datetime.fromisoformat(
        before["delivery_at"]
    )


def test_each_suggestion_reaches_its_pickup_between_now_and_the_delivery(
    client: TestClient, login: Login
) -> None:
    body = plan(client, login("coordinator"))
    generated = datetime.fromisoformat(body["generated_at"])
    assert body["suggestions"]
    for trip in body["suggestions"]:
        pickup = datetime.fromisoformat(trip["pickup_at"])
        assert datetime.fromisoformat(trip["depart_at"]) <= pickup
        assert generated <= pickup <= datetime.fromisoformat(trip["delivery_at"])


def test_the_explanation_holds_the_facts_of_the_reason(client: TestClient, login: Login) -> None:
    body = plan(client, login("coordinator"))
    generated = datetime.fromisoformat(body["generated_at"])
    for trip in body["suggestions"]:
        facts = trip["explanation"]
        assert trip["reason"] == worded(trip)
        assert facts["casualty_label"] in {c["label"] for c in trip["casualties"]}
        assert not set(facts["after_labels"]) & {c["label"] for c in trip["casualties"]}
        assert 0.0 <= facts["p_later"] <= facts["p_now"] <= 1.0
        # The shelling over the pickup holds every vehicle back (see the test above).
        waited = datetime.fromisoformat(trip["depart_at"]) - generated
        assert facts["sets_off_in_min"] == pytest.approx(waited.total_seconds() / 60, abs=0.01)
    lys = carrying(body, DEMO_CASUALTY_ID)["explanation"]
    if lys["casualty_label"] == "Lys":  # the wounded man, his tourniquet on since the demo began
        assert lys["tourniquet_min"] > 0


def test_a_vehicle_that_sets_off_now_has_no_wait_in_its_explanation(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    post(client, headers, *[make(ThreatAreaWithdrawn, area_id=area) for area in DEMO_THREATS])
    trip = carrying(plan(client, headers), DEMO_CASUALTY_ID)
    assert trip["explanation"]["sets_off_in_min"] is None
    assert trip["reason"] == worded(trip)


def test_the_documented_plan_is_a_valid_answer_whose_explanation_holds_its_reason(
    client: TestClient,
) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/plan"]["get"]
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    PlanPublic.model_validate(example)
    for trip in example["suggestions"]:
        assert trip["reason"] == worded(trip)


@pytest.mark.parametrize("role", ["medic", "facility", "analyst"])
def test_a_role_that_does_not_dispatch_is_refused_and_reads_no_casualty(
    client: TestClient, login: Login, seeded: Engine, role: str
) -> None:
    refusals = (
        select(func.count())
        .select_from(audit_log)
        .where(audit_log.c.username == role, audit_log.c.action == "denied_plan")
    )
    with seeded.connect() as connection:
        before = connection.execute(refusals).scalar_one()
    response = client.get("/api/v1/plan", headers=login(role))
    assert response.status_code == 403
    assert response.json()["detail"][0]["field"] == "role"
    assert audited(seeded, username=role, action="plan", casualty=DEMO_CASUALTY_ID) == 0
    with seeded.connect() as connection:
        assert connection.execute(refusals).scalar_one() == before + 1


def test_the_plan_needs_a_token(client: TestClient) -> None:
    response = client.get("/api/v1/plan")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_casualties_a_plan_reads_are_in_the_audit_chain(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    before = [audited(seeded, username="coordinator", action="plan", casualty=c)
              for c in DEMO_CASUALTIES]  # fmt: skip
    plan(client, login("coordinator"))
    after = [audited(seeded, username="coordinator", action="plan", casualty=c)
             for c in DEMO_CASUALTIES]  # fmt: skip
    assert after == [count + 1 for count in before]


def test_with_no_casualty_waiting_the_plan_is_empty(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    headers = login("coordinator")
    post(client, headers, *[
        make(HandedOver, casualty_id=casualty, to_stage="Kramatorsk city hospital",
             facility_id=KRAMATORSK_HOSPITAL_ID)
        for casualty in DEMO_CASUALTIES
    ])  # fmt: skip
    body = plan(client, headers)
    assert (body["suggestions"], body["waiting"], body["left_out"]) == ([], 0, [])
    assert body["idle_vehicles"] == 3
    assert audited(seeded, username="coordinator", action="plan", casualty=DEMO_CASUALTY_ID) == 0


def test_casualties_already_on_a_mission_are_not_planned_again(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    kalyna_22 = demo_id("vehicle/kalyna-22")
    post(client, headers, make(
        MissionAssigned, mission_id=uuid4(), vehicle_id=kalyna_22, request_ids=(DEMO_REQUEST,),
        destination_id=KRAMATORSK_HOSPITAL_ID, unit_id=BATTALION,
    ))  # fmt: skip
    body = plan(client, headers)
    assert (body["suggestions"], body["waiting"], body["idle_vehicles"]) == ([], 0, 2)
    left = {(x["kind"], x["id"]): x["reason"] for x in body["left_out"]}
    assert {left[("casualty", str(c))] for c in DEMO_CASUALTIES} == {"on an active mission"}


def test_the_plan_holds_only_the_casualties_the_caller_may_see(
    client: TestClient, login: Login
) -> None:
    # The administrator's casualty belongs to the brigade, outside the coordinator's battalion.
    casualty = uuid4()
    post(client, login("admin"),
         make(CasualtyRegistered, casualty_id=casualty, position=PICKUP_SITE,
              injured_at=datetime.now(UTC) - timedelta(minutes=20)),
         make(TourniquetApplied, casualty_id=casualty, limb=Limb.RIGHT_ARM,
              location="high and tight"))  # fmt: skip
    seen = {role: plan(client, login(role)) for role in ("coordinator", "admin")}
    assert (seen["coordinator"]["waiting"], seen["admin"]["waiting"]) == (3, 4)
    assert str(casualty) not in str(seen["coordinator"])
    assert str(casualty) in str(seen["admin"]["suggestions"])


def test_every_waiting_casualty_is_collected_or_deferred_with_why(
    client: TestClient, login: Login
) -> None:
    """Issue 18: whom the plan does not collect now is marked, with the reason's facts."""
    body = plan(client, login("coordinator"))
    collected = {c["casualty_id"] for s in body["suggestions"] for c in s["casualties"]}
    deferred = {d["casualty"]["casualty_id"]: d for d in body["deferred"]}
    assert not collected & set(deferred)
    assert len(collected) + len(deferred) == body["waiting"]
    for d in deferred.values():
        assert d["reason"] in {"later_trip", "low_chance", "others_first", "unreachable"}
        assert d["text"].startswith(f"{d['casualty']['label']} ({d['casualty']['category']}) waits")
        assert (d["call_sign"] is not None) == (d["reason"] == "later_trip")


def test_a_casualty_without_a_call_sign_is_named_by_the_short_id_the_screens_show(
    client: TestClient, login: Login
) -> None:
    """Not "casualty dec82c58", in English whatever the language, beside "#DEC8" on the cards."""
    casualty = uuid4()
    post(client, login("coordinator"),
         make(CasualtyRegistered, casualty_id=casualty, position=PICKUP_SITE,
              injured_at=datetime.now(UTC) - timedelta(minutes=20)),
         make(TourniquetApplied, casualty_id=casualty, limb=Limb.LEFT_LEG,
              location="above the knee"))  # fmt: skip
    body = plan(client, login("coordinator"))
    named = [c for s in body["suggestions"] for c in s["casualties"]]
    named += [d["casualty"] for d in body["deferred"]]
    (unnamed,) = [c for c in named if c["casualty_id"] == str(casualty)]
    assert unnamed["label"] == f"#{str(casualty)[:4].upper()}"
