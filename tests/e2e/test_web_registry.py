"""The analyst's registry view in both languages: figures, filters, no card, nothing untranslated.

It runs on the session's shared server, which holds other tests' casualties: it asserts on what
the view shows, never on global counts.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect
from test_web_views import ALLOWED_LATIN, UNTRANSLATED

from conftest import LAPTOP, SCREENSHOTS, NewContext, Server, log_in

TITLES = {"en-GB": "Trauma registry", "uk-UA": "Реєстр поранень"}
CFR = {"en-GB": "case fatality rate", "uk-UA": "летальність уражених"}
CHAIN = {"en-GB": "injury → request", "uk-UA": "поранення → запит"}
WEEKLY = {"en-GB": "Rates per week with 95 % intervals",
          "uk-UA": "Показники за тижнями з 95 % інтервалами"}  # fmt: skip
WEEK_AXIS = {"en-GB": "week of the year", "uk-UA": "тиждень року"}


@pytest.fixture(scope="module")
def this_week(server: Server) -> None:
    """Five killed in action and five returned to duty this week, recorded by the medic.

    Other tests' casualties may share the week; they only add to the wounded, so this week's
    CFR keeps at least 5 deaths and 5 survivors, and the analyst sees its point unsuppressed.
    """
    now = datetime.now(UTC)
    injured = (now - timedelta(hours=2)).isoformat()
    envelope = {"recorded_at": now.isoformat(), "author": "medic", "device": "e2e"}
    events: list[dict[str, object]] = []
    for outcome in ["killed_in_action"] * 5 + ["returned_to_duty"] * 5:
        casualty = str(uuid.uuid4())
        events += [
            {"kind": "casualty_registered", "casualty_id": casualty, "occurred_at": injured,
             "injured_at": injured},
            {"kind": "outcome_recorded", "casualty_id": casualty, "outcome": outcome,
             "occurred_at": now.isoformat()},
        ]  # fmt: skip
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid.uuid4()), **envelope, **e} for e in events]},
        headers={"Authorization": f"Bearer {server.token('medic')}"},
        timeout=60,
    )
    assert response.status_code == 200 and response.json()["refused"] == 0, response.text


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_analyst_sees_the_registry_in_their_language(
    new_context: NewContext, server: Server, locale: str, this_week: None
) -> None:
    page = new_context(size=LAPTOP, locale=locale).new_page()
    log_in(page, server, "analyst")
    expect(page.locator("#reg-h")).to_have_text(TITLES[locale])
    summary = page.get_by_test_id("reg-summary")
    expect(summary).to_be_visible()
    expect(page.get_by_test_id("rate-cfr")).to_contain_text(CFR[locale])
    expect(page.get_by_test_id("reg-chain")).to_contain_text(CHAIN[locale])
    # Holcomb's rates per ISO week, each a plot of points with their interval bars; this week's
    # CFR has a point (5 deaths and at least 5 survivors: not suppressed).
    expect(summary).to_contain_text(WEEKLY[locale])
    weekly = page.get_by_test_id("reg-weekly")
    for name in ("cfr", "pct_kia", "pct_dow"):
        expect(weekly.get_by_test_id(f"week-{name}")).to_be_visible()
    expect(weekly).to_contain_text(CFR[locale])
    expect(page.get_by_test_id("week-cfr")).to_contain_text(WEEK_AXIS[locale])
    points = page.get_by_test_id("week-cfr").get_by_test_id("week-point")
    expect(points.last.locator("circle.reg-point")).to_have_count(1)
    expect(points.last.locator("rect.reg-ci")).to_have_count(1)
    # The whole page, as a commander prints it: the weekly plots are below the first screen.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"registry-laptop-{locale[:2]}.png"), full_page=True)
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
