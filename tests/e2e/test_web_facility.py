"""Issue 17, the facility board: walk-ins registered from the board, handover (who received the
casualty, when, in what condition), status and capacity, and the arrival alert."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect
from test_web_views import axe_serious

from conftest import LAPTOP, NewContext, Server, eventually, log_in, screenshot, unlock
from goldenhour.demo.scenario import COMPANY, KRAMATORSK_HOSPITAL_ID


def _post(server: Server, user: str, *events: dict[str, Any]) -> None:
    moment = datetime.now(UTC).isoformat()
    envelope = {"occurred_at": moment, "recorded_at": moment, "author": user, "device": "e2e"}
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid.uuid4()), **envelope, **e} for e in events]},
        headers={"Authorization": f"Bearer {server.token(user)}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.json()["refused"] == 0, response.text


def _vehicle(server: Server, call_sign: str) -> str:
    headers = {"Authorization": f"Bearer {server.token('coordinator')}"}
    records = httpx.get(f"{server.url}/api/v1/vehicles", headers=headers, timeout=60).json()[
        "records"
    ]
    return str(next(v["id"] for v in records if v["call_sign"] == call_sign))


def send_casualty(
    server: Server, name: str, *, eta: timedelta, tourniquet_on: timedelta
) -> tuple[str, str]:
    """A medic's casualty (T1, a tourniquet on the left leg) sent to Kramatorsk by KALYNA 21,
    due in ``eta``; return the casualty's and the mission's ids."""
    casualty, request, mission = (str(uuid.uuid4()) for _ in range(3))
    now = datetime.now(UTC)
    on = (now - tourniquet_on).isoformat()
    _post(
        server, "medic",
        {"kind": "casualty_registered", "casualty_id": casualty, "occurred_at": on,
         "recorded_at": on},
        {"kind": "identity_recorded", "casualty_id": casualty, "identity": {"name_last": name}},
        {"kind": "tourniquet_applied", "casualty_id": casualty, "limb": "left_leg",
         "occurred_at": on, "recorded_at": on},
        {"kind": "triage_assessed", "casualty_id": casualty, "system": "nato", "category": "T1"},
        {"kind": "evacuation_request_filed", "request_id": request, "unit_id": str(COMPANY),
         "casualty_ids": [casualty], "pickup": {"lat": 48.9172, "lon": 38.2297},
         "precedence": "A"},
    )  # fmt: skip
    _post(
        server, "coordinator",
        {"kind": "mission_assigned", "mission_id": mission,
         "vehicle_id": _vehicle(server, "KALYNA 21"), "request_ids": [request],
         "destination_id": str(KRAMATORSK_HOSPITAL_ID), "unit_id": str(COMPANY),
         "eta_destination": (now + eta).isoformat()},
    )  # fmt: skip
    return casualty, mission


@pytest.fixture
def missions(server: Server) -> Iterator[list[tuple[str, str]]]:
    """(casualty, mission) pairs a test sends here, delivered after it (the casualty handed over,
    the mission ended): the session's server is shared, and other tests expect no vehicle still
    on its way here and no such casualty waiting in the coordinator's plan."""
    sent: list[tuple[str, str]] = []
    yield sent
    for casualty, mission in sent:
        _post(server, "facility",
              {"kind": "handed_over", "casualty_id": casualty, "to_stage": "Kramatorsk",
               "facility_id": str(KRAMATORSK_HOSPITAL_ID)})  # fmt: skip
        ended = {"kind": "mission_status_changed", "mission_id": mission, "status": "handed_over"}
        _post(server, "coordinator", ended)


