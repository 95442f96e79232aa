"""The coordinator's live map shows the casualties still in the chain of evacuation, not the closed
past ones (issue 17, item 4): the demo's weeks of history (GOLDENHOUR_DEMO_HISTORY_WEEKS, 4 by
default), which the brigade's administrator sees, stay off the map and out of its count."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from conftest import NewContext, Server, log_in, screenshot
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID

LAPTOP_1280 = {"width": 1280, "height": 800}

ON_MAP = """async () => {
    const map = window.__ghMap;
    return (await map.getSource('casualties').getData()).features.map((f) => f.properties.id);
}"""


def test_the_live_map_leaves_out_closed_and_handed_over_past_casualties(
    new_context: NewContext, server: Server
) -> None:
    headers = {"Authorization": f"Bearer {server.token('admin')}"}
    body = httpx.get(f"{server.url}/api/v1/casualties?limit=5000", headers=headers).json()
    assert not body.get("more"), "one page holds every card"
    status = {c["casualty_id"]: c["status"] for c in body["casualties"]}
    closed = {c for c, s in status.items() if s == "closed"}
    assert len(closed) > 50, "the demo's past weeks are there (the default is 4 weeks)"

    page = new_context(size=LAPTOP_1280).new_page()
    log_in(page, server, "admin")
    page.goto("/#/coordinator")
    expect(page.get_by_test_id("loading-older")).to_have_count(0, timeout=60_000)
    page.wait_for_function(
        "() => { const m = window.__ghMap; return m && m.getSource('casualties') && m.loaded(); }",
        timeout=60_000,
    )  # fmt: skip
    page.wait_for_function(
        f"async () => ({ON_MAP})().then((ids) => ids.includes('{DEMO_CASUALTY_ID}'))",
        timeout=30_000,
    )  # fmt: skip
    shown = set(page.evaluate(ON_MAP))
    assert str(DEMO_CASUALTY_ID) in shown
    assert not shown & closed, f"{len(shown & closed)} closed casualties on the live map"
    # Every card shown is one not yet at a facility, or named by a request not closed.
    requests = httpx.get(f"{server.url}/api/v1/requests?limit=5000", headers=headers).json()
    requested = {
        c for r in requests["records"] if r["status"] != "cancelled" for c in r["casualty_ids"]
    }
    before_a_facility = {
        c for c, s in status.items() if s in ("at_point_of_injury", "awaiting_evacuation")
    }
    assert shown <= before_a_facility | requested
    past = {c for c, s in status.items() if s == "handed_over"} - requested
    assert len(past) > 50 and not shown & past, "the past weeks' handed-over casualties stay off"
    expect(page.get_by_test_id("map-count")).to_contain_text(
        re.compile(rf"On the map: {len(shown)} casualties")
    )
    screenshot(page, "coordinator-live-map-admin-laptop-1280-en")
