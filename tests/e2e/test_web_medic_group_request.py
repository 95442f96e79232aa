"""Issue 13, item 12: several casualties at one site. The medic's list is sorted by triage
category with a count of each; three casualties selected make one 9-line request (line 3 counted
by precedence, line 5 by litter or seat), however fast "Send" is tapped; the coordinator's queue
shows it with its counts, and each casualty's row shows the one request. In English and
Ukrainian, on a 390x844 phone.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Page, expect
from test_web_views import SMALL_TARGETS, check

from conftest import (
    LAPTOP,
    SCREENSHOTS,
    NewContext,
    Server,
    all_records,
    eventually,
    log_in,
    screenshot,
)

from medic_phone import device_events, new_casualty

WORDS = {
    "en": {"sent": "One request for 3 saved", "row": "one request for 3 casualties",
           "patients": "3 patients", "immediate": "T1 immediate: {n}", "cancelled": "Cancelled",
           "line5": "Line 5: litter 2, walking 1"},
    "uk": {"sent": "Один запит для 3 збережено", "row": "один запит для 3 поранених",
           "patients": "пацієнтів: 3", "immediate": "T1 невідкладна: {n}", "cancelled": "Скасовано",
           "line5": "Рядок 5: на ношах 2, ходячих 1"},
}  # fmt: skip


def _casualty(page: Page, limb: str | None = None, at: str | None = None) -> str:
    """Start a casualty (with a tourniquet on ``limb`` if given) and return to the list."""
    # A second "New casualty" within a second is taken for a bounce (issue 13, item 3).
    page.wait_for_timeout(1100)
    casualty = new_casualty(page)
    if limb and at:
        page.get_by_test_id(f"tq-{limb}").click()
        page.get_by_test_id(f"tq-at-{at}").click()
        expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    page.get_by_test_id("medic-back").click()
    page.get_by_test_id("new-casualty").wait_for()
    return casualty


def _seen_walking(server: Server, casualty: str) -> None:
    """Record, as the medic on another device, that the casualty walks (START minimal, seated).

    Sent through the API rather than the vitals form: what is tested here is the list and the
    request; the phone receives it as it receives any entry made elsewhere.
    """
    moment = datetime.now(UTC).isoformat()
    event = {
        "kind": "vitals_recorded", "event_id": str(uuid4()), "casualty_id": casualty,
        "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "e2e",
        "walking": True,
    }  # fmt: skip
    headers = {"Authorization": f"Bearer {server.token('medic')}"}
    for _ in range(50):  # until the phone has sent the registration
        answer = httpx.post(
            f"{server.url}/api/v1/events", json={"events": [event]}, headers=headers, timeout=60
        )
        if answer.json()["results"][0]["outcome"] == "accepted":
            return
        time.sleep(0.2)
    raise AssertionError(answer.text)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_three_selected_casualties_make_one_request_the_coordinator_sees_with_its_counts(
    new_context: NewContext, server: Server, lang: str
) -> None:
    words = WORDS[lang]
    page = new_context(locale="uk-UA" if lang == "uk" else "en-GB").new_page()
    log_in(page, server, "medic")
    page.goto("/#/medic")
    legs = _casualty(page, "left_leg", "above_knee")
    arm = _casualty(page, "right_arm", "above_elbow")
    walker = _casualty(page)
    left_out = _casualty(page)
    _seen_walking(server, walker)
    row = page.locator(f'[data-testid=casualty-row][href="#/medic/{walker}"]')
    expect(row.locator(".badge.t-T3")).to_have_count(1)

    # The list: immediate first, with the count of each category at the top.
    # (The server holds the demo's casualties too: count the rows of each category shown.)
    rows = page.get_by_test_id("casualty-row")

    # The list and its count are read until read at one moment (the server's cards still come).
    def immediate_shown() -> int:
        n = rows.locator(".badge.t-T1").count()
        shown = page.get_by_test_id("count-T1").inner_text()
        return n if shown == words["immediate"].format(n=n) else 0

    immediate = eventually(immediate_shown, "the T1 count says how many T1 rows are shown")
    assert immediate >= 2
    categories = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=casualty-row]')].map(
            (row) => row.querySelector('.badge[class*=t-]')?.className ?? '')"""
    )
    order = ["t-T1", "t-T2", "t-T3", "t-T4", "t-dead"]
    ranks = [next((j for j, c in enumerate(order) if c in k), 2.5) for k in categories]
    assert ranks == sorted(ranks), categories
    first_two = {rows.nth(i).get_attribute("href") for i in range(2)}
    assert first_two == {f"#/medic/{legs}", f"#/medic/{arm}"}

    for casualty in (legs, arm, walker):
        page.locator(f"[data-testid=select-casualty][data-casualty='{casualty}']").check()
    expect(page.get_by_test_id("group-request")).to_contain_text("3")
    assert page.evaluate(SMALL_TARGETS) == []
    check(page, lang)
    screenshot(page, f"medic-group-list-phone-{lang}")

    page.get_by_test_id("group-request").click()
    nine_line = page.get_by_test_id("group-nine-line")
    expect(nine_line).to_contain_text("LINE 3: A0 B2 C0 D1 E0")
    expect(nine_line).to_contain_text("LINE 5: L2 A1")
    expect(page.get_by_test_id("group-member")).to_have_count(3)
    check(page, lang)
    page.get_by_test_id("group-form").screenshot(
        path=str(screenshot_path(f"medic-group-request-phone-{lang}"))
    )

    # A double tap (a gloved thumb bouncing) makes one request, not two.
    page.get_by_test_id("group-send").dblclick()
    # Writing four events to the encrypted store took over 5 s on a machine at load 30.
    expect(page.get_by_test_id("group-sent")).to_contain_text(words["sent"])
    expect(page.get_by_test_id("outbox")).to_have_class("outbox ok")
    assert device_events(page, "evacuation_request_filed") == 1
    assert device_events(page, "evacuation_requested") == 3

    [request] = [r for r in all_records(server, "requests") if legs in r["casualty_ids"]]
    assert sorted(request["casualty_ids"]) == sorted([legs, arm, walker])
    assert request["precedence"] == "B"
    # Each casualty of the request shows it; the one left out shows none.
    for casualty in (legs, arm, walker):
        row = page.locator(f'[data-testid=casualty-row][href="#/medic/{casualty}"]')
        expect(row.get_by_test_id("row-request")).to_contain_text(words["row"])
    left_row = page.locator(f'[data-testid=casualty-row][href="#/medic/{left_out}"]')
    expect(left_row.get_by_test_id("row-request")).to_have_count(0)
    screenshot(page, f"medic-group-sent-phone-{lang}")

    # The coordinator's queue: one request, its line 3 and line 5 counts.
    desk = new_context(locale="uk-UA" if lang == "uk" else "en-GB", size=LAPTOP).new_page()
    log_in(desk, server, "coordinator")
    desk.goto("/#/coordinator")
    item = desk.get_by_test_id("queue-item").filter(has=desk.get_by_test_id("queue-counts"))
    counts = item.get_by_test_id("queue-counts").filter(has_text=words["patients"]).first
    expect(counts).to_contain_text(words["line5"])
    expect(counts.locator("xpath=..").get_by_test_id("open-card")).to_have_count(3)
    counts.scroll_into_view_if_needed()
    desk.locator("section.queue").screenshot(
        path=str(screenshot_path(f"coordinator-group-queue-{lang}"))
    )

    # Cancelling from one casualty's card cancels the request for all three.
    page.goto(f"/#/medic/{walker}")
    page.get_by_test_id("request-cancel").click()
    page.get_by_test_id("cancel-reason").fill("Moved by their own unit")
    page.get_by_test_id("cancel-submit").click()
    page.get_by_test_id("medic-back").click()
    for casualty in (legs, arm, walker):
        row = page.locator(f'[data-testid=casualty-row][href="#/medic/{casualty}"]')
        expect(row.get_by_test_id("row-request")).to_contain_text(words["cancelled"])


def screenshot_path(name: str) -> Any:
    # Imported with the module, not here: at run time "conftest" may name another folder's.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
