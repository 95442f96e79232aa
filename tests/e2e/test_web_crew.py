"""The vehicle crew's phone (issue 17 item 6): the crew of KALYNA 22 sees its mission (pickups in
order with MGRS, the threats on the route, the casualty's card), taps through en route, at
pickup, loaded, at facility, handed over and available, one tap each (a wrong tap undone, a
double tap stored once), records en-route vitals on the card, and the coordinator's vehicle list
follows each report live. Phone size, in English and in Ukrainian, with axe-core on the view.

The session's server is shared: the test sends its own casualty and mission, and ends with the
ambulance available and the casualty handed over, as the other tests expect the demo.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from test_web_views import check

from conftest import LAPTOP, SCREENSHOTS, NewContext, Server, log_in, screenshot
from goldenhour.demo.scenario import BATTALION, COMPANY, KRAMATORSK_HOSPITAL_ID

STEPS = ("en_route", "at_pickup", "picked_up", "at_facility", "handed_over", "available")
#: How the coordinator's vehicle list words each step, by language.
SHOWN = {
    "en": ("en route", "at pickup", "loaded", "at facility", "handed over", "available"),
    "uk": ("у дорозі", "на місці забору", "завантажено", "у закладі", "передано", "вільна"),
}


def _headers(server: Server, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token(user)}"}


def _post(server: Server, user: str, *events: dict[str, Any]) -> None:
    moment = datetime.now(UTC).isoformat()
    envelope = {"occurred_at": moment, "recorded_at": moment, "author": user, "device": "e2e"}
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid.uuid4()), **envelope, **e} for e in events]},
        headers=_headers(server, user),
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.json()["refused"] == 0, response.text


def _records(server: Server, user: str, path: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.url}/api/v1/{path}?limit=1000", headers=_headers(server, user), timeout=60
    )
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["records"]
    return records


def _kalyna_22(server: Server) -> str:
    return next(v["id"] for v in _records(server, "coordinator", "vehicles")
                if v["call_sign"] == "KALYNA 22")  # fmt: skip


def _send(server: Server, name: str) -> tuple[str, str]:
    """A medic's casualty at the Bilohorivka pickup, KALYNA 22 sent for them to Kramatorsk
    (pickup due in 10 minutes, the hospital in 50); return the casualty's and mission's ids."""
    casualty, request, mission = (str(uuid.uuid4()) for _ in range(3))
    now = datetime.now(UTC)
    _post(
        server, "medic",
        {"kind": "casualty_registered", "casualty_id": casualty,
         "position": {"lat": 48.9172, "lon": 38.2297}},
        {"kind": "identity_recorded", "casualty_id": casualty, "identity": {"callsign": name}},
        {"kind": "triage_assessed", "casualty_id": casualty, "system": "nato", "category": "T1"},
        {"kind": "evacuation_request_filed", "request_id": request, "unit_id": str(COMPANY),
         "casualty_ids": [casualty], "pickup": {"lat": 48.9172, "lon": 38.2297},
         "precedence": "A"},
    )  # fmt: skip
    vehicle = _kalyna_22(server)
    _post(
        server, "coordinator",
        {"kind": "mission_assigned", "mission_id": mission, "vehicle_id": vehicle,
         "request_ids": [request], "destination_id": str(KRAMATORSK_HOSPITAL_ID),
         "unit_id": str(BATTALION), "eta_pickup": (now + timedelta(minutes=10)).isoformat(),
         "eta_destination": (now + timedelta(minutes=50)).isoformat()},
        {"kind": "vehicle_status_changed", "vehicle_id": vehicle, "status": "assigned"},
    )  # fmt: skip
    return casualty, mission


def _mission_events(server: Server, mission: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        response = httpx.get(f"{server.url}/api/v1/events?after={after}&limit=1000",
                             headers=_headers(server, "coordinator"), timeout=60)  # fmt: skip
        body = response.json()
        found += [e["event"] for e in body["events"] if e["stream_id"] == mission]
        if not body["has_more"]:
            return found
        after = int(body["next_cursor"])


def _tap(page: Page, step: str) -> None:
    """Tap a step's button and wait until its Undo time is over and it is sent."""
    page.get_by_test_id(f"crew-step-{step}").click()
    expect(page.get_by_test_id("undo-bar")).to_be_visible()
    expect(page.get_by_test_id("undo-bar")).to_have_count(0)
    if step == "available":  # the mission is over: the phone waits for the next one
        expect(page.get_by_test_id("crew-none")).to_be_visible()
    else:
        expect(page.get_by_test_id("crew-state")).to_have_attribute("data-step", step)
    expect(page.get_by_test_id("outbox-count")).to_have_class("sent")


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_crew_taps_through_its_mission_and_the_coordinator_follows(
    new_context: NewContext, server: Server, lang: str
) -> None:
    locale = "uk-UA" if lang == "uk" else "en-GB"
    name = f"Crew-{lang}-{uuid.uuid4().hex[:4]}"
    casualty, mission = _send(server, name)
    try:
        coordinator = new_context(size=LAPTOP, locale=locale).new_page()
        log_in(coordinator, server, "coordinator")
        coordinator.goto("/#/coordinator")
        vehicle = coordinator.locator("[data-testid=vehicle-state][data-vehicle='KALYNA 22']")
        expect(vehicle).to_be_visible(timeout=30_000)

        phone = new_context(locale=locale).new_page()
        log_in(phone, server, "crew")
        view = phone.get_by_test_id("crew-mission")
        expect(view).to_have_attribute("data-mission", mission, timeout=30_000)
        expect(phone.locator(".shell")).to_have_class(re.compile(r"view-crew$"))
        expect(phone.get_by_test_id("crew-pickups")).to_contain_text("37U")
        # The pickup lies in the shelling the battalion drew around Bilohorivka.
        expect(phone.get_by_test_id("crew-threats")).to_contain_text(
            "Обстріл" if lang == "uk" else "Shelling"
        )
        # It closes to every kind (drawn without kinds), so to this ambulance too.
        expect(phone.get_by_test_id("crew-threats")).to_contain_text(
            "закрита для вашої машини" if lang == "uk" else "closed to your vehicle"
        )
        expect(phone.get_by_test_id(f"crew-card-{casualty}")).to_contain_text(name)
        expect(phone.get_by_test_id("crew-state")).to_have_attribute("data-step", "assigned")
        check(phone, lang)
        if lang == "en":
            screenshot(phone, "crew-mission-phone")

        # A wrong tap is undone: nothing is written.
        phone.get_by_test_id("crew-step-en_route").click()
        phone.get_by_test_id("undo").click()
        expect(phone.get_by_test_id("crew-state")).to_have_attribute("data-step", "assigned")
        # A gloved double tap makes one report (a second after the undone one: a new tap).
        phone.wait_for_timeout(1200)
        phone.get_by_test_id("crew-step-en_route").dblclick()
        expect(phone.get_by_test_id("undo-bar").locator(".row")).to_have_count(1)
        expect(phone.get_by_test_id("undo-bar")).to_have_count(0)
        expect(vehicle.get_by_test_id("vehicle-status")).to_have_text(SHOWN[lang][0])
        for index, step in enumerate(STEPS[1:], start=1):
            if step == "picked_up":
                expect(phone.get_by_test_id(f"aboard-{casualty}")).to_be_checked()
            _tap(phone, step)
            expect(vehicle.get_by_test_id("vehicle-status")).to_have_text(SHOWN[lang][index])
            if step == "picked_up":
                check(phone, lang)
                if lang == "en":
                    screenshot(phone, "crew-loaded-phone")
                    vehicle.scroll_into_view_if_needed()
                    coordinator.screenshot(path=str(SCREENSHOTS / "crew-coordinator-follows.png"))
                # The facility's ETA follows: loaded now, due the planned 40 minutes later.
                [seen] = [m for m in _records(server, "facility", "missions") if m["id"] == mission]
                loaded_at = datetime.fromisoformat(seen["status_at"])
                assert datetime.fromisoformat(seen["eta_destination"]) == loaded_at + timedelta(
                    minutes=40
                )
                assert seen["loaded_casualty_ids"] == [casualty]
        expect(phone.get_by_test_id("crew-none")).to_contain_text("KALYNA 22")

        # Each report stored once: the undone one never, the double tap once.
        reports = [e["status"] for e in _mission_events(server, mission)
                   if e["kind"] == "mission_status_changed"]  # fmt: skip
        assert reports == list(STEPS[:-1])
    finally:
        _post(server, "facility",
              {"kind": "handed_over", "casualty_id": casualty, "to_stage": "Kramatorsk",
               "facility_id": str(KRAMATORSK_HOSPITAL_ID)})  # fmt: skip
        _post(server, "coordinator",
              {"kind": "vehicle_status_changed", "vehicle_id": _kalyna_22(server),
               "status": "available"})  # fmt: skip


