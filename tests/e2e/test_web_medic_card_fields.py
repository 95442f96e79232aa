"""Issue 13, item 11: the card has what DD 1380 and Form 100 have and it lacked: fluids and blood
(product, volume, route, time), GCS (eye, verbal, motor) beside AVPU, the time of injury apart
from the time recorded, and burns with %TBSA on the body diagram (per region and in all).

On a 390 x 844 phone, in Ukrainian and in English: each is recorded with double taps making one
entry, a bad value is refused in the form and nothing is saved, an entry is corrected, and the
server's card (what the coordinator and the facility read) holds them once sent.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from conftest import SCREENSHOTS, NewContext, Server, eventually, log_in

from medic_phone import device_events, new_casualty, open_section


def photograph(part: Locator, name: str) -> None:
    """Save a screenshot of one part of the page in docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    part.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def local_time(page: Page, minutes_ago: int) -> str:
    """Return the phone's local time ``minutes_ago`` as HH:MM, as a time input takes it."""
    return str(
        page.evaluate(
            """(ago) => { const d = new Date(Date.now() - ago * 60000);
                return String(d.getHours()).padStart(2, '0') + ':'
                    + String(d.getMinutes()).padStart(2, '0'); }""",
            minutes_ago,
        )
    )


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_fluids_gcs_injury_time_and_burns_are_recorded_corrected_and_sent(
    new_context: NewContext, server: Server, lang: str
) -> None:
    uk = lang == "uk"
    page = new_context(locale="uk-UA" if uk else "en-GB").new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    # The card folds these parts since the core-path layout: unfold each before using it.
    for section in ("injuries", "vitals", "treatments"):
        open_section(page, section)

    # Time of injury, apart from when the card was opened.
    wounded = local_time(page, 25)
    injury_time = page.get_by_test_id("injury-time")
    expect(injury_time).to_contain_text("Час поранення" if uk else "Time of injury")
    injury_time.locator("input[name=injured_at]").fill(wounded)
    injury_time.get_by_test_id("injury-time-save").dblclick()
    expect(page.get_by_test_id("injury-time-value")).to_contain_text(wounded)
    expect(injury_time.get_by_role("alert")).to_have_count(0)  # the second tap is not an error
    assert device_events(page, "injury_time_recorded", casualty) == 1

    # Burns: 9 % on the chest, 4.5 % on the left upper arm; 95 % more is refused in the form.
    page.locator("[data-chip=injury_kind-burn]").click()
    area = page.get_by_test_id("burn-area")
    expect(area).to_contain_text("ОППТ" if uk else "%TBSA")
    area.locator("input[name=burn_tbsa_percent]").fill("9")
    page.locator("[data-region=midline-chest]").dblclick()
    area.get_by_role("button", name="4.5 %").click()
    page.locator("[data-region=left-upper_arm]").click()
    expect(page.get_by_test_id("burn-total")).to_contain_text("13.5")
    expect(page.get_by_test_id("tbsa-mark")).to_have_count(2)
    area.locator("input[name=burn_tbsa_percent]").fill("95")
    page.locator("[data-region=right-thigh]").click()
    expect(page.get_by_test_id("burn-error")).to_be_visible()
    assert device_events(page, "injury_recorded", casualty) == 2
    photograph(page.locator("section[aria-labelledby=inj-h]"), f"medic-burns-phone-{lang}")

    # GCS beside AVPU: E3 V4 M6 makes 13.
    gcs = page.get_by_test_id("gcs")
    expect(gcs).to_contain_text("Шкала коми Глазго" if uk else "Glasgow Coma Scale")
    for grade in ("gcs_eye-3", "gcs_verbal-4", "gcs_motor-6"):
        gcs.locator(f"[data-gcs={grade}]").click()
    expect(page.get_by_test_id("gcs-total")).to_contain_text("ШКГ 13" if uk else "GCS 13")
    photograph(gcs, f"medic-gcs-phone-{lang}")
    page.locator("form.vitals-form button[type=submit]").dblclick()
    vitals = page.locator("section[aria-labelledby=vit-h] ul.entries li")
    expect(vitals).to_have_count(1)
    expect(vitals).to_contain_text("13 (E3 V4 M6)")
    assert device_events(page, "vitals_recorded", casualty) == 1

    # Fluids and blood: whole blood 450 ml IO; a volume of 0 is refused in the form.
    fluids = page.get_by_test_id("fluid-form")
    fluids.locator("[data-fluid='Whole blood']").click()
    fluids.locator("[data-route=IO]").click()
    fluids.locator("input[name=volume_ml]").fill("0")
    fluids.get_by_test_id("fluid-give").click()
    expect(page.get_by_test_id("fluid-error")).to_be_visible()
    assert device_events(page, "fluid_given", casualty) == 0
    fluids.locator("input[name=volume_ml]").fill("450")
    fluids.get_by_test_id("fluid-give").dblclick()
    entry = page.get_by_test_id("fluid-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Цільна кров 450 мл" if uk else "Whole blood 450 ml")
    assert device_events(page, "fluid_given", casualty) == 1

    # Corrected like any entry: 500 ml, not 450.
    entry.get_by_test_id("entry-change").click()
    entry.get_by_test_id("entry-correct").click()
    form = entry.get_by_test_id("correct-form")
    form.locator("input[name=volume_ml]").fill("500")
    form.get_by_test_id("correct-save").click()
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("500")
    photograph(page.locator("div.fluids"), f"medic-fluids-phone-{lang}")

    # Sent: the server's card holds each of the four, the correction in place of the entry.
    expect(page.get_by_test_id("online-state")).not_to_contain_text("1")
    headers = {"Authorization": f"Bearer {server.token('medic')}"}

    def corrected_card() -> dict[str, object] | None:
        response = httpx.get(
            f"{server.url}/api/v1/casualties/{casualty}", headers=headers, timeout=60
        )
        card = response.json().get("card", {}) if response.status_code == 200 else {}
        fluids = card.get("fluids")
        return card if fluids and fluids[0]["volume_ml"] == 500 else None

    card = eventually(corrected_card, "the corrected fluid reached the server")
    assert card["injured_at"] is not None
    assert [i["burn_tbsa_percent"] for i in card["injuries"]] == [9, 4.5]  # type: ignore[attr-defined]
    vitals_sent = card["vitals"][0]  # type: ignore[index]
    assert (vitals_sent["gcs_eye"], vitals_sent["gcs_verbal"], vitals_sent["gcs_motor"]) == (
        3,
        4,
        6,
    )
    assert vitals_sent["gcs"] == 13
    assert [(f["name"], f["volume_ml"], f["route"]) for f in card["fluids"]] == [  # type: ignore[attr-defined]
        ("Whole blood", 500, "IO")
    ]


