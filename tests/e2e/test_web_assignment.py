"""Acceptance (b): the coordinator assigns a vehicle; the facility board shows the incoming
casualty with its ETA, live; arrival and handover are recorded in two taps (the handover form's
defaults: the user logged in, now)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import LAPTOP, NewContext, Server, log_in, screenshot


def test_an_assigned_vehicle_shows_on_the_facility_board_with_its_eta(
    new_context: NewContext, server: Server
) -> None:
    facility = new_context(size=LAPTOP).new_page()
    log_in(facility, server, "facility")
    expect(facility.get_by_test_id("incoming-item")).to_have_count(0)

    coordinator = new_context(size=LAPTOP).new_page()
    log_in(coordinator, server, "coordinator")
    request = coordinator.get_by_test_id("queue-item").first
    request.get_by_test_id("assign").click()
    form = coordinator.get_by_test_id("assign-form")
    for select, text in (("assign-vehicle", "KALYNA 21"), ("assign-destination", "Kramatorsk")):
        field = form.get_by_test_id(select)
        field.select_option(field.locator("option", has_text=text).get_attribute("value"))
    form.get_by_test_id("assign-submit").click()
    expect(request).to_contain_text("KALYNA 21")
    screenshot(coordinator, "coordinator-assigning-laptop-en")

    incoming = facility.get_by_test_id("incoming-item")
    expect(incoming).to_have_count(1, timeout=5000)
    expect(incoming.get_by_test_id("incoming-eta")).to_contain_text(re.compile(r"ETA \d\d:\d\d"))
    expect(incoming).to_contain_text("Lys")
    expect(incoming).to_contain_text("MIST")
    screenshot(facility, "facility-incoming-laptop-en")

    incoming.get_by_test_id("arrived").click()
    incoming.get_by_test_id("handover-submit").click()  # received by the user logged in, now
    expect(facility.get_by_test_id("incoming-item")).to_have_count(0, timeout=5000)
