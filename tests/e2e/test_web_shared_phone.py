"""Issue 13, item 1: one phone shared by several users leaks and loses nothing.

What a user records belongs to that user on the device: another user who logs in on the same
phone sees none of it, and nothing the first user wrote is sent under the second user's login.
Logging out with entries not yet sent warns and keeps them; when their author logs in again
they go out as the author, the tourniquet with the time it went on.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from conftest import NewContext, Server, log_in, log_out, screenshot, wait_for_service_worker

from medic_phone import open_section

SURNAME = "Shevchenko"


def record_offline_casualty(context: BrowserContext, page: Page, server: Server) -> str:
    """As the medic, offline: a new casualty, a tourniquet on the left leg, a surname."""
    log_in(page, server, "medic")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.get_by_test_id("new-casualty").click()
    page.wait_for_url(re.compile(r"#/medic/[0-9a-f-]{36}$"))
    casualty_id = page.url.rsplit("/", 1)[1]
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    open_section(page, "injuries")
    page.locator("[data-region=left-thigh]").click()
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    open_section(page, "identity")
    page.locator("input[name=name_last]").fill(SURNAME)
    page.locator("form.identity-form button[type=submit]").click()
    expect(page.get_by_role("heading", name=re.compile(SURNAME))).to_be_visible()
    expect(page.get_by_test_id("outbox-count")).not_to_have_text("All sent")
    return casualty_id


def events_posted(page: Page) -> list[str]:
    """Collect the bodies of every POST of events the page makes from now on."""
    bodies: list[str] = []

    def seen(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/api/v1/events"):
            bodies.append(request.post_data or "")

    page.on("request", seen)
    return bodies


def pending_on_the_phone(page: Page, casualty_id: str) -> int:
    """Count the casualty's entries not yet sent in every IndexedDB database of the page."""
    return int(
        page.evaluate(
            """async (id) => {
            const names = (await indexedDB.databases()).map((d) => d.name);
            let found = 0;
            for (const name of names) {
                const open = indexedDB.open(name);
                const db = await new Promise((ok) => (open.onsuccess = () => ok(open.result)));
                if (db.objectStoreNames.contains('events')) {
                    const all = db.transaction('events').objectStore('events').getAll();
                    const rows = await new Promise((ok) => (all.onsuccess = () => ok(all.result)));
                    found += rows.filter((r) => r.stream_id === id && r.state === 'pending').length;
                }
                db.close();
            }
            return found;
        }""",
            casualty_id,
        )
    )


def server_card(server: Server, casualty_id: str) -> httpx.Response:
    return httpx.get(
        f"{server.url}/api/v1/casualties/{casualty_id}",
        headers={"Authorization": f"Bearer {server.token('medic')}"},
        timeout=60,
    )


def test_another_user_on_the_same_phone_sees_none_of_the_medics_entries_and_sends_none(
    new_context: NewContext, server: Server
) -> None:
    context = new_context()
    page = context.new_page()
    casualty_id = record_offline_casualty(context, page, server)
    log_out(page)
    context.set_offline(False)
    posted = events_posted(page)

    log_in(page, server, "analyst")
    expect(page.get_by_test_id("online-state")).to_have_text("Online")
    expect(page.locator(".casualty-list li")).to_have_count(0)
    expect(page.get_by_text(SURNAME)).to_have_count(0)
    expect(page.locator(".tq-mini")).to_have_count(0)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    page.goto(f"/#/medic/{casualty_id}")
    expect(page.get_by_test_id("tq-clock")).to_have_count(0)
    expect(page.get_by_text(SURNAME)).to_have_count(0)
    # The connection check runs every 5 s and flushes the outbox: give it two rounds.
    page.wait_for_timeout(11_000)
    assert not any(casualty_id in body for body in posted), "the medic's entries went out"
    assert server_card(server, casualty_id).status_code == 404


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_logging_out_with_unsent_entries_warns_and_keeps_them(
    new_context: NewContext, server: Server, lang: str
) -> None:
    context = new_context(locale="uk-UA" if lang == "uk" else "en-GB")
    page = context.new_page()
    casualty_id = record_offline_casualty(context, page, server)

    # At least the casualty, the tourniquet and the surname.
    unsent = pending_on_the_phone(page, casualty_id)
    assert unsent >= 3
    page.get_by_role("button", name=re.compile("^(Log out|Вийти)$")).click()
    warning = page.get_by_test_id("logout-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(str(unsent))
    expect(page.get_by_test_id("logout-cancel")).to_be_focused()
    screenshot(page, f"logout-unsent-warning-phone-{lang}")
    page.get_by_test_id("logout-cancel").click()
    expect(warning).to_have_count(0)
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)

    page.get_by_role("button", name=re.compile("^(Log out|Вийти)$")).click()
    page.get_by_test_id("logout-confirm").click()
    page.locator("input[name=username]").wait_for()
    assert pending_on_the_phone(page, casualty_id) == unsent


