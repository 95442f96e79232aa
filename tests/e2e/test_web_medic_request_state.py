"""Issue 13, problem 8: after sending, the request stays on the card and in the list with its
state (sent, acknowledged, vehicle, ETA, picked up, delivered) and the grid sent; "Request
MEDEVAC" is not offered again while it is open; it can be cancelled or redirected, with a reason.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import Page, expect

from conftest import (
    SCREENSHOTS,
    NewContext,
    Server,
    all_records,
    eventually,
    log_in,
    screenshot,
    unlock,
)

from medic_phone import device_events, new_casualty


def _post(server: Server, user: str, *events: dict[str, Any]) -> None:
    moment = datetime.now(UTC).isoformat()
    envelope = {"occurred_at": moment, "recorded_at": moment, "author": user, "device": "e2e"}
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid4()), **envelope, **e} for e in events]},
        headers={"Authorization": f"Bearer {server.token(user)}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.json()["refused"] == 0, response.text


def _request_of(server: Server, casualty: str) -> dict[str, Any]:
    """The casualty's request once the server holds it: "Sent" shows while it is still queued."""
    [request] = eventually(
        lambda: [r for r in all_records(server, "requests") if casualty in r["casualty_ids"]],
        f"the request for {casualty} reached the server",
    )
    return request


def _reopen(page: Page, casualty: str) -> None:
    page.get_by_test_id("medic-back").click()
    page.wait_for_url("**/#/medic")
    page.reload()
    unlock(page)  # a reload drops the key: the PIN opens the store again
    page.goto(f"/#/medic/{casualty}")


def _panel_screenshot(page: Page, name: str) -> None:
    """Save the evacuation panel alone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section[aria-labelledby=evac-h]").screenshot(
        path=str(SCREENSHOTS / f"{name}.png")
    )


def test_a_sent_request_stays_on_the_card_and_list_with_its_state_and_can_be_cancelled(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    page.get_by_test_id("request-medevac").click()
    status = page.get_by_test_id("request-status")
    expect(status).to_contain_text("Sent")

    _reopen(page, casualty)
    open_request = page.get_by_test_id("request-state")
    expect(open_request).to_have_count(1)
    expect(page.get_by_test_id("request-grid")).to_contain_text("37U DQ")
    expect(page.get_by_test_id("request-medevac")).to_have_count(0)
    expect(page.get_by_text("A pickup position is needed")).to_have_count(0)

    request = _request_of(server, casualty)
    request_id = request["request_id"]
    eta = (datetime.now(UTC) + timedelta(minutes=25)).isoformat()
    _post(
        server,
        "coordinator",
        {"kind": "request_acknowledged", "request_id": request_id, "eta": eta},
    )
    expect(status).to_contain_text("Acknowledged")
    expect(page.get_by_test_id("request-ack")).to_contain_text("ETA")

    vehicle = next(v for v in all_records(server, "vehicles") if v["call_sign"] == "KALYNA 21")
    facility = all_records(server, "facilities")[0]
    mission = str(uuid4())
    _post(server, "coordinator", {
        "kind": "mission_assigned", "mission_id": mission, "vehicle_id": vehicle["vehicle_id"],
        "request_ids": [request_id], "destination_id": facility["facility_id"],
        "unit_id": request["unit_id"], "eta_pickup": eta,
    })  # fmt: skip
    expect(open_request).to_contain_text("KALYNA 21")
    _post(server, "coordinator", {"kind": "mission_status_changed", "mission_id": mission,
                                  "status": "en_route"})  # fmt: skip
    expect(status).to_contain_text("En route")
    _panel_screenshot(page, "medic-request-state-phone-en")

    page.get_by_test_id("medic-back").click()
    screenshot(page, "medic-list-request-phone-en")
    row = page.locator(f'[data-testid=casualty-row][href="#/medic/{casualty}"]')
    expect(row.get_by_test_id("row-request")).to_contain_text("En route")
    expect(row.get_by_test_id("row-request")).to_contain_text("KALYNA 21")

    # Change the pickup point, then cancel: each with a reason, each sent to the server.
    page.goto(f"/#/medic/{casualty}")
    page.get_by_test_id("request-redirect").click()
    page.get_by_test_id("redirect-mgrs").fill("37U DQ 40000 20000")
    page.get_by_test_id("redirect-reason").fill("Shelling at the first site")
    page.get_by_test_id("redirect-submit").click()
    expect(page.get_by_test_id("request-grid")).to_contain_text("37U DQ 40000 20000")
    expect(open_request).to_contain_text("Shelling at the first site")

    page.get_by_test_id("request-cancel").click()
    page.get_by_test_id("cancel-submit").click()
    expect(page.get_by_test_id("cancel-reason")).to_have_attribute("aria-invalid", "true")
    page.get_by_test_id("cancel-reason").fill("Walked out with his unit")
    page.get_by_test_id("cancel-submit").click()
    expect(status).to_contain_text("Cancelled")
    expect(open_request).to_contain_text("Walked out with his unit")
    # Cancelled, the request is closed: a new one may be made.
    expect(page.get_by_test_id("request-medevac")).to_have_count(1)
    expect(page.get_by_test_id("outbox")).to_contain_text("All sent")
    assert device_events(page, "request_cancelled") == 1
    assert device_events(page, "request_redirected") == 1
    [after] = [r for r in all_records(server, "requests") if r["request_id"] == request_id]
    assert after["status"] == "cancelled", after


def test_the_request_state_reads_in_ukrainian(new_context: NewContext, server: Server) -> None:
    page = new_context(locale="uk-UA").new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    page.get_by_test_id("request-medevac").click()
    expect(page.get_by_test_id("request-status")).to_contain_text("Надіслано")
    request = _request_of(server, casualty)
    eta = (datetime.now(UTC) + timedelta(minutes=25)).isoformat()
    _post(server, "coordinator", {"kind": "request_acknowledged",
                                  "request_id": request["request_id"], "eta": eta})  # fmt: skip
    expect(page.get_by_test_id("request-status")).to_contain_text("Підтверджено")
    expect(page.get_by_test_id("request-medevac")).to_have_count(0)
    page.get_by_test_id("request-cancel").click()
    _panel_screenshot(page, "medic-request-state-phone-uk")
    page.get_by_test_id("medic-back").click()
    row = page.locator(f'[data-testid=casualty-row][href="#/medic/{casualty}"]')
    expect(row.get_by_test_id("row-request")).to_contain_text("Підтверджено")
    screenshot(page, "medic-list-request-phone-uk")

    # Picked up, then delivered: the list follows the mission; delivered closes the request.
    vehicle = next(v for v in all_records(server, "vehicles") if v["call_sign"] == "KALYNA 21")
    mission = str(uuid4())
    _post(server, "coordinator", {
        "kind": "mission_assigned", "mission_id": mission, "vehicle_id": vehicle["vehicle_id"],
        "request_ids": [request["request_id"]],
        "destination_id": all_records(server, "facilities")[0]["facility_id"],
        "unit_id": request["unit_id"],
    })  # fmt: skip
    for status, shown in (("picked_up", "Забрано"), ("handed_over", "Доставлено")):
        _post(server, "coordinator", {"kind": "mission_status_changed", "mission_id": mission,
                                      "status": status})  # fmt: skip
        expect(row.get_by_test_id("row-request")).to_contain_text(shown)
    row.click()
    expect(page.get_by_test_id("request-status")).to_contain_text("Доставлено")
    expect(page.get_by_test_id("request-medevac")).to_have_count(1)