def test_the_identity_form_keeps_the_blood_group_chosen_when_the_card_is_drawn_again(
    new_context: NewContext, server: Server
) -> None:
    """The blood group was a controlled select: any redraw of the card (an entry's sync state
    changing) put the stored value back while the form was open, and Save sent none."""
    context = new_context()
    page = context.new_page()
    log_in(page, server, "medic")
    casualty = new_casualty(page)
    # Out of signal: an entry waits on the phone while the medic fills in who the casualty is.
    context.set_offline(True)
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    open_section(page, "identity")
    form = page.locator("form.identity-form")
    form.locator("select[name=blood_group]").select_option("A+")
    form.locator("input[name=callsign]").fill("Raven")
    # The signal comes back and the entries are sent while the form is open: the card is drawn
    # again, and what the medic chose stays.
    context.set_offline(False)
    expect(page.get_by_test_id("outbox")).to_have_text("All sent")
    expect(form.locator("select[name=blood_group]")).to_have_value("A+")
    expect(form.locator("input[name=callsign]")).to_have_value("Raven")
    form.get_by_role("button", name="Save identity").click()
    headers = {"Authorization": f"Bearer {server.token('medic')}"}

    def identity() -> dict[str, object] | None:
        response = httpx.get(
            f"{server.url}/api/v1/casualties/{casualty}", headers=headers, timeout=60
        )
        found = response.json()["card"]["identity"] if response.status_code == 200 else {}
        return found if found.get("callsign") else None

    assert eventually(identity, "the identity reached the server").get("blood_group") == "A+"
