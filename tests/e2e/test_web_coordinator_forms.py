"""The coordinator's forms as a coordinator uses them (issue 17, item 4 and 9 follow-ups): the
assign form marks diverting and closed facilities and will not send to one (the server refuses
it), and the threat form draws a polygon as well as a circle, by clicks on the map or typed
grids, in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Page, expect
from test_web_views import axe_serious

from conftest import (
    NewContext,
    Server,
    _build_web,
    all_records,
    eventually,
    log_in,
    screenshot,
    start_server,
    wait_for_async,
)
from goldenhour.demo.bilohorivka import demo_id
from goldenhour.demo.scenario import COMPANY, KRAMATORSK_HOSPITAL_ID

LAPTOP_1440 = {"width": 1440, "height": 900}
SLOVIANSK = demo_id("facility/sloviansk")
DNIPRO = demo_id("facility/dnipro")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of this module's own: its facilities divert and close here, which the session's
    other tests (an assignment to Kramatorsk) must not meet. No weeks of history: not needed."""
    _build_web()
    yield from start_server(
        tmp_path_factory.mktemp("forms-server"), {"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"}
    )


def post(server: Server, events: list[dict[str, Any]]) -> None:
    moment = datetime.now(UTC).isoformat()
    envelope = {"occurred_at": moment, "recorded_at": moment, "author": "admin", "device": "e2e"}
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid4()), **envelope, **e} for e in events]},
        headers={"Authorization": f"Bearer {server.token('admin')}"}, timeout=60,
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["refused"] == 0, response.text


def status(facility: object, value: str, reason: str | None = None) -> dict[str, Any]:
    return {"kind": "facility_status_reported", "facility_id": str(facility), "status": value,
            **({"reason": reason} if reason else {})}  # fmt: skip


def test_the_assign_form_marks_diverting_and_closed_facilities_and_cannot_send_to_one(
    new_context: NewContext, server: Server
) -> None:
    post(
        server,
        [status(KRAMATORSK_HOSPITAL_ID, "diverting", "CT down"), status(SLOVIANSK, "closed")],
    )
    page = new_context(size=LAPTOP_1440).new_page()
    log_in(page, server, "coordinator")
    page.goto("/#/coordinator")
    request = page.get_by_test_id("queue-item").first
    request.get_by_test_id("assign").click()
    form = page.get_by_test_id("assign-form")
    destination = form.get_by_test_id("assign-destination")
    kramatorsk = destination.locator("option", has_text="Kramatorsk")
    sloviansk = destination.locator("option", has_text="Sloviansk")
    expect(kramatorsk).to_have_text(re.compile(r"DIVERTING \(CT down\) · not receiving"))
    expect(kramatorsk).to_be_disabled()
    expect(sloviansk).to_have_text(re.compile(r"CLOSED · not receiving"))
    expect(sloviansk).to_be_disabled()
    # The form starts on a facility that receives, never on one the server would refuse.
    chosen = destination.input_value()
    assert chosen not in (str(KRAMATORSK_HOSPITAL_ID), str(SLOVIANSK)), chosen
    expect(form.get_by_test_id("assign-destination-refused")).to_have_count(0)
    assert axe_serious(page) == []

    # The chosen facility closes while the form is open: the coordinator is told before sending.
    destination.select_option(str(DNIPRO))
    expect(form.get_by_test_id("assign-submit")).to_be_enabled()
    post(server, [status(DNIPRO, "closed", "shelled")])
    refused = form.get_by_test_id("assign-destination-refused")
    expect(refused).to_have_text(re.compile(r"Mechnikov hospital, Dnipro is closed"))
    expect(form.get_by_test_id("assign-submit")).to_be_disabled()
    screenshot(page, "coordinator-assign-refused-laptop-en")

    post(server, [status(DNIPRO, "open")])
    expect(refused).to_have_count(0)
    form.get_by_test_id("assign-submit").click()
    expect(request).to_contain_text("Assigned:")
    # The queue shows the assignment from the outbox, before the server has it.
    headers = {"Authorization": f"Bearer {server.token('coordinator')}"}
    missions = eventually(
        lambda: httpx.get(f"{server.url}/api/v1/missions", headers=headers, timeout=60).json()[
            "records"
        ],
        "the mission reached the server",
    )
    assert [m["destination_id"] for m in missions] == [str(DNIPRO)]