def test_the_crew_records_en_route_vitals_on_the_casualtys_card(
    new_context: NewContext, server: Server
) -> None:
    casualty, mission = _send(server, f"Care-{uuid.uuid4().hex[:4]}")
    try:
        phone = new_context().new_page()
        log_in(phone, server, "crew")
        phone.get_by_test_id(f"crew-card-{casualty}").click()
        phone.get_by_test_id("section-vitals").click()
        phone.locator("form.vitals-form input[name=pulse]").fill("128")
        phone.locator("form.vitals-form button[type=submit]").dblclick()
        expect(phone.locator("section[aria-labelledby=vit-h] ul.entries li")).to_have_count(1)
        expect(phone.get_by_test_id("outbox-count")).to_have_class("sent")
        card = httpx.get(
            f"{server.url}/api/v1/casualties/{casualty}",
            headers=_headers(server, "coordinator"),
            timeout=60,
        ).json()["card"]
        assert [(v["pulse"], v["author"]) for v in card["vitals"]] == [(128, "crew")]
        phone.get_by_test_id("medic-back").click()
        expect(phone.get_by_test_id("crew-mission")).to_have_attribute("data-mission", mission)
    finally:
        _post(server, "coordinator",
              {"kind": "mission_status_changed", "mission_id": mission, "status": "handed_over"},
              {"kind": "vehicle_status_changed", "vehicle_id": _kalyna_22(server),
               "status": "available"})  # fmt: skip
        _post(server, "facility",
              {"kind": "handed_over", "casualty_id": casualty, "to_stage": "Kramatorsk",
               "facility_id": str(KRAMATORSK_HOSPITAL_ID)})  # fmt: skip
