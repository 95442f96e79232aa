"""Issue 17's acceptance: the demo itself shows a crew moving through its states, a facility
diverting, and an arrival alert (the demo driver's live run, ``goldenhour.demo.run``), with
nothing posted by the test: what a person opening ``./scripts/demo`` sees in its first minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from test_web_views import axe_serious

from conftest import NewContext, Server, _build_web, log_in, screenshot, start_server
from goldenhour.demo.bilohorivka import demo_id

LAPTOP_1440 = {"width": 1440, "height": 900}
LAPTOP_1280 = {"width": 1280, "height": 800}
SLOVIANSK = demo_id("facility/sloviansk")
#: The run loads 20 s after the start; the server's start may be slow on a loaded machine.
RUN_TIMEOUT_MS = 90_000
TEXT = {
    "en-GB": {"loaded": "loaded", "at_pickup": "at pickup", "diverting": "diverting",
              "alert": "Arriving in"},
    "uk-UA": {"loaded": "завантажено", "at_pickup": "на місці забору",
              "diverting": "перенаправляє", "alert": "Прибуває через",
              "not_receiving": ""},
}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo server of this module's own with its driver on (the tests turn it off elsewhere),
    so that the run starts with the server. No weeks of history: not needed."""
    _build_web()
    yield from start_server(
        tmp_path_factory.mktemp("demo-run-server"),
        {"GOLDENHOUR_DEMO_DRIVER": "1", "GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"},
    )


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_coordinator_sees_the_demo_crew_move_and_the_diverting_facility_marked(
    new_context: NewContext, server: Server, locale: str
) -> None:
    text = TEXT[locale]
    page = new_context(size=LAPTOP_1440, locale=locale).new_page()
    log_in(page, server, "coordinator")
    page.goto("/#/coordinator")
    vehicle = page.locator("[data-testid=vehicle-state][data-vehicle='KALYNA 22']")
    # At the start the crew is at the pickup; 20 s later it reports loaded, both written by the
    # driver while the page is open (the live stream brings them).
    expect(vehicle.get_by_test_id("vehicle-status")).to_have_text(
        re.compile(f"{text['at_pickup']}|{text['loaded']}"), timeout=RUN_TIMEOUT_MS
    )
    expect(vehicle.get_by_test_id("vehicle-status")).to_have_text(
        text["loaded"], timeout=RUN_TIMEOUT_MS
    )
    expect(vehicle).to_contain_text("Kramatorsk")
    assert axe_serious(page) == []
    screenshot(page, f"demo-run-coordinator-laptop-{locale[:2]}")

    # The request the run's crew serves is not in the way; the demo's own request is still open,
    # and its assign form marks Sloviansk as diverting.
    assign = page.get_by_test_id("assign")
    page.get_by_test_id("queue-item").filter(has=assign).first.get_by_test_id("assign").click()
    destination = page.get_by_test_id("assign-form").get_by_test_id("assign-destination")
    sloviansk = destination.locator(f"option[value='{SLOVIANSK}']")
    expect(sloviansk).to_have_text(re.compile(f"{text['diverting'].upper()} \\(CT down\\)"))
    expect(sloviansk).to_be_disabled()


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
@pytest.mark.parametrize("size", [LAPTOP_1440, LAPTOP_1280], ids=["1440", "1280"])
def test_the_receiving_facility_sees_the_arrival_alert_of_the_demo_crew(
    new_context: NewContext, server: Server, locale: str, size: dict[str, int]
) -> None:
    text = TEXT[locale]
    page = new_context(size=size, locale=locale).new_page()
    log_in(page, server, "facility")
    page.goto("/#/facility")
    alert = page.get_by_test_id("arrival-alert").filter(has_text="KALYNA 22")
    expect(alert).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(alert).to_contain_text(text["alert"])
    casualties = alert.get_by_test_id("arrival-casualty")
    expect(casualties).to_have_count(2)
    expect(casualties.filter(has_text="Sova")).to_contain_text("T1")
    expect(casualties.filter(has_text="Bereza")).to_contain_text(re.compile(r"\d:\d\d"))
    assert axe_serious(page) == []
    screenshot(page, f"demo-run-facility-arrival-{size['width']}-{locale[:2]}")


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_diverting_facility_shows_its_status_and_reason_on_its_board(
    new_context: NewContext, server: Server, locale: str
) -> None:
    page = new_context(size=LAPTOP_1440, locale=locale).new_page()
    log_in(page, server, "admin")  # no facility of its own: chooses which board to see
    page.goto("/#/facility")
    page.get_by_test_id("facility-choice").select_option(str(SLOVIANSK))
    expect(page.get_by_test_id("status-now")).to_have_text(
        TEXT[locale]["diverting"], timeout=RUN_TIMEOUT_MS
    )
    expect(page.get_by_test_id("status-reason")).to_have_value("CT down")
    assert axe_serious(page) == []
    screenshot(page, f"demo-run-facility-diverting-laptop-{locale[:2]}")