def _open_board(page: Page, server: Server, locale: str = "en-GB") -> None:
    log_in(page, server, "facility")
    page.goto("/#/facility")
    page.locator(".capacity").wait_for()


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_a_walk_in_registered_from_the_board_appears_on_it(
    new_context: NewContext, server: Server, locale: str
) -> None:
    page = new_context(size=LAPTOP, locale=locale).new_page()
    _open_board(page, server, locale)
    name = f"Walkin{uuid.uuid4().hex[:6]}"

    page.get_by_test_id("walk-in").click()
    form = page.get_by_test_id("walk-in-form")
    form.get_by_test_id("walk-in-name").fill(name)
    assert axe_serious(page) == []
    form.get_by_test_id("walk-in-submit").click()

    received = page.get_by_test_id("received-item").filter(has_text=name)
    expect(received).to_have_count(1)
    expect(received).to_contain_text(re.compile("walk-in|самостійно", re.IGNORECASE))
    # It came back from the server: still there after a reload, not only on this device.
    expect(page.get_by_test_id("outbox-count")).to_have_class(re.compile("sent"))
    page.reload()
    page.locator(".shell[data-lock=locked], .shell[data-lock=unlocked]").wait_for()
    if page.locator(".shell[data-lock=locked]").count():
        unlock(page)
    expect(page.get_by_test_id("received-item").filter(has_text=name)).to_have_count(1)
    assert axe_serious(page) == []
    screenshot(page, f"facility-walk-in-laptop-{locale[:2]}")


