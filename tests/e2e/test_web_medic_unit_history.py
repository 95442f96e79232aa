"""A medic's phone joins a unit with a long history: the live stream brings it every entry of
the unit (here 1,200 casualties, 3,600 entries, written by other phones), and the phone must stay
in the medic's hands while it stores them. It did not: each arriving entry was written in a
transaction of its own, and each made the list, the alarms and the requests read the whole store
again, so at 1,800 entries the "+ New casualty" tap led to a card whose tourniquet buttons did
not appear within 30 s (a CI run failed a test on a shared server with that many).

On a 390x844 phone: log in, start a casualty and put a tourniquet on at once, while the history
still arrives; the entry goes out, and every casualty of the unit ends up on the phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import expect

from conftest import NewContext, Server, _build_web, eventually, log_in, start_server

from medic_phone import new_casualty

CASUALTIES = 1200


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of this module's own, with the unit's history written by another phone."""
    _build_web()
    no_history = {"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"}
    for server in start_server(tmp_path_factory.mktemp("unit-history"), no_history):
        headers = {"Authorization": f"Bearer {server.token('medic')}"}
        moment = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
        envelope = {"occurred_at": moment, "recorded_at": moment, "author": "medic",
                    "device": "another-phone"}  # fmt: skip
        events: list[dict[str, Any]] = []
        for n in range(CASUALTIES):
            casualty = str(uuid4())
            events += [
                {"kind": "casualty_registered", "event_id": str(uuid4()), "casualty_id": casualty,
                 "position": {"lat": 48.9 + n / 50_000, "lon": 38.2}, **envelope},
                {"kind": "vitals_recorded", "event_id": str(uuid4()), "casualty_id": casualty,
                 "walking": True, **envelope},
                {"kind": "note_added", "event_id": str(uuid4()), "casualty_id": casualty,
                 "text": f"found at the tree line, number {n}", **envelope},
            ]  # fmt: skip
        for start in range(0, len(events), 600):
            response = httpx.post(
                f"{server.url}/api/v1/events", json={"events": events[start : start + 600]},
                headers=headers, timeout=120,
            )  # fmt: skip
            assert response.status_code == 200 and response.json()["refused"] == 0, response.text
        yield server


def test_the_phone_stays_usable_while_the_units_history_arrives(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    page.goto("/#/medic")

    casualty = new_casualty(page)
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    expect(page.get_by_test_id("outbox")).to_contain_text("All sent")

    page.get_by_test_id("medic-back").click()
    rows = page.get_by_test_id("casualty-row")
    # The whole unit (and the demo's casualties of the unit) is on the phone, this one among them.
    expect(page.locator(f'[data-testid=casualty-row][href="#/medic/{casualty}"]')).to_have_count(1)
    eventually(lambda: rows.count() > CASUALTIES, f"the list holds the unit's {CASUALTIES} cards")
    headers = {"Authorization": f"Bearer {server.token('medic')}"}
    stored = httpx.get(
        f"{server.url}/api/v1/casualties/{casualty}", headers=headers, timeout=60
    ).json()
    assert [tq["limb"] for tq in stored["card"]["tourniquets"]] == ["left_leg"], stored
