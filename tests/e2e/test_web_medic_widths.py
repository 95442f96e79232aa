"""Issue 13, problem 6: no medic view is wider than the phone. At widths 320, 360, 390 and 414,
with long text in every field, the document's scroll width is the window's width. Before, the
casualty screen was 518 px wide on a 390 px phone and a long unbroken name made the list
6,322 px wide."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import NewContext, Server, log_in, screenshot

from medic_phone import new_casualty, open_section

WIDTHS = (320, 360, 390, 414)
#: An unbroken word longer than any screen, and a long sentence, in both scripts.
LONG_WORD = "Оберстлейтенантфельдшерськоговзводу" * 8
LONG_TEXT = ("Перелом правого стегна з масивною кровотечею, " * 6).strip()

OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 0.5) {
            wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.right)}`);
        }
    }
    return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8) };
}"""


def assert_fits(page: Page, where: str) -> None:
    measured = page.evaluate(OVERFLOW)
    assert measured["scroll"] <= measured["width"], f"{where}: {measured}"


def fill_every_field(page: Page) -> None:
    """Long text in every field of the casualty screen, saved where it can be."""
    for section in ("injuries", "treatments", "vitals", "medevac", "identity"):
        open_section(page, section)
    identity = page.locator("form.identity-form")
    for field in ("callsign", "name_last", "name_first", "battle_roster", "unit", "allergies"):
        identity.locator(f"input[name={field}]").fill(
            LONG_WORD if field != "allergies" else LONG_TEXT
        )
    identity.locator("button[type=submit]").click()
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    vitals = page.locator("form.vitals-form")
    for name, value in (("pulse", "128"), ("respiratory_rate", "28"), ("spo2", "91"),
                        ("systolic", "88"), ("diastolic", "52"), ("pain", "8")):  # fmt: skip
        vitals.locator(f"input[name={name}]").fill(value)
    vitals.locator("button[type=submit]").click()
    page.locator("form.drug-form input").first.fill(LONG_WORD)
    page.locator("form.drug-form button[type=submit]").click()
    page.get_by_test_id("mgrs-input").fill(LONG_WORD)
    evacuation = page.locator("section[aria-labelledby=nine-h]")
    for index in (0, 1):  # frequency and call sign
        evacuation.locator("input").nth(index).fill(LONG_WORD)
    page.get_by_test_id("triage-nato").locator("button.t-T4").click()
    page.get_by_test_id("triage-nato").locator("input").fill(LONG_WORD)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_no_medic_view_is_wider_than_the_phone(
    new_context: NewContext, server: Server, lang: str
) -> None:
    page = new_context(locale="uk-UA" if lang == "uk" else "en-GB").new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    fill_every_field(page)
    expect(page.locator(".casualty h2")).to_contain_text(LONG_WORD[:20])
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.wait_for_timeout(200)
        assert_fits(page, f"casualty screen at {width}")
        if width == WIDTHS[0]:
            screenshot(page, f"medic-long-text-320-phone-{lang}")
    page.goto("/#/medic")
    expect(page.locator(f"a.casualty-row[href='#/medic/{casualty}']")).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.wait_for_timeout(200)
        assert_fits(page, f"casualty list at {width}")
