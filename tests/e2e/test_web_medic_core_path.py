"""Issue 13, problem 7: the core path is on the card's first screen. On a 390x844 phone, a new
casualty, a tourniquet on the left leg above the knee and a MEDEVAC request sent with the phone's
GPS position take at most 6 taps and no scrolling. Before, "Request MEDEVAC" sat 5,715 px down a
6,634 px page.

Each tap is a real mouse click at the centre of a target that is already wholly inside the
viewport, at least 44 px each way (gloves), with the page never scrolled; the page counts the
clicks it receives itself. The figure (taps, seconds for this scripted user) is printed and kept
in docs/benchmarks.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from test_web_medic_widths import assert_fits

from conftest import (
    PHONE,
    PICKUP,
    NewContext,
    Server,
    _build_web,
    eventually,
    log_in,
    screenshot,
    start_server,
)

from medic_phone import device_events

MAX_TAPS = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo server of its own: the first screen as a medic starting a shift sees it.

    The demo's tourniquet is 38 minutes old when a server starts; on the shared server, late in a
    two-worker CI run, it had passed an hour, and the one-hour alarm above every medic screen
    put the tourniquet buttons 90 px lower. The alarm is now a one-line bar fixed to the bottom
    that pushes nothing down; test_web_medic_tourniquet_alarm_bar.py holds the core path with
    it showing, and this test the screen of a medic starting a shift.
    """
    _build_web()
    yield from start_server(
        tmp_path_factory.mktemp("core-path"), {"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"}
    )


#: Counted by the page: every click it receives, and how far it was ever scrolled.
WATCH = """() => {
    window.__taps = 0;
    window.__maxScroll = 0;
    document.addEventListener('click', () => { window.__taps += 1; }, true);
    window.addEventListener('scroll', () => {
        window.__maxScroll = Math.max(window.__maxScroll, window.scrollY, window.scrollX);
    }, true);
}"""
WATCHED = "() => ({ taps: window.__taps, maxScroll: window.__maxScroll, y: window.scrollY })"


def tap(page: Page, target: Locator) -> None:
    """Tap the centre of ``target``, which must be wholly on screen without scrolling."""
    expect(target).to_be_visible()
    expect(target).to_be_enabled()
    box = target.bounding_box()
    assert box is not None
    assert page.evaluate("() => [window.scrollX, window.scrollY]") == [0, 0]
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["width"] >= 44 and box["height"] >= 44, box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _requests(server: Server) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {server.token('coordinator')}"}
    response = httpx.get(f"{server.url}/api/v1/requests", headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    return list(response.json()["records"])


def _filed(server: Server, casualty: str) -> dict[str, Any]:
    """The request the server holds for this casualty (waiting a little for the outbox)."""
    mine = eventually(
        lambda: [r for r in _requests(server) if casualty in r["casualty_ids"]],
        f"the server has a request for casualty {casualty}",
    )
    assert len(mine) == 1, mine
    return mine[0]


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_new_casualty_tourniquet_and_medevac_request_take_few_taps_and_no_scrolling(
    new_context: NewContext, server: Server, lang: str
) -> None:
    page = new_context(locale="uk-UA" if lang == "uk" else "en-GB").new_page()
    log_in(page, server, "medic")
    page.goto("/#/medic")
    page.evaluate(WATCH)

    started = time.monotonic()
    tap(page, page.get_by_test_id("new-casualty"))
    page.wait_for_url("**/#/medic/*")
    casualty = page.url.rsplit("/", 1)[1]
    tap(page, page.get_by_test_id("tq-left_leg"))
    tap(page, page.get_by_test_id("tq-at-above_knee"))
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    # The tourniquet goes out to the server meanwhile: "1 not sent", then "All sent". The button
    # must not move under the finger as that happens (it did: the tap landed on the grid).
    request_button = page.get_by_test_id("request-medevac")
    expect(request_button).to_be_visible()
    while_sending = request_button.bounding_box()
    expect(page.get_by_test_id("outbox-count")).to_have_text(
        "All sent" if lang == "en" else "Усе надіслано"
    )
    assert request_button.bounding_box() == while_sending
    # The request button waits for the GPS fix, as a medic would.
    tap(page, request_button)
    expect(page.get_by_test_id("request-status")).to_contain_text(
        "Sent" if lang == "en" else "Надіслано"
    )
    seconds = time.monotonic() - started

    watched = page.evaluate(WATCHED)
    assert watched["taps"] <= MAX_TAPS, watched
    assert watched["taps"] == 4, watched
    assert watched["maxScroll"] == 0 and watched["y"] == 0, watched

    # One casualty, one tourniquet where it was put, one request, filed with the GPS position.
    assert device_events(page, "casualty_registered", casualty) == 1
    assert device_events(page, "tourniquet_applied", casualty) == 1
    assert device_events(page, "evacuation_request_filed") == 1
    request = _filed(server, casualty)
    assert request["pickup"]["lat"] == pytest.approx(PICKUP["latitude"], abs=1e-4)
    assert request["pickup"]["lon"] == pytest.approx(PICKUP["longitude"], abs=1e-4)
    expect(page.locator("section.tourniquets")).to_contain_text(
        "above the knee" if lang == "en" else "вище коліна"
    )
    # The request's state stays on the first screen, in place of a second request.
    expect(page.get_by_test_id("request-medevac")).to_have_count(0)
    expect(page.get_by_test_id("request-state")).to_be_in_viewport()
    screenshot(page, f"medic-core-path-phone-{lang}")
    print(f"core path ({lang}): {watched['taps']} taps, no scrolling, {seconds:.1f} s")


def test_the_rest_of_the_card_is_one_tap_away(new_context: NewContext, server: Server) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    page.get_by_test_id("new-casualty").click()
    page.wait_for_url("**/#/medic/*")
    # Folded at first: the forms are not in the way of the first screen.
    for section, inside in (
        ("injuries", "[data-region=left-thigh]"),
        ("treatments", "form.drug-form"),
        ("vitals", "form.vitals-form"),
        ("medevac", "[data-testid=nine-line]"),
        ("identity", "form.identity-form"),
    ):
        toggle = page.get_by_test_id(f"section-{section}")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator(inside)).to_be_hidden()
        box = toggle.bounding_box()
        assert box is not None and box["height"] >= 44, box
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(page.locator(inside)).to_be_visible()
    expect(page.get_by_test_id("nine-line")).to_contain_text("37U DQ")
    # Unfolded, no section is wider than the screen, from a small phone to a laptop.
    for width in (320, 390, 768, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.wait_for_timeout(200)
        assert_fits(page, f"the card with every section open at {width}")
    page.get_by_test_id("section-vitals").click()
    expect(page.locator("form.vitals-form")).to_be_hidden()