def test_the_assign_form_marks_diverting_and_closed_facilities_in_ukrainian(
    new_context: NewContext, server: Server
) -> None:
    """The same marks and warning as above, worded in Ukrainian (nothing is sent: the English
    test owns this server's one assignment)."""
    post(
        server,
        [status(KRAMATORSK_HOSPITAL_ID, "diverting", "CT down"), status(SLOVIANSK, "closed")],
    )
    # A request of its own: the English test may have assigned the demo's one already.
    casualty, name = str(uuid4()), f"Ukr{uuid4().hex[:6]}"
    moment = datetime.now(UTC).isoformat()
    envelope = {"occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "e2e"}
    pickup = {"lat": 48.9172, "lon": 38.2297}
    filed = [
        {"kind": "casualty_registered", "casualty_id": casualty, "position": pickup},
        {"kind": "identity_recorded", "casualty_id": casualty, "identity": {"callsign": name}},
        {"kind": "evacuation_request_filed", "request_id": str(uuid4()),
         "unit_id": str(COMPANY), "casualty_ids": [casualty], "pickup": pickup,
         "precedence": "A"},
    ]  # fmt: skip
    response = httpx.post(
        f"{server.url}/api/v1/events",
        json={"events": [{"event_id": str(uuid4()), **envelope, **e} for e in filed]},
        headers={"Authorization": f"Bearer {server.token('medic')}"},
        timeout=60,
    )
    assert response.status_code == 200 and response.json()["refused"] == 0, response.text
    page = new_context(size=LAPTOP_1440, locale="uk-UA").new_page()
    log_in(page, server, "coordinator")
    page.goto("/#/coordinator")
    page.get_by_test_id("queue-item").filter(has_text=name).get_by_test_id("assign").click()
    form = page.get_by_test_id("assign-form")
    destination = form.get_by_test_id("assign-destination")
    kramatorsk = destination.locator(f"option[value='{KRAMATORSK_HOSPITAL_ID}']")
    sloviansk = destination.locator(f"option[value='{SLOVIANSK}']")
    expect(kramatorsk).to_have_text(re.compile(r"ПЕРЕНАПРАВЛЯЄ \(CT down\) · не приймає$"))
    expect(kramatorsk).to_be_disabled()
    expect(sloviansk).to_have_text(re.compile(r"ЗАКРИТИЙ · не приймає$"))
    expect(sloviansk).to_be_disabled()
    assert axe_serious(page) == []

    destination.select_option(str(DNIPRO))
    expect(form.get_by_test_id("assign-submit")).to_be_enabled(timeout=10_000)
    post(server, [status(DNIPRO, "closed", "shelled")])
    refused = form.get_by_test_id("assign-destination-refused")
    expect(refused).to_have_text(
        re.compile(r"Mechnikov hospital, Dnipro: закритий, не приймає поранених"), timeout=10_000
    )
    expect(form.get_by_test_id("assign-submit")).to_be_disabled()
    screenshot(page, "coordinator-assign-refused-laptop-uk")
    post(server, [status(DNIPRO, "open")])
    expect(refused).to_have_count(0, timeout=10_000)


def click_map(page: Page, x: float, y: float) -> None:
    """Click the map at a fraction of its width and height."""
    box = page.get_by_test_id("map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_coordinator_draws_a_threat_polygon_by_clicks_or_grids(
    new_context: NewContext, server: Server, locale: str
) -> None:
    page = new_context(size=LAPTOP_1440, locale=locale).new_page()
    log_in(page, server, "coordinator")
    page.goto("/#/coordinator")
    page.wait_for_function("() => window.__ghMap && window.__ghMap.loaded()", timeout=60_000)
    page.get_by_test_id("draw-threat").click()
    form = page.get_by_test_id("threat-form")
    form.get_by_test_id("threat-shape-polygon").check()
    for x, y in ((0.15, 0.2), (0.35, 0.2), (0.25, 0.45)):
        click_map(page, x, y)
    corners = form.get_by_test_id("threat-corners")
    expect(corners).to_have_value(re.compile(r"^(37U \w\w \d{5} \d{5}\n){2}37U \w\w \d{5} \d{5}$"))
    state = form.get_by_test_id("threat-corners-state")
    expect(state).to_have_text(re.compile("3 corners|Вершин: 3"))
    # The drawing shows on the map before it is saved: three corners and the closed outline. The
    # map is given the drawing in an effect after the form's text is drawn, so it is read until
    # it has the third corner.
    drawn_js = (
        "async () => (await window.__ghMap.getSource('draft').getData()).features"
        ".map((f) => f.geometry.type + ':' + f.geometry.coordinates.length).sort().join(',')"
    )
    wait_for_async(
        page, f"async () => ({drawn_js})().then((d) => d.includes('Point:2,Point:2,Point:2'))"
    )
    drawn = page.evaluate(drawn_js)
    assert drawn == "LineString:4,Point:2,Point:2,Point:2", drawn

    # A typed line that is no grid is named, and nothing is sent until it is right.
    corners.fill(corners.input_value() + "\nnot a grid")
    expect(state).to_have_text(
        re.compile("Line 4 is not an MGRS grid|Рядок 4 не є координатою MGRS")
    )
    expect(form.get_by_test_id("threat-save")).to_be_disabled()
    form.get_by_test_id("threat-corner-undo").click()
    notes = f"polygon {uuid4().hex[:8]}"
    form.locator("input:not([type])").last.fill(notes)
    assert axe_serious(page) == []
    screenshot(page, f"coordinator-threat-polygon-laptop-{locale[:2]}")
    form.get_by_test_id("threat-save").click()
    expect(page.get_by_test_id("threat-form")).to_have_count(0)

    # The form closes once the threat is in the outbox, before the server has it.
    (threat,) = eventually(
        lambda: [t for t in all_records(server, "threats") if t.get("notes") == notes],
        "the threat reached the server",
    )
    assert threat.get("centre") is None and len(threat["polygon"]) == 3
    # The map draws it as the polygon drawn, not a circle (a circle's ring has 49 points).
    rings_js = (
        "async (id) => (await window.__ghMap.getSource('threats').getData()).features"
        ".filter((f) => f.properties.id === id).map((f) => f.geometry.coordinates[0].length)"
    )
    wait_for_async(page, f"async (id) => ({rings_js})(id).then((r) => r.length > 0)", threat["id"])
    rings = page.evaluate(rings_js, threat["id"])
    assert rings == [4], rings
