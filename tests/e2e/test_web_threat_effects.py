"""The coordinator's threat form says which vehicle kinds an area closes to, or that it only
raises the risk (issue 18): a ground-only area drawn in the browser reaches the server with its
kinds, the list says so in the coordinator's language, and an area that would change nothing is
not sent."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
from playwright.sync_api import expect
from test_web_coordinator_forms import click_map
from test_web_views import axe_serious

from conftest import SCREENSHOTS, NewContext, Server, all_records, eventually, log_in

LAPTOP_1440 = {"width": 1440, "height": 900}
GROUND = ["armoured_evacuation", "ground_ambulance"]


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_coordinator_draws_a_threat_area_closed_to_ground_vehicles_only(
    new_context: NewContext, server: Server, locale: str
) -> None:
    page = new_context(size=LAPTOP_1440, locale=locale).new_page()
    log_in(page, server, "coordinator")
    page.goto("/#/coordinator")
    page.wait_for_function("() => window.__ghMap && window.__ghMap.loaded()", timeout=60_000)
    page.get_by_test_id("draw-threat").click()
    form = page.get_by_test_id("threat-form")
    click_map(page, 0.3, 0.3)
    expect(form.get_by_test_id("threat-centre")).to_have_text(re.compile(r"37U"))
    save = form.get_by_test_id("threat-save")
    expect(save).to_be_enabled()
    # Every kind is ticked by default, as every area closed to every vehicle before.
    for kind in ("ground_ambulance", "armoured_evacuation", "helicopter", "boat"):
        expect(form.get_by_test_id(f"threat-stops-{kind}")).to_be_checked()

    # No kind ticked and no risk: the area would change nothing; it is not sent.
    for kind in ("ground_ambulance", "armoured_evacuation", "helicopter", "boat"):
        form.get_by_test_id(f"threat-stops-{kind}").uncheck()
    expect(form.get_by_test_id("threat-effect-problem")).to_have_text(
        re.compile("the area changes nothing|інакше зона нічого не змінює")
    )
    expect(save).to_be_disabled()
    form.get_by_test_id("threat-risk").fill("150")
    expect(form.get_by_test_id("threat-effect-problem")).to_have_text(
        re.compile("from 0 to 100|від 0 до 100")
    )
    expect(save).to_be_disabled()

    # Ground only, with a 5% risk to those aboard an aircraft flying through.
    form.get_by_test_id("threat-risk").fill("5")
    form.get_by_test_id("threat-stops-ground_ambulance").check()
    form.get_by_test_id("threat-stops-armoured_evacuation").check()
    expect(form.get_by_test_id("threat-effect-problem")).to_have_count(0)
    notes = f"ground only {uuid4().hex[:8]}"
    form.locator("input:not([type])").last.fill(notes)
    assert axe_serious(page) == []
    save.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"coordinator-threat-kinds-{locale[:2]}.png"))
    save.click()
    expect(page.get_by_test_id("threat-form")).to_have_count(0)

    (threat,) = eventually(
        lambda: [t for t in all_records(server, "threats") if t.get("notes") == notes],
        "the threat reached the server",
    )
    assert sorted(threat["stops"]) == GROUND
    assert threat["risk"] == pytest.approx(0.05)
    effect = page.locator(f'.threats li[data-area="{threat["id"]}"]').get_by_test_id(
        "threat-effect"
    )
    expect(effect).to_have_text(
        re.compile(
            r"closed to Ground ambulances, Armoured evacuation vehicles · risk 5% a pass"
            r"|закрита для: Наземні санітарні автомобілі, Броньовані евакуаційні машини"
            r" · ризик 5% за проїзд"
        ),
        timeout=10_000,
    )
