"""Issue 13, items 1 and 16: a tourniquet alarm is the device's, not only its user's.

Medic A puts a tourniquet on a casualty with the phone, then logs out (or the phone locks) and
medic B logs in on the same phone. A's tourniquet is still on the casualty: its 1 h and 2 h
warnings must still sound on this phone, while B works and while the phone shows the login
screen, until A records the removal. They come from the clear table of start times each user's
store keeps (no key needed), name the user whose casualty it is (so B can fetch A) and name no
casualty.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Page, expect
from test_web_views import axe_serious

from conftest import NewContext, Server, _build_web, log_in, log_out, screenshot, start_server

SURNAME = "Hrushevskyi-Alarmson"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of this module's own: the session's holds other tests' tourniquets, some on
    for over an hour, whose alarms would sound beside (and outlast) the one asserted here."""
    _build_web()
    yield from start_server(tmp_path_factory.mktemp("alarms-server"))


UNIT = "Kraken Alarm Platoon"


def post_events(server: Server, events: list[dict[str, object]], *, at: datetime) -> None:
    """Record ``events`` as the medic through the API (the stream brings them to the phone);
    an event without its own ``event_id`` gets a fresh one."""
    envelope = {"author": "medic", "device": "e2e", "recorded_at": at.isoformat()}
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid4()), **envelope, **e} for e in events]},
        headers={"Authorization": f"Bearer {server.token('medic')}"},
        timeout=60,
    )
    assert response.status_code == 200 and response.json()["refused"] == 0, response.text


def old_tourniquet(server: Server, *, minutes_ago: int) -> tuple[str, str]:
    """A casualty with a tourniquet that went on ``minutes_ago``: (casualty id, application id)."""
    casualty, application = str(uuid4()), str(uuid4())
    on = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    events = [
        {"kind": "casualty_registered", "casualty_id": casualty, "occurred_at": on.isoformat()},
        {"kind": "identity_recorded", "casualty_id": casualty, "occurred_at": on.isoformat(),
         "identity": {"name_last": SURNAME, "unit": UNIT}},
        {"event_id": application, "kind": "tourniquet_applied", "casualty_id": casualty,
         "occurred_at": on.isoformat(), "category": "extremity", "limb": "left_leg",
         "location": "above the knee"},
    ]  # fmt: skip
    post_events(server, events, at=on)
    return casualty, application


def shows_no_casualty(page: Page) -> None:
    body = page.locator("body").inner_text()
    assert SURNAME not in body and UNIT not in body and "left leg" not in body.lower(), body


def test_a_tourniquet_alarm_of_one_user_sounds_while_another_uses_the_phone_until_removed(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty, application = old_tourniquet(server, minutes_ago=75)
    expect(page.get_by_test_id("tq-alarm")).to_contain_text(SURNAME)
    # An alarm must be read at a glance in daylight: its text contrasts with the warning colour.
    assert axe_serious(page) == []
    # The clear table has the start time once the card is folded.
    page.wait_for_timeout(1_500)

    # A logs out: the login screen still sounds A's alarm, saying whose casualty it is.
    log_out(page)
    alarm = page.get_by_test_id("tq-alarm-device")
    expect(alarm).to_be_visible()
    expect(alarm).to_contain_text("Tourniquet on over 1 hour")
    expect(alarm).to_contain_text("1 h 1")
    expect(alarm).to_contain_text("medic")
    shows_no_casualty(page)

    # B logs in on the same phone: A's alarm goes on sounding while B works, and while locked.
    log_in(page, server, "analyst")
    expect(page.get_by_test_id("tq-alarm-device")).to_contain_text("Tourniquet on over 1 hour")
    expect(page.get_by_test_id("tq-alarm-device")).to_contain_text("medic")
    expect(page.get_by_test_id("tq-alarm")).to_have_count(0)
    shows_no_casualty(page)
    screenshot(page, "medic-shared-phone-alarm-phone-en")
    page.get_by_test_id("lock-now").click()
    expect(page.get_by_test_id("tq-alarm-device")).to_contain_text("medic")
    shows_no_casualty(page)

    # Ukrainian: the same alarm, in Ukrainian.
    page.get_by_role("button", name="Українська").click()
    expect(page.get_by_test_id("tq-alarm-device")).to_contain_text("Турнікет понад 1 годину")
    page.get_by_role("button", name="English").click()

    # A comes back and the removal is recorded: the alarm stops on the phone for everyone.
    page.reload()
    page.locator(".shell[data-lock=locked]").wait_for()
    log_out(page)
    log_in(page, server, "medic")
    now = datetime.now(UTC)
    post_events(
        server,
        [
            {
                "kind": "tourniquet_removed",
                "casualty_id": casualty,
                "application_id": application,
                "occurred_at": now.isoformat(),
            }
        ],  # fmt: skip
        at=now,
    )
    expect(page.get_by_test_id("tq-alarm")).to_have_count(0)
    page.wait_for_timeout(1_500)
    log_out(page)
    page.wait_for_timeout(3_000)
    expect(page.get_by_test_id("tq-alarm-device")).to_have_count(0)
