"""Issue 13, problem 10: when the phone's token expires, the medic is asked to log in again;
after logging in, the status recovers and the waiting entries go, without a reload. Before, no
login prompt appeared, and after logging in again the status said "Log in again to send" until
the page was reloaded.

The token is expired in the server's own database (its expiry set in the past), as time would."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from conftest import NewContext, Server, log_in, log_out, screenshot, start_server

from medic_phone import new_casualty

STORED_TOKEN = """async () => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('goldenhour');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const row = await new Promise((resolve) => {
        const query = db.transaction('session').objectStore('session').get('current');
        query.onsuccess = () => resolve(query.result);
    });
    db.close();
    return row.token;
}"""


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """A server of this module's own, whose database the test may change."""
    tmp = tmp_path_factory.mktemp("expiry")
    for running in start_server(tmp):
        yield running, tmp / "data" / "goldenhour.sqlite3"


@pytest.fixture
def server(own_server: tuple[Server, Path]) -> Server:
    """Point the browser contexts at this module's server."""
    return own_server[0]


def expire_token(page: Page, database: Path) -> None:
    """Set the expiry of the phone's token in the past, in the server's database."""
    digest = hashlib.sha256(str(page.evaluate(STORED_TOKEN)).encode()).hexdigest()
    with sqlite3.connect(database) as connection:
        changed = connection.execute(
            "UPDATE tokens SET expires_at = '2000-01-01T00:00:00+00:00' WHERE token_hash = ?",
            (digest,),
        ).rowcount
    assert changed == 1


def test_an_expired_token_asks_to_log_in_and_the_status_recovers_without_reload(
    new_context: NewContext, own_server: tuple[Server, Path]
) -> None:
    server, database = own_server
    page = new_context().new_page()
    log_in(page, server, "medic")
    expect(page.get_by_test_id("online-state")).to_have_text("Online")
    expire_token(page, database)

    casualty = new_casualty(page)
    prompt = page.get_by_test_id("login-again")
    expect(prompt).to_be_visible()
    expect(page.get_by_test_id("online-state")).to_have_text("Log in again to send")
    expect(page.get_by_test_id("outbox-count")).to_have_text("1 not sent")
    expect(prompt.locator("input[name=username]")).to_have_value("medic")
    screenshot(page, "medic-login-again-phone-en")

    prompt.locator("input[name=password]").fill(server.password)
    prompt.get_by_role("button", name="Log in").click()
    expect(prompt).to_have_count(0)
    expect(page.get_by_test_id("online-state")).to_have_text("Online")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    coordinator = server.token("coordinator")
    response = httpx.get(
        f"{server.url}/api/v1/casualties/{casualty}",
        headers={"Authorization": f"Bearer {coordinator}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text


def test_after_an_expired_token_logging_out_and_in_recovers_the_status_without_reload(
    new_context: NewContext, own_server: tuple[Server, Path]
) -> None:
    server, database = own_server
    page = new_context().new_page()
    log_in(page, server, "medic")
    expire_token(page, database)
    new_casualty(page)
    expect(page.get_by_test_id("online-state")).to_have_text("Log in again to send")

    log_out(page)  # the entry not sent stays on the phone
    page.locator("input[name=username]").fill("medic")
    page.locator("input[name=password]").fill(server.password)
    page.locator("form.login button[type=submit]").click()
    expect(page.get_by_test_id("online-state")).to_have_text("Online")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
