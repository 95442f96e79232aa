"""The coordinator sees every casualty, past the first page and past 5,000 (issue 19).

The web app used to ask for the newest 5,000 cards and set its cursor to the newest, so older
cards never loaded. A server of its own is filled through the API with 5,200 casualties; the
screen is usable after the first page and the count reaches every casualty as the older pages
arrive, with the default page (5,000) and with a small one (``?page_size=``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Browser, expect

from conftest import LAPTOP, Server, log_in, start_server, unlock

CASUALTIES = 5200


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, int]]:
    """A server with 5,200 casualties more than the demo's; give it and the total admin sees."""
    # No past weeks: every card is then still in the chain, so the live map counts them all.
    no_history = {"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"}
    for server in start_server(tmp_path_factory.mktemp("every-page"), no_history):
        headers = {"Authorization": f"Bearer {server.token('admin')}"}
        moment = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
        envelope = {"occurred_at": moment, "recorded_at": moment, "author": "admin",
                    "device": "e2e"}  # fmt: skip
        events: list[dict[str, Any]] = [
            {"kind": "casualty_registered", "event_id": str(uuid4()), "casualty_id": str(uuid4()),
             "position": {"lat": 48.6 + n / 20_000, "lon": 37.6}, **envelope}
            for n in range(CASUALTIES)
        ]  # fmt: skip
        for start in range(0, len(events), 1000):
            response = httpx.post(
                f"{server.url}/api/v1/events", json={"events": events[start : start + 1000]},
                headers=headers, timeout=120,
            )  # fmt: skip
            assert response.status_code == 200, response.text
            assert response.json()["refused"] == 0, response.text
        total = _total(server, headers)
        assert total > CASUALTIES
        yield server, total


def _total(server: Server, headers: dict[str, str]) -> int:
    """Count the cards the API gives admin, following every page."""
    seen: set[str] = set()
    before = ""
    while True:
        body = httpx.get(
            f"{server.url}/api/v1/casualties?limit=5000{before}", headers=headers, timeout=60
        ).json()
        seen.update(card["casualty_id"] for card in body["casualties"])
        if not body["more"]:
            return len(seen)
        before = f"&before={body['next_cursor']}"


@pytest.mark.parametrize("page_size", [None, 700])
def test_the_coordinator_sees_every_casualty_page_after_page(
    browser: Browser, filled: tuple[Server, int], page_size: int | None
) -> None:
    server, total = filled
    context = browser.new_context(base_url=server.url, viewport=LAPTOP)
    page = context.new_page()
    log_in(page, server, "admin")
    if page_size is None:
        page.goto("/#/coordinator")
    else:
        page.goto(f"/?page_size={page_size}#/coordinator")  # a new document: the app locks
        unlock(page)
    count = page.get_by_test_id("map-count")
    expect(count).to_contain_text(f"{total} casualties", timeout=60_000)
    expect(page.get_by_test_id("loading-older")).to_have_count(0)
    context.close()
