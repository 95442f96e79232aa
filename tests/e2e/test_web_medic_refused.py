"""Issue 13, problem 2 (the phone's side): the form checks the server's own bounds before
saving and names every bad field; an entry the server refused stays visible, marked, and can be
discarded (confirmed); the status never says "All sent" while anything is refused."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import NewContext, Server, log_in, screenshot

from medic_phone import device_events, new_casualty, open_section

#: An entry the server refuses (a pulse of 400), as an older version of the app could have
#: saved it: written straight into the outbox of the medic's own store on the device.
PUT_REFUSABLE = """async (casualty) => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('goldenhour-user-medic');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const now = new Date().toISOString();
    const id = crypto.randomUUID();
    const event = { kind: 'vitals_recorded', event_id: id, occurred_at: now, recorded_at: now,
        author: 'medic', device: 'e2e', casualty_id: casualty, pulse: 400 };
    await new Promise((resolve) => {
        const tx = db.transaction('events', 'readwrite');
        tx.objectStore('events').put({ event_id: id, stream: 'casualty', stream_id: casualty,
            kind: event.kind, event, state: 'pending', origin: 'device', created: Date.now(),
            attempts: 0 });
        tx.oncomplete = resolve;
    });
    db.close();
}"""


def test_the_vitals_form_names_every_field_out_of_bounds_and_saves_nothing(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    open_section(page, "vitals")
    form = page.locator("form.vitals-form")
    form.locator("input[name=pulse]").fill("400")
    form.locator("input[name=spo2]").fill("999")
    form.locator("input[name=systolic]").fill("90")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("vital-error-pulse")).to_contain_text("0 to 300")
    expect(page.get_by_test_id("vital-error-spo2")).to_contain_text("0 to 100")
    expect(page.get_by_test_id("vital-error-systolic")).to_have_count(0)
    expect(form.locator("input[name=pulse]")).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(500)
    assert device_events(page, "vitals_recorded", casualty) == 0

    form.locator("input[name=pulse]").fill("120")
    form.locator("input[name=spo2]").fill("95")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("trend-pulse")).to_contain_text("120")
    assert device_events(page, "vitals_recorded", casualty) == 1


def test_a_refused_entry_stays_marked_the_status_says_so_and_it_can_be_discarded(
    new_context: NewContext, server: Server
) -> None:
    page: Page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    page.evaluate(PUT_REFUSABLE, casualty)
    refused = page.locator(".casualty .outbox .refused")
    expect(refused).to_contain_text("pulse")
    expect(page.get_by_test_id("outbox-count")).to_have_text("1 refused")
    screenshot(page, "medic-refused-phone-en")

    refused.get_by_test_id("outbox-discard").click()
    refused.get_by_test_id("discard-yes").click()
    expect(refused).to_have_count(0)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")


def test_the_identity_form_refuses_text_over_the_server_limit_naming_the_field(
    new_context: NewContext, server: Server
) -> None:
    """A 5,000-character surname is refused in the form, naming it; nothing is saved."""
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    open_section(page, "identity")
    form = page.locator("form.identity-form")
    form.locator("input[name=callsign]").fill("Bear")
    form.locator("input[name=name_last]").fill("x" * 5000)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("text-error-name_last")).to_contain_text("4000")
    expect(page.get_by_test_id("text-error-callsign")).to_have_count(0)
    expect(form.locator("input[name=name_last]")).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(500)
    assert device_events(page, "identity_recorded", casualty) == 0

    form.locator("input[name=name_last]").fill("Petrenko")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("text-error-name_last")).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Bear"))).to_be_visible()
    assert device_events(page, "identity_recorded", casualty) == 1
    expect(form.locator("input[name=name_last]")).to_have_value("Petrenko")


#: Vitals with two values the server refuses, written to the medic's outbox as an older app
#: version (without the form's check) could have saved them.
PUT_REFUSED_VITALS = PUT_REFUSABLE.replace(
    "casualty_id: casualty, pulse: 400 }",
    "casualty_id: casualty, pulse: 400, spo2: 999, respiratory_rate: 16 }",
)


def test_a_refused_entry_on_the_card_names_each_field_and_opens_its_form_to_correct(
    new_context: NewContext, server: Server
) -> None:
    """Pulse 400 and SpO2 999 refused: both reasons shown on the card; "Correct" pre-fills the
    vitals form; the corrected set is sent and the refused one is gone."""
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    page.evaluate(PUT_REFUSED_VITALS, casualty)
    refused = page.locator(".casualty .outbox .refused")
    expect(refused.get_by_test_id("refused-field-pulse")).to_contain_text("400")
    expect(refused.get_by_test_id("refused-field-spo2")).to_contain_text("999")

    # The vitals are folded away on the card: "Correct" unfolds them.
    expect(page.get_by_test_id("section-vitals")).to_have_attribute("aria-expanded", "false")
    refused.get_by_test_id("outbox-correct").click()
    expect(page.get_by_test_id("section-vitals")).to_have_attribute("aria-expanded", "true")
    form = page.locator("form.vitals-form")
    expect(form.locator("input[name=pulse]")).to_have_value("400")
    expect(form.locator("input[name=spo2]")).to_have_value("999")
    expect(form.locator("input[name=respiratory_rate]")).to_have_value("16")
    expect(form.locator("input[name=pulse]")).to_be_in_viewport()
    form.locator("input[name=pulse]").fill("120")
    form.locator("input[name=spo2]").fill("95")
    form.locator("button[type=submit]").click()
    expect(refused).to_have_count(0)
    expect(page.get_by_test_id("trend-pulse")).to_contain_text("120")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    assert device_events(page, "vitals_recorded", casualty) == 1


#: An identity with a 5,000-character surname, written to the outbox as an older app could have.
PUT_REFUSED_IDENTITY = PUT_REFUSABLE.replace(
    "kind: 'vitals_recorded'", "kind: 'identity_recorded'"
).replace(
    "casualty_id: casualty, pulse: 400 }",
    "casualty_id: casualty, identity: { callsign: 'Bear', name_last: 'x'.repeat(5000) } }",
)


def test_a_refused_identity_opens_pre_filled_with_the_long_field_marked(
    new_context: NewContext, server: Server
) -> None:
    """The refused surname is named on the card; "Correct" fills the identity form with it,
    marked as too long; a shorter surname replaces the refused entry."""
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    page.evaluate(PUT_REFUSED_IDENTITY, casualty)
    refused = page.locator(".casualty .outbox .refused")
    expect(refused.get_by_test_id("refused-field-identity.name_last")).to_contain_text("5000")
    refused.get_by_test_id("outbox-correct").click()
    expect(page.get_by_test_id("section-identity")).to_have_attribute("aria-expanded", "true")
    form = page.locator("form.identity-form")
    expect(form.locator("input[name=callsign]")).to_have_value("Bear")
    expect(page.get_by_test_id("text-error-name_last")).to_contain_text("4000")
    form.locator("input[name=name_last]").fill("Petrenko")
    form.locator("button[type=submit]").click()
    expect(refused).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Bear"))).to_be_visible()
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    assert device_events(page, "identity_recorded", casualty) == 1
