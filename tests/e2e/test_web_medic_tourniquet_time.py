"""Issue 13, problem 5: tourniquet times in one unambiguous form everywhere: hours and minutes
with their units, large, beside the clock time the tourniquet went on. Before, "02:13" (2
minutes) sat beside "2:10:48" (2 hours)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import NewContext, Server, log_in, screenshot

from medic_phone import expect_alarm_names, new_casualty

HOURS_MINUTES = re.compile(r"^\d+ h \d\d min$")
LOCAL_TIME_AGO = """(minutes) => {
    const d = new Date(Date.now() - minutes * 60000);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}"""


def apply_at(page: Page, limb: str, minutes_ago: int) -> str:
    """Record a tourniquet put on ``minutes_ago`` minutes ago; return that local time."""
    at = str(page.evaluate(LOCAL_TIME_AGO, minutes_ago))
    page.locator("section.tourniquets input[type=time]").fill(at)
    page.get_by_test_id(f"tq-{limb}").click()
    page.get_by_test_id("tq-at-high_and_tight").click()
    return at


def font_px(page: Page, selector: str, index: int) -> float:
    return float(
        page.locator(selector)
        .nth(index)
        .evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    )


def test_tourniquet_times_read_as_hours_and_minutes_beside_the_time_on(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    two_hours_on = apply_at(page, "right_leg", 130)
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    page.wait_for_timeout(1200)
    two_minutes_on = apply_at(page, "left_arm", 2)
    clocks = page.get_by_test_id("tq-clock")
    expect(clocks).to_have_count(2)

    elapsed = page.get_by_test_id("tq-elapsed")
    screenshot(page, "medic-tourniquet-time-phone-en")
    expect(elapsed.nth(0)).to_have_text(re.compile(r"^2 h 1\d min$"))
    expect(elapsed.nth(1)).to_have_text(re.compile(r"^0 h 0[1-3] min$"))
    on_at = page.get_by_test_id("tq-on-at")
    expect(on_at.nth(0)).to_contain_text(two_hours_on)
    expect(on_at.nth(1)).to_contain_text(two_minutes_on)
    for index in (0, 1):
        # Large, and on the same line as the time it went on.
        assert font_px(page, "[data-testid=tq-elapsed]", index) >= 32
        assert font_px(page, "[data-testid=tq-on-at] strong", index) >= 28
        time_box = elapsed.nth(index).bounding_box()
        on_box = on_at.nth(index).bounding_box()
        assert time_box and on_box
        assert on_box["x"] >= time_box["x"] + time_box["width"]
        assert on_box["y"] < time_box["y"] + time_box["height"]
        assert time_box["y"] < on_box["y"] + on_box["height"]

    # The same form in the alarm bar and in the list of casualties.
    expect_alarm_names(page, re.compile(r"2 h 1\d min"))
    expect(page.get_by_test_id("tq-alarm")).not_to_contain_text(re.compile(r"\d:\d\d:\d\d"))
    page.goto("/#/medic")
    row = page.locator(f"a.casualty-row[href='#/medic/{casualty}']")
    expect(row).to_contain_text(re.compile(r"2 h 1\d min"))
    expect(row).not_to_contain_text(re.compile(r"\d:\d\d:\d\d"))
    screenshot(page, "medic-list-tourniquet-time-phone-en")


def test_tourniquet_times_have_ukrainian_units(new_context: NewContext, server: Server) -> None:
    page = new_context(locale="uk-UA").new_page()
    log_in(page, server, "medic")
    new_casualty(page)
    apply_at(page, "left_leg", 75)
    expect(page.get_by_test_id("tq-elapsed")).to_have_text(re.compile(r"^1 год 1[4-6] хв$"))
    expect(page.get_by_test_id("tq-on-at")).to_contain_text("накладено")
    time_box = page.get_by_test_id("tq-elapsed").bounding_box()
    on_box = page.get_by_test_id("tq-on-at").bounding_box()
    assert time_box and on_box
    assert on_box["x"] >= time_box["x"] + time_box["width"]
    screenshot(page, "medic-tourniquet-time-phone-uk")
