"""Issue 13, problem 3: one user action makes one entry however fast it is tapped; a second
tourniquet on a limb that already has one asks to confirm; doses must be positive numbers.

Double taps are real fast double clicks at phone size (Playwright's ``dblclick``: two clicks
with no pause between them), the way a gloved thumb bounces on a button."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import NewContext, Server, log_in

from medic_phone import device_events, new_casualty, open_section


def test_a_double_tap_on_new_casualty_makes_one_casualty(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    page.get_by_test_id("new-casualty").dblclick()
    page.wait_for_url(re.compile(r"#/medic/[0-9a-f-]{36}$"))
    page.wait_for_timeout(1500)
    assert device_events(page, "casualty_registered") == 1


def test_a_double_tap_on_a_tourniquet_makes_one_and_a_second_one_asks_to_confirm(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    page.get_by_test_id("tq-left_leg").dblclick()
    page.get_by_test_id("tq-at-above_knee").dblclick()
    page.wait_for_timeout(1500)
    assert device_events(page, "tourniquet_applied", casualty) == 1
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)

    # A deliberate second tourniquet on the same limb is sometimes right: asked, not refused.
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    confirm = page.get_by_test_id("tq-confirm-second")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("already")
    page.get_by_test_id("tq-second-cancel").click()
    expect(confirm).to_have_count(0)
    assert device_events(page, "tourniquet_applied", casualty) == 1

    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-below_knee").click()
    page.get_by_test_id("tq-second-yes").dblclick()
    expect(page.get_by_test_id("tq-clock")).to_have_count(2)
    page.wait_for_timeout(1500)
    assert device_events(page, "tourniquet_applied", casualty) == 2


def test_a_double_tap_on_record_drug_gives_one_dose_and_bad_doses_are_refused(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    open_section(page, "treatments")
    form = page.locator("form.drug-form")
    dose = form.get_by_label("Dose")
    give = form.get_by_role("button", name="Record drug")
    form.locator("select").first.select_option(label="TXA")
    give.dblclick()
    page.wait_for_timeout(1500)
    assert device_events(page, "medication_given", casualty) == 1
    expect(page.get_by_test_id("medication-entry")).to_have_count(1)
    expect(page.get_by_test_id("medication-entry")).to_contain_text("TXA 2 g")

    for bad in ("abc", "-2", "0", ""):
        dose.fill(bad)
        give.click()
        expect(dose).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_test_id("drug-error")).to_contain_text("Dose")
    assert device_events(page, "medication_given", casualty) == 1
    expect(page.get_by_test_id("medication-entry")).to_have_count(1)

    dose.fill("1,5")
    give.click()
    expect(page.get_by_test_id("medication-entry")).to_have_count(2)
    expect(dose).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("drug-error")).to_have_count(0)


def test_a_double_tap_on_request_medevac_sends_one_request(
    new_context: NewContext, server: Server
) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    request = page.get_by_test_id("request-medevac")
    expect(request).to_be_enabled()
    request.dblclick()
    page.wait_for_timeout(1500)
    assert device_events(page, "evacuation_requested", casualty) == 1
    assert device_events(page, "evacuation_request_filed") == 1
    expect(page.get_by_test_id("request-state")).to_have_count(1)
