"""Issue 13, problem 2 for the entries added since (item 11): a refused fluid or time of injury
opens pre-filled in its form with "Correct", as refused vitals do; saved again, the corrected
entry replaces the refused one. The refused entries are written into the medic's outbox as an
older app version (without the form's check) could have saved them."""

from __future__ import annotations

from playwright.sync_api import expect

from conftest import NewContext, Server, log_in

from medic_phone import device_events, new_casualty

#: Puts one entry of `kind` with `fields` into the medic's outbox, as pending; returns the event.
PUT_PENDING = """async ({ casualty, kind, fields }) => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('goldenhour-user-medic');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const now = new Date().toISOString();
    const id = crypto.randomUUID();
    const event = { kind, event_id: id, occurred_at: now, recorded_at: now, author: 'medic',
        device: 'e2e', casualty_id: casualty, ...fields };
    await new Promise((resolve) => {
        const tx = db.transaction('events', 'readwrite');
        tx.objectStore('events').put({ event_id: id, stream: 'casualty', stream_id: casualty,
            kind, event, state: 'pending', origin: 'device', created: Date.now(), attempts: 0 });
        tx.oncomplete = resolve;
    });
    db.close();
    return event;
}"""


def test_a_refused_fluid_opens_pre_filled_in_the_fluid_form_and_is_replaced(
    new_context: NewContext, server: Server
) -> None:
    """20,000 ml of whole blood IO is refused; "Correct" unfolds the treatments with the product,
    route and volume filled in and the volume marked; 450 ml replaces the refused entry."""
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    fields = {
        "fluid_kind": "blood_product",
        "name": "Whole blood",
        "volume_ml": 20000,
        "route": "IO",
    }
    page.evaluate(PUT_PENDING, {"casualty": casualty, "kind": "fluid_given", "fields": fields})
    refused = page.locator(".casualty .outbox .refused")
    expect(refused.get_by_test_id("refused-field-volume_ml")).to_contain_text("20000")
    expect(page.get_by_test_id("outbox-count")).to_have_text("1 refused")

    expect(page.get_by_test_id("section-treatments")).to_have_attribute("aria-expanded", "false")
    refused.get_by_test_id("outbox-correct").click()
    expect(page.get_by_test_id("section-treatments")).to_have_attribute("aria-expanded", "true")
    form = page.get_by_test_id("fluid-form")
    volume = form.locator("input[name=volume_ml]")
    expect(volume).to_have_value("20000")
    expect(volume).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[data-fluid='Whole blood']")).to_have_attribute("aria-pressed", "true")
    expect(form.locator("[data-route=IO]")).to_have_attribute("aria-pressed", "true")
    expect(volume).to_be_in_viewport()

    volume.fill("450")
    form.get_by_test_id("fluid-give").click()
    expect(refused).to_have_count(0)
    entry = page.get_by_test_id("fluid-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Whole blood 450 ml IO")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    assert device_events(page, "fluid_given", casualty) == 1


#: The local HH:MM of an ISO time in the page's time zone (how the time input shows it).
LOCAL_HH_MM = """(iso) => {
    const d = new Date(iso);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}"""


def test_a_refused_time_of_injury_opens_pre_filled_and_is_replaced(
    new_context: NewContext, server: Server
) -> None:
    """A time of injury two hours after it was recorded is refused; "Correct" unfolds the
    injuries with that time in the field, marked; 00:00 replaces the refused entry."""
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    later = page.evaluate("() => new Date(Date.now() + 2 * 3600 * 1000).toISOString()")
    page.evaluate(
        PUT_PENDING,
        {"casualty": casualty, "kind": "injury_time_recorded", "fields": {"injured_at": later}},
    )
    refused = page.locator(".casualty .outbox .refused")
    expect(refused.get_by_test_id("refused-field-injured_at")).to_contain_text(
        "after it was recorded"
    )

    expect(page.get_by_test_id("section-injuries")).to_have_attribute("aria-expanded", "false")
    refused.get_by_test_id("outbox-correct").click()
    expect(page.get_by_test_id("section-injuries")).to_have_attribute("aria-expanded", "true")
    field = page.get_by_test_id("injury-time-form").locator("input[name=injured_at]")
    expect(field).to_have_value(page.evaluate(LOCAL_HH_MM, later))
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_in_viewport()

    field.fill("00:00")
    page.get_by_test_id("injury-time-save").click()
    expect(refused).to_have_count(0)
    expect(page.get_by_test_id("injury-time-value")).to_contain_text("00:00")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    assert device_events(page, "injury_time_recorded", casualty) == 1


def test_a_refused_burn_sets_its_choices_again_and_the_next_tap_replaces_it(
    new_context: NewContext, server: Server
) -> None:
    """A burn of 150 %TBSA on the chest is refused; "Correct" unfolds the injuries with burn and
    blast chosen and 150 in the area, marked; 9 % and a tap on the chest replace the entry."""
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    fields = {
        "region": "chest",
        "laterality": "midline",
        "view": "front",
        "kinds": ["burn"],
        "mechanisms": ["blast"],
        "burn_tbsa_percent": 150,
        "diagram_x": 0.5,
        "diagram_y": 0.26,
    }
    page.evaluate(PUT_PENDING, {"casualty": casualty, "kind": "injury_recorded", "fields": fields})
    refused = page.locator(".casualty .outbox .refused")
    expect(refused.get_by_test_id("refused-field-burn_tbsa_percent")).to_be_visible()

    refused.get_by_test_id("outbox-correct").click()
    expect(page.get_by_test_id("section-injuries")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("injury-correcting")).to_be_visible()
    expect(page.locator("[data-chip=injury_kind-burn]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-chip=mechanism-blast]")).to_have_attribute("aria-pressed", "true")
    area = page.get_by_test_id("burn-area").locator("input[name=burn_tbsa_percent]")
    expect(area).to_have_value("150")
    expect(area).to_have_attribute("aria-invalid", "true")

    area.fill("9")
    page.locator("[data-region=midline-chest]").click()
    expect(refused).to_have_count(0)
    expect(page.get_by_test_id("injury-correcting")).to_have_count(0)
    expect(page.get_by_test_id("burn-entry")).to_have_count(1)
    expect(page.get_by_test_id("burn-total")).to_contain_text("9")
    expect(page.get_by_test_id("outbox-count")).to_have_text("All sent")
    assert device_events(page, "injury_recorded", casualty) == 1
