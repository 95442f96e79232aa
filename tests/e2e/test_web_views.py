"""Acceptance (c) and accessibility: every view in Ukrainian has no untranslated string, axe-core
finds no serious violation, the medic view's controls are labelled, reachable by keyboard and at
least 44 px; and a screenshot of each view at phone and laptop size in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import LAPTOP, PHONE, ROOT, NewContext, Server, log_in, screenshot

from medic_phone import open_section

AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"

#: Latin words allowed in the Ukrainian interface: standard names Ukrainian medics use as they
#: are (MGRS, MIST, MARCH, AVPU, START), NATO categories, the file type of a map, and SMS with
#: its encodings' names (GSM-7, UCS-2) and GPS ("Використати GPS"), which Ukrainian writes in
#: Latin letters too, as it writes QR ("QR-код").
ALLOWED_LATIN = re.compile(r"^(MGRS|MIST|MARCH|AVPU|START|T[1-4]|SpO2|pmtiles|SMS|GSM|UCS|GPS|QR)$")

# Text in elements marked translate="no" is data (names, call signs, grid references, the
# 9-line and MIST in their standard forms); the map's own controls are MapLibre's.
UNTRANSLATED = """(allowed) => {
    const allow = new RegExp(allowed);
    const skip = (el) => el.closest('[translate="no"], .maplibregl-control-container, [lang="en"]');
    const found = [];
    const check = (text, where) => {
        for (const word of text.match(/[A-Za-z][A-Za-z0-9]+/g) || []) {
            if (!allow.test(word)) found.push(`${word} in ${where}: ${text.trim().slice(0, 60)}`);
        }
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || skip(el) || el.closest('script, style')) continue;
        check(node.textContent, el.tagName.toLowerCase());
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
        if (skip(el)) continue;
        for (const name of ['aria-label', 'placeholder', 'title']) {
            const value = el.getAttribute(name);
            if (value) check(value, `${el.tagName.toLowerCase()}[${name}]`);
        }
    }
    return found;
}"""

SMALL_TARGETS = """() => {
    const small = [];
    const controls = document.querySelectorAll(
        'main button, main a, main input, main select, main [role=button], header button,'
        + ' header a');
    for (const el of controls) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.width < 44 || box.height < 44) {
            const name = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30);
            small.push(`${el.tagName} ${name} ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return small;
}"""

UNREACHABLE = """() => [...document.querySelectorAll('[onclick], [role=button]')]
    .filter((el) => !['BUTTON', 'A', 'INPUT', 'SELECT'].includes(el.tagName) && el.tabIndex < 0)
    .map((el) => el.outerHTML.slice(0, 80))"""


def axe_serious(page: Page) -> list[str]:
    # Evaluated through the browser's debugging protocol, not as an inline <script> tag, which
    # the server's Content-Security-Policy (rightly) blocks.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, { resultTypes: ['violations'] })"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check(page: Page, lang: str) -> None:
    if lang == "uk":
        assert page.evaluate(UNTRANSLATED, ALLOWED_LATIN.pattern) == []
    assert axe_serious(page) == []


MAP_READY = """() => {
    const map = window.__ghMap;
    const source = map && map.loaded() && map.getSource('casualties');
    return source && source.serialize().data.features.length > 0;
}"""


def open_view(page: Page, view: str) -> None:
    page.goto(f"/#/{view}")
    if view == "coordinator":
        page.wait_for_function(MAP_READY)
    elif view == "facility":
        page.locator(".capacity").wait_for()
    else:
        page.locator(".medic-home, .casualty").first.wait_for()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_view_is_translated_accessible_and_photographed(
    new_context: NewContext, server: Server, lang: str
) -> None:
    locale = "uk-UA" if lang == "uk" else "en-GB"
    page = new_context(size=PHONE, locale=locale).new_page()
    page.goto("/")
    page.locator("form.login").wait_for()
    check(page, lang)
    screenshot(page, f"login-phone-{lang}")

    log_in(page, server, "admin")
    page.goto("/#/medic")
    page.get_by_test_id("new-casualty").click()
    page.get_by_test_id("tq-right_arm").click()
    page.get_by_test_id("tq-at-above_elbow").click()
    open_section(page, "injuries")
    page.locator("[data-region=right-forearm]").click()
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    # Drug names as the medic's language writes them, in the picker and on the recorded entry
    # ("Кетамін", never "Ketamine", in Ukrainian); the stored name stays the server's.
    ketamine = {"en": "Ketamine", "uk": "Кетамін"}[lang]
    open_section(page, "treatments")
    drugs = page.locator(".drug-form select").first
    expect(drugs.locator("option", has_text=ketamine)).not_to_have_count(0)
    options = drugs.locator("option").all_inner_texts()
    assert ketamine in options
    if lang == "uk":
        assert [o for o in options if re.search("[A-Za-z]", o)] == []
    drugs.select_option(label=ketamine)
    page.locator(".drug-form button[type=submit]").click()
    expect(page.get_by_test_id("medication-entry")).to_contain_text(ketamine)
    check(page, lang)
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate(UNREACHABLE) == []
    screenshot(page, f"medic-phone-{lang}")
    page.set_viewport_size(LAPTOP)
    screenshot(page, f"medic-laptop-{lang}")

    for view in ("coordinator", "facility"):
        page.set_viewport_size(LAPTOP)
        open_view(page, view)
        check(page, lang)
        screenshot(page, f"{view}-laptop-{lang}")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)
        screenshot(page, f"{view}-phone-{lang}")


def test_the_medic_view_is_usable_by_keyboard(new_context: NewContext, server: Server) -> None:
    page = new_context(size=PHONE).new_page()
    log_in(page, server, "medic")
    page.get_by_test_id("new-casualty").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#/medic/.+"))
    page.get_by_test_id("tq-left_leg").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("tq-at-high_and_tight")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    # A folded section opens from the keyboard too.
    page.get_by_test_id("section-injuries").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("section-injuries")).to_have_attribute("aria-expanded", "true")
    page.locator("[data-region=left-thigh]").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".entries li").first).to_contain_text("thigh")