def test_the_medic_logs_in_again_and_the_entries_go_out_as_the_medic(
    new_context: NewContext, server: Server
) -> None:
    context = new_context()
    page = context.new_page()
    before = datetime.now(UTC)
    casualty_id = record_offline_casualty(context, page, server)
    recorded = datetime.now(UTC)
    log_out(page)
    context.set_offline(False)

    log_in(page, server, "analyst")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    page.wait_for_timeout(6_000)
    log_out(page)
    assert server_card(server, casualty_id).status_code == 404

    log_in(page, server, "medic")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    expect(page.locator(".casualty-list li", has_text=SURNAME)).to_have_count(1)
    page.goto(f"/#/medic/{casualty_id}")
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    expect(page.get_by_test_id("outbox")).to_have_text("All sent")

    answer = server_card(server, casualty_id)
    assert answer.status_code == 200, answer.text
    history = answer.json()["history"]
    assert {e["kind"] for e in history} >= {
        "casualty_registered",
        "tourniquet_applied",
        "identity_recorded",
    }
    assert {e["author"] for e in history} == {"medic"}
    applied = next(e for e in history if e["kind"] == "tourniquet_applied")
    on_at = datetime.fromisoformat(applied["occurred_at"])
    assert before <= on_at <= recorded, "the tourniquet's clock did not keep its start"
    assert time.time() - on_at.timestamp() >= 6


def test_entries_left_in_the_earlier_single_store_go_to_their_author_only(
    new_context: NewContext, server: Server
) -> None:
    context = new_context()
    page = context.new_page()
    page.goto("/")
    page.locator("input[name=username]").wait_for()
    casualty_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    event = {
        "kind": "casualty_registered", "event_id": str(uuid.uuid4()), "occurred_at": now,
        "recorded_at": now, "author": "medic", "device": "web-medic-earlier",
        "casualty_id": casualty_id,
    }  # fmt: skip
    # An entry the medic left unsent in the one store all users shared before this version.
    page.evaluate(
        """async (event) => {
            const open = indexedDB.open('goldenhour');
            const db = await new Promise((ok) => (open.onsuccess = () => ok(open.result)));
            const tx = db.transaction('events', 'readwrite');
            tx.objectStore('events').put({
                event_id: event.event_id, stream: 'casualty', stream_id: event.casualty_id,
                kind: event.kind, event, state: 'pending', origin: 'device',
                created: Date.now(), attempts: 0,
            });
            await new Promise((ok) => (tx.oncomplete = ok));
            db.close();
        }""",
        event,
    )

    log_in(page, server, "analyst")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    expect(page.locator(".casualty-list li")).to_have_count(0)
    page.wait_for_timeout(6_000)
    assert server_card(server, casualty_id).status_code == 404
    log_out(page)

    log_in(page, server, "medic")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    expect(page.locator(f".casualty-list a[href='#/medic/{casualty_id}']")).to_have_count(1)
    answer = server_card(server, casualty_id)
    assert answer.status_code == 200, answer.text
    assert [e["author"] for e in answer.json()["history"]] == ["medic"]
