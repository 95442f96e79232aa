"""Helpers for the medic's phone in e2e tests: read what the device stored, open a casualty."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

#: Events this device made (origin "device"), counted by kind, optionally for one casualty.
_DEVICE_EVENTS = """async ({ kind, casualty }) => {
    // Each user has a store of their own (goldenhour-user-NAME); count over every one.
    let found = 0;
    for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((resolve, reject) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
        });
        if (db.objectStoreNames.contains('events')) {
            const rows = await new Promise((resolve) => {
                const query = db.transaction('events').objectStore('events').getAll();
                query.onsuccess = () => resolve(query.result);
            });
            // The event's content is sealed (encrypted): its stream id is in clear.
            found += rows.filter((row) => row.origin === 'device' && row.kind === kind
                && (!casualty || row.stream_id === casualty)).length;
        }
        db.close();
    }
    return found;
}"""


def device_events(page: Page, kind: str, casualty_id: str | None = None) -> int:
    """Count the events of ``kind`` this phone recorded (for one casualty if given)."""
    return int(page.evaluate(_DEVICE_EVENTS, {"kind": kind, "casualty": casualty_id}))


def new_casualty(page: Page) -> str:
    """Start a casualty with one tap and return its id (from the address of its card)."""
    page.get_by_test_id("new-casualty").click()
    page.wait_for_url(re.compile(r"#/medic/[0-9a-f-]{36}$"))
    return page.url.rsplit("/", 1)[1]


def open_section(page: Page, section: str) -> None:
    """Unfold a section of the casualty card (injuries, treatments, vitals, identity...)."""
    toggle = page.get_by_test_id(f"section-{section}")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def expect_alarm_names(page: Page, text: str | re.Pattern[str], timeout_s: float = 20) -> None:
    """Wait until the tourniquet alarm bar shows ``text`` (a name, a time). Where several alarms
    are summed up on the bar (other tests' tourniquets on a shared server), open their list."""
    bar = page.get_by_test_id("tq-alarm")
    summary = page.get_by_test_id("tq-alarm-summary")
    deadline = time.monotonic() + timeout_s
    while True:
        if summary.count() and summary.get_attribute("aria-expanded") == "false":
            try:
                summary.click(timeout=2_000)
            except PlaywrightError:
                pass  # the summary went as an alarm cleared: look again
        shown = bar.inner_text() if bar.count() else ""
        if text.search(shown) if isinstance(text, re.Pattern) else text in shown:
            return
        assert time.monotonic() < deadline, f"the alarm bar never showed {text!r}: {shown!r}"
        page.wait_for_timeout(200)
