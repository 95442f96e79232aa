"""Issue 17 item 12: each role lands on its own view (the analyst on the registry, not on the
medic's view with a "New casualty" the server refuses), and an unknown address shows "not
found" with a way back, in both languages, with no serious axe-core violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_web_views import check

from conftest import LAPTOP, NewContext, Server, log_in

LOCALES = {"en": "en-GB", "uk": "uk-UA"}


def test_the_analyst_lands_on_the_registry_not_the_medic_view(
    new_context: NewContext, server: Server
) -> None:
    page = new_context(size=LAPTOP).new_page()
    log_in(page, server, "analyst")
    expect(page.locator("section.registry")).to_be_visible()
    expect(page.get_by_test_id("new-casualty")).to_have_count(0)
    expect(page.locator("nav a[aria-current=page]")).to_have_attribute("href", "#/registry")


@pytest.mark.parametrize(
    ("username", "lands_on"),
    [
        ("medic", ".medic-home"),
        ("coordinator", ".coordinator"),
        ("facility", ".capacity"),
        ("crew", ".crew"),
    ],  # fmt: skip
)
def test_each_role_lands_on_its_own_view(
    new_context: NewContext, server: Server, username: str, lands_on: str
) -> None:
    page = new_context(size=LAPTOP).new_page()
    log_in(page, server, username)
    expect(page.locator(lands_on).first).to_be_visible()
    expect(page.get_by_test_id("not-found")).to_have_count(0)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_an_unknown_address_says_not_found_with_a_way_back(
    new_context: NewContext, server: Server, lang: str
) -> None:
    page = new_context(size=LAPTOP, locale=LOCALES[lang]).new_page()
    log_in(page, server, "medic")
    page.goto("/#/stats")
    missing = page.get_by_test_id("not-found")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text("#/stats")
    check(page, lang)
    missing.get_by_test_id("not-found-home").click()
    expect(page.locator(".medic-home")).to_be_visible()
    expect(page.get_by_test_id("not-found")).to_have_count(0)
