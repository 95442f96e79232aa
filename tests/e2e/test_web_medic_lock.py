"""Issue 13, item 16: a phone that can be captured.

The medic's store is encrypted at rest with a key opened by the user's PIN (or password): the raw
IndexedDB holds no name, unit or grid. The phone locks after a configured idle time and opens
with a gloves-friendly PIN pad (English and Ukrainian); a tourniquet alarm still sounds while it
is locked, naming no one; an entry made offline before locking waits and is sent after unlock;
a phone reported lost deletes its store at its next contact with the server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import BrowserContext, Page, expect
from test_web_views import check

from conftest import PIN, NewContext, Server, enter_pin, log_in, screenshot, unlock

from medic_phone import expect_alarm_names, new_casualty, open_section

SURNAME = "Zhytomyrskyi-Lockwood"
UNIT = "Kraken Lock Company"
GRID = "37U DQ 43561 18531"

#: Every object store of every database this origin holds, as text: JSON for what is JSON,
#: binary (ciphertext, IVs) decoded byte by byte, so nothing readable can hide in it.
RAW_STORE = """async () => {
    const dump = [];
    const text = (value) => JSON.stringify(value, (key, v) => {
        if (v instanceof ArrayBuffer) v = new Uint8Array(v);
        if (ArrayBuffer.isView(v)) {
            return String.fromCharCode(...new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        }
        return v;
    });
    for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((resolve, reject) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
        });
        for (const store of db.objectStoreNames) {
            const rows = await new Promise((resolve) => {
                const query = db.transaction(store).objectStore(store).getAll();
                query.onsuccess = () => resolve(query.result);
            });
            dump.push({ database: name, store, rows: rows.length, text: text(rows) });
        }
        db.close();
    }
    return dump;
}"""


def raw_store(page: Page) -> list[dict[str, Any]]:
    """Read every object store of every IndexedDB database of the page, raw."""
    return list(page.evaluate(RAW_STORE))


def server_casualty(server: Server, casualty_id: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.token('coordinator')}"}
    return httpx.get(f"{server.url}/api/v1/casualties/{casualty_id}", headers=headers, timeout=60)


def record_identity(page: Page, surname: str = SURNAME) -> None:
    open_section(page, "identity")
    page.locator("input[name=name_last]").fill(surname)
    page.locator("input[name=unit]").fill(UNIT)
    page.locator("form.identity-form button[type=submit]").click()


def idle_after(context: BrowserContext, seconds: int) -> None:
    """Configure this phone to lock after ``seconds`` idle (a device setting)."""
    context.add_init_script(f"localStorage.setItem('gh-lock-idle-seconds', '{seconds}')")


def test_the_raw_indexeddb_holds_no_plain_casualty_data(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    record_identity(page)
    page.get_by_test_id("mgrs-input").fill(GRID)
    page.get_by_test_id("request-medevac").click()
    expect(page.get_by_test_id("request-status")).to_be_visible()
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    # The entries were made and reached the server with the name, unit and grid...
    answer = server_casualty(server, casualty)
    assert answer.status_code == 200, answer.text
    assert SURNAME in answer.text and UNIT in answer.text

    # ... and the phone's own storage, read raw as anyone holding it could, shows none of them.
    dump = raw_store(page)
    stores = {(d["database"], d["store"]): d for d in dump}
    events = stores[("goldenhour-user-medic", "events")]
    assert events["rows"] >= 5, dump
    everything = "\n".join(d["text"] for d in dump)
    for secret in (SURNAME, "Zhytomyrskyi", UNIT, "Kraken", GRID, "43561", "18531", "above_knee"):
        assert secret not in everything, f"{secret!r} is readable in the phone's IndexedDB"
    # What stays clear is what the store is queried by: random ids, kinds, outbox states.
    assert casualty in events["text"] and "tourniquet_applied" in events["text"]


def test_the_phone_locks_when_idle_and_the_pin_pad_opens_it_in_both_languages(
    new_context: NewContext, server: Server
) -> None:
    context = new_context()
    idle_after(context, 4)
    page = context.new_page()
    log_in(page, server, "medic")
    expect(page.get_by_test_id("new-casualty")).to_be_visible()
    started = datetime.now(UTC)
    expect(page.locator(".shell[data-lock=locked]")).to_have_count(1)
    assert datetime.now(UTC) - started < timedelta(seconds=12)
    expect(page.get_by_test_id("new-casualty")).to_have_count(0)
    pad = page.get_by_test_id("pin-pad")
    expect(pad.get_by_role("heading")).to_have_text("Locked")
    # Keys big enough for gloves: at least 44 px each way (the pad makes them 72 px).
    for key in pad.locator("button.pin-key").all():
        box = key.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the PIN pad is {width} px wide on a 390 px phone"
    check(page, "en")  # axe-core: no serious or critical violation
    screenshot(page, "medic-lock-pin-pad-phone-en")

    page.get_by_role("button", name="Українська").click()
    expect(pad.get_by_role("heading")).to_have_text("Заблоковано")
    enter_pin(page, "000000")
    expect(page.get_by_test_id("pin-error")).to_have_text(
        "Неправильний ПІН-код. Залишилось спроб: 4."
    )
    check(page, "uk")  # every word in Ukrainian, and axe-core
    screenshot(page, "medic-lock-pin-pad-phone-uk")
    enter_pin(page, PIN)
    expect(page.locator(".shell[data-lock=unlocked]")).to_have_count(1)
    expect(page.get_by_test_id("new-casualty")).to_be_visible()


def test_too_many_wrong_pins_ask_for_the_password_then_a_new_pin(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    surname = f"Pin-{uuid4().hex[:8]}"
    new_casualty(page)
    record_identity(page, surname)
    page.get_by_test_id("lock-now").click()
    for left in (4, 3, 2, 1):
        enter_pin(page, "999999")
        expect(page.get_by_test_id("pin-error")).to_have_text(f"Wrong PIN. Tries left: {left}.")
    enter_pin(page, "999999")
    form = page.get_by_test_id("lock-password")
    expect(form).to_be_visible()
    # The right PIN no longer opens it: its copy of the key is gone.
    form.locator("input[name=password]").fill("not the password")
    form.get_by_role("button", name="Open").click()
    expect(form.get_by_role("alert")).to_have_text("Wrong password.")
    form.locator("input[name=password]").fill(server.password)
    form.get_by_role("button", name="Open").click()
    enter_pin(page, "246802")
    expect(page.get_by_test_id("pin-pad").get_by_role("heading")).to_have_text(
        "Enter the same PIN again"
    )
    enter_pin(page, "246802")
    expect(page.locator(".shell[data-lock=unlocked]")).to_have_count(1, timeout=30_000)
    page.get_by_test_id("medic-back").click()
    expect(page.locator(".casualty-list li", has_text=surname)).to_have_count(1)
    page.get_by_test_id("lock-now").click()
    unlock(page, "246802")


def _post_old_tourniquet(server: Server, *, minutes_ago: int) -> str:
    casualty = str(uuid4())
    on = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    envelope = {"author": "medic", "device": "e2e", "recorded_at": on.isoformat()}
    events = [
        {"kind": "casualty_registered", "casualty_id": casualty, "occurred_at": on.isoformat()},
        {"kind": "identity_recorded", "casualty_id": casualty, "occurred_at": on.isoformat(),
         "identity": {"name_last": SURNAME, "unit": UNIT}},
        {"kind": "tourniquet_applied", "casualty_id": casualty, "occurred_at": on.isoformat(),
         "category": "extremity", "limb": "left_leg",
         "location": "above the knee"},
    ]  # fmt: skip
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid4()), **envelope, **e} for e in events]},
        headers={"Authorization": f"Bearer {server.token('medic')}"},
        timeout=60,
    )
    assert response.status_code == 200 and response.json()["refused"] == 0, response.text
    return casualty


def test_a_tourniquet_alarm_sounds_while_locked_and_names_no_one(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    _post_old_tourniquet(server, minutes_ago=75)
    # Unlocked, the alarm names the casualty (the stream brought the entries to the phone).
    expect_alarm_names(page, SURNAME)
    page.get_by_test_id("lock-now").click()
    alarm = page.get_by_test_id("tq-alarm-locked")
    expect(alarm).to_be_visible()
    expect(alarm).to_contain_text("Tourniquet on over 1 hour")
    expect(alarm).to_contain_text("1 h 1")
    body = page.locator("body").inner_text()
    assert SURNAME not in body and UNIT not in body and "left leg" not in body.lower()
    screenshot(page, "medic-lock-tourniquet-alarm-phone-en")
    # A reload drops the key from memory: the alarm still sounds from the clear table.
    page.reload()
    expect(page.get_by_test_id("tq-alarm-locked")).to_contain_text("Tourniquet on over 1 hour")
    assert SURNAME not in page.locator("body").inner_text()


def test_an_entry_made_offline_before_locking_is_sent_after_unlock(
    new_context: NewContext, server: Server
) -> None:
    context = new_context()
    page = context.new_page()
    log_in(page, server, "medic")
    context.set_offline(True)
    expect(page.get_by_test_id("online-state")).to_have_text("Offline")
    casualty = new_casualty(page)
    record_identity(page)
    expect(page.get_by_test_id("outbox-count")).to_have_text("2 not sent")
    page.get_by_test_id("lock-now").click()
    context.set_offline(False)
    expect(page.get_by_test_id("online-state")).to_have_text("Online")
    # Online but locked: the entries wait, kept, since sending would need the key.
    page.wait_for_timeout(6_000)
    expect(page.get_by_test_id("outbox-count")).to_have_text("2 not sent")
    assert server_casualty(server, casualty).status_code == 404
    unlock(page)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    answer = server_casualty(server, casualty)
    assert answer.status_code == 200, answer.text
    assert SURNAME in answer.text


def test_a_phone_reported_lost_wipes_its_store_at_its_next_contact(
    new_context: NewContext, server: Server
) -> None:
    context = new_context()
    page = context.new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    record_identity(page)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    page.get_by_test_id("lock-now").click()
    device = page.evaluate("() => localStorage.getItem('gh-device')")
    admin = {"Authorization": f"Bearer {server.token('admin')}"}
    tokens = httpx.get(f"{server.url}/api/v1/auth/device-tokens", params={"username": "medic"},
                       headers=admin, timeout=60).json()["records"]  # fmt: skip
    token_id = next(t["token_id"] for t in tokens if t["device"] == device and not t["revoked"])
    revoked = httpx.delete(f"{server.url}/api/v1/auth/device-tokens/{token_id}",
                           params={"lost": "true"}, headers=admin, timeout=60)  # fmt: skip
    assert revoked.status_code == 204, revoked.text
    assert any(d["database"] == "goldenhour-user-medic" for d in raw_store(page))

    # The next contact: the phone comes back on the network (it is still locked).
    context.set_offline(True)
    context.set_offline(False)
    expect(page.get_by_test_id("wiped-notice")).to_be_visible(timeout=40_000)
    expect(page.locator("form.login input[name=username]")).to_be_visible()
    dump = raw_store(page)
    assert not any(d["database"].startswith("goldenhour-user-") for d in dump), dump
    everything = "\n".join(d["text"] for d in dump)
    assert casualty not in everything and "medic" not in everything
    assert page.evaluate("() => localStorage.getItem('gh-device')") is None
