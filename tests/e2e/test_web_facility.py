"""Issue 17, the facility board: walk-ins registered from the board, handover (who received the
casualty, when, in what condition), status and capacity, and the arrival alert."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from conftest import LAPTOP, NewContext, Server, log_in, screenshot, unlock
from test_web_views import axe_serious


def _open_board(page: Page, server: Server, locale: str = "en-GB") -> None:
    log_in(page, server, "facility")
    page.goto("/#/facility")
    page.locator(".capacity").wait_for()


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_a_walk_in_registered_from_the_board_appears_on_it(
    new_context: NewContext, server: Server, locale: str
) -> None:
    page = new_context(size=LAPTOP, locale=locale).new_page()
    _open_board(page, server, locale)
    name = f"Walkin{uuid.uuid4().hex[:6]}"

    page.get_by_test_id("walk-in").click()
    form = page.get_by_test_id("walk-in-form")
    form.get_by_test_id("walk-in-name").fill(name)
    assert axe_serious(page) == []
    form.get_by_test_id("walk-in-submit").click()

    received = page.get_by_test_id("received-item").filter(has_text=name)
    expect(received).to_have_count(1, timeout=10_000)
    expect(received).to_contain_text(re.compile("walk-in|самостійно", re.IGNORECASE))
    # It came back from the server: still there after a reload, not only on this device.
    expect(page.get_by_test_id("outbox-count")).to_have_class(re.compile("sent"), timeout=10_000)
    page.reload()
    page.locator(".shell[data-lock=locked], .shell[data-lock=unlocked]").wait_for()
    if page.locator(".shell[data-lock=locked]").count():
        unlock(page)
    expect(page.get_by_test_id("received-item").filter(has_text=name)).to_have_count(
        1, timeout=10_000
    )
    assert axe_serious(page) == []
    screenshot(page, f"facility-walk-in-laptop-{locale[:2]}")
