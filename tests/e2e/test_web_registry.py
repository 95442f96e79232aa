"""The analyst's registry view in both languages: figures, filters, no card, nothing untranslated.

It runs on the session's shared server, which holds other tests' casualties: it asserts on what
the view shows, never on global counts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_web_views import ALLOWED_LATIN, UNTRANSLATED

from conftest import LAPTOP, NewContext, Server, log_in

TITLES = {"en-GB": "Trauma registry", "uk-UA": "Реєстр поранень"}
CFR = {"en-GB": "case fatality rate", "uk-UA": "летальність уражених"}
CHAIN = {"en-GB": "injury → request", "uk-UA": "поранення → запит"}


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_analyst_sees_the_registry_in_their_language(
    new_context: NewContext, server: Server, locale: str
) -> None:
    page = new_context(size=LAPTOP, locale=locale).new_page()
    log_in(page, server, "analyst")
    expect(page.locator("#reg-h")).to_have_text(TITLES[locale])
    summary = page.get_by_test_id("reg-summary")
    expect(summary).to_be_visible()
    expect(page.get_by_test_id("rate-cfr")).to_contain_text(CFR[locale])
    expect(page.get_by_test_id("reg-chain")).to_contain_text(CHAIN[locale])
    # The analyst has no card to open: no view of cards is offered.
    expect(page.locator("nav a[href='#/medic'], nav a[href='#/coordinator']")).to_have_count(0)
    # A filter the server refuses nothing of: civilians only, then the view redraws.
    page.get_by_test_id("reg-population").select_option("civilian")
    with page.expect_response(re.compile(r"/api/v1/registry/summary\?population=civilian")) as got:
        page.get_by_test_id("reg-apply").click()
    assert got.value.status == 200
    expect(summary).to_be_visible()
    if locale == "uk-UA":
        assert page.evaluate(UNTRANSLATED, ALLOWED_LATIN.pattern) == []
