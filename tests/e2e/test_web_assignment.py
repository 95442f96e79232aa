"""Acceptance (b): the coordinator assigns a vehicle; the facility board shows the incoming
casualty with its ETA, live; arrival and handover are recorded in two taps (the handover form's
defaults: the user logged in, now)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from conftest import LAPTOP, NewContext, Server, _build_web, log_in, screenshot, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo server for this module alone: the test assigns the demo's casualty and hands him
    over, which the live map's tests on the session's server (they look for him) must not meet."""
    _build_web()
    yield from start_server(tmp_path_factory.mktemp("assignment-server"))


def test_an_assigned_vehicle_shows_on_the_facility_board_with_its_eta(
    new_context: NewContext, server: Server
) -> None:
    # This test follows the demo's casualty only, not the first request or the board's total.
    facility = new_context(size=LAPTOP).new_page()
    log_in(facility, server, "facility")
    incoming = facility.get_by_test_id("incoming-item").filter(has_text="Lys")
    expect(incoming).to_have_count(0)

    coordinator = new_context(size=LAPTOP).new_page()
    log_in(coordinator, server, "coordinator")
    request = coordinator.get_by_test_id("queue-item").filter(has_text="Lys")
    request.get_by_test_id("assign").click()
    form = coordinator.get_by_test_id("assign-form")
    for select, text in (("assign-vehicle", "KALYNA 21"), ("assign-destination", "Kramatorsk")):
        field = form.get_by_test_id(select)
        field.select_option(field.locator("option", has_text=text).get_attribute("value"))
    form.get_by_test_id("assign-submit").click()
    expect(request).to_contain_text("KALYNA 21")
    screenshot(coordinator, "coordinator-assigning-laptop-en")

    expect(incoming).to_have_count(1)
    expect(incoming.get_by_test_id("incoming-eta")).to_contain_text(re.compile(r"ETA \d\d:\d\d"))
    expect(incoming).to_contain_text("MIST")
    screenshot(facility, "facility-incoming-laptop-en")

    incoming.get_by_test_id("arrived").click()
    incoming.get_by_test_id("handover-submit").click()  # received by the user logged in, now
    expect(incoming).to_have_count(0)