def test_the_handover_records_who_received_each_casualty_when_and_in_what_condition(
    new_context: NewContext, server: Server, missions: list[tuple[str, str]]
) -> None:
    name = f"Handover{uuid.uuid4().hex[:6]}"
    casualty, mission = send_casualty(
        server, name, eta=timedelta(minutes=40), tourniquet_on=timedelta(minutes=50)
    )
    missions.append((casualty, mission))  # handed over below; again after a failure
    page = new_context(size=LAPTOP).new_page()
    _open_board(page, server)
    incoming = page.get_by_test_id("incoming-item").filter(has_text=name)
    expect(incoming).to_have_count(1)
    incoming.get_by_test_id("arrived").click()
    form = incoming.get_by_test_id("handover-form")
    form.get_by_test_id("handover-by").fill("Dr Shevchenko")
    # Three minutes ago on the browser's clock (the contexts run in Kyiv time).
    form.get_by_test_id("handover-at").fill(
        (datetime.now(ZoneInfo("Europe/Kyiv")) - timedelta(minutes=3)).strftime("%H:%M")
    )
    form.get_by_test_id("handover-condition").select_option("unstable")
    assert axe_serious(page) == []
    form.get_by_test_id("handover-submit").click()

    expect(page.get_by_test_id("incoming-item").filter(has_text=name)).to_have_count(0)
    received = page.get_by_test_id("received-item").filter(has_text=name)
    expect(received).to_contain_text("Dr Shevchenko")
    expect(received.get_by_test_id("received-condition")).to_contain_text("unstable")
    received.get_by_role("button").click()
    expect(page.get_by_test_id("panel-handovers")).to_contain_text(
        re.compile(r"received by Dr Shevchenko.*condition on arrival: unstable")
    )
    assert axe_serious(page) == []
    screenshot(page, "facility-handover-laptop-en")

    # The board shows the handover from the outbox, before the server has it.
    headers = {"Authorization": f"Bearer {server.token('facility')}"}
    (handover,) = eventually(
        lambda: httpx.get(
            f"{server.url}/api/v1/casualties/{casualty}", headers=headers, timeout=60
        ).json()["card"]["handovers"],
        "the handover reached the server",
    )
    assert (handover["received_by"], handover["condition_on_arrival"]) == (
        "Dr Shevchenko",
        "unstable",
    )
    minutes_ago = (datetime.now(UTC) - datetime.fromisoformat(handover["occurred_at"])) / timedelta(
        minutes=1
    )
    assert 2 <= minutes_ago <= 5, "the handover is recorded at the time chosen, not the tap"


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_facility_reports_its_status_and_capacity_each_figure_with_its_time(
    new_context: NewContext, server: Server, locale: str
) -> None:
    page = new_context(size=LAPTOP, locale=locale).new_page()
    _open_board(page, server, locale)
    assert axe_serious(page) == []
    icu_beds, plasma = (3, 7) if locale == "en-GB" else (4, 8)  # each run changes something
    page.get_by_test_id("cap-icu_beds_free").fill(str(icu_beds))
    page.get_by_test_id("cap-blood_plasma_units").fill(str(plasma))
    page.get_by_test_id("spec-neurosurgery").check()
    page.get_by_test_id("cap-save").click()
    page.get_by_test_id("status-select").select_option("diverting")
    page.get_by_test_id("status-reason").fill("CT down")
    page.get_by_test_id("status-save").click()
    expect(page.get_by_test_id("status-now")).to_have_text(re.compile("diverting|перенаправляє"))
    updated = re.compile(r"(updated|оновлено о) \d\d:\d\d")
    icu = page.locator(".stepper").filter(has=page.get_by_test_id("cap-icu_beds_free"))
    expect(icu.locator(".updated")).to_have_text(updated)
    assert axe_serious(page) == []
    screenshot(page, f"facility-status-laptop-{locale[:2]}")

    # The board shows the report from the outbox, before the server has it.
    headers = {"Authorization": f"Bearer {server.token('coordinator')}"}

    def reported() -> dict[str, Any] | None:
        records = httpx.get(f"{server.url}/api/v1/facilities", headers=headers, timeout=60).json()[
            "records"
        ]
        record = next(r for r in records if r["id"] == str(KRAMATORSK_HOSPITAL_ID))
        return record if record["status"] == "diverting" else None

    record = eventually(reported, "the facility's report reached the server")
    assert (record["status"], record["status_reason"]) == ("diverting", "CT down")
    assert (record["icu_beds_free"], record["blood_plasma_units"]) == (icu_beds, plasma)
    assert "neurosurgery" in record["specialties"]
    # Open again, so the other tests on this server may send casualties here.
    page.get_by_test_id("status-select").select_option("open")
    page.get_by_test_id("status-reason").fill("")
    page.get_by_test_id("status-save").click()
    expect(page.get_by_test_id("status-now")).to_have_text(re.compile("open|приймає"))


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_a_vehicle_ten_minutes_out_raises_a_banner_and_a_chime_naming_who_is_coming(
    new_context: NewContext, server: Server, locale: str, missions: list[tuple[str, str]]
) -> None:
    name = f"Arrival{uuid.uuid4().hex[:6]}"
    sent = send_casualty(
        server, name, eta=timedelta(minutes=12), tourniquet_on=timedelta(minutes=50)
    )
    missions.append(sent)
    page = new_context(size=LAPTOP, locale=locale).new_page()
    page.clock.install()  # the browser's clock, moved on below: the same ETA, later
    _open_board(page, server, locale)
    expect(page.get_by_test_id("incoming-item").filter(has_text=name)).to_have_count(1)
    alert = page.get_by_test_id("arrival-alert").filter(has_text=name)
    expect(alert).to_have_count(0)  # twelve minutes out: not yet

    page.clock.fast_forward("03:00")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("KALYNA 21")
    # Who, their triage, and each tourniquet with how long it has been on and since when.
    expect(alert.get_by_test_id("arrival-casualty")).to_contain_text(
        re.compile(rf"{name} · T1 · (tourniquet|джгут).* 0 (h|год) 5\d (min|хв) \(.*\d\d:\d\d\)")
    )
    # The chime was played: the page had been touched (logging in), so the browser allows it.
    expect(alert).to_have_attribute("data-chime", "running")
    assert axe_serious(page) == []
    screenshot(page, f"facility-arrival-alert-laptop-{locale[:2]}")

    alert.get_by_test_id("arrival-seen").click()
    expect(alert).to_have_count(0)
