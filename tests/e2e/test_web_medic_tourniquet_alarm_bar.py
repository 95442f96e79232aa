"""The one-hour tourniquet alarm is a bar like a phone's ongoing call: it stays on screen and
opens the alarmed casualty's card with a tap, but it takes none of the screen the medic works
on. Before, a banner above every view pushed a new casualty's first screen down (the tourniquet
buttons 90 px lower; in Ukrainian 472 px of scroll) as soon as any tourniquet on the phone had
been on for an hour.

On a 390x844 phone, with a casualty's tourniquet on for 70 minutes, in English and Ukrainian, in
day and night mode: the new casualty's core path (new casualty, a limb, where on it, request)
is tapped without scrolling, each target wholly on the first screen and not under the bar; the
bar is one line, names the casualty, the limb and how long, and opens that casualty's card.
Several alarms are summed up on the bar and listed with a tap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from playwright.sync_api import Locator, Page, expect
from test_web_shared_phone_alarms import post_events
from test_web_views import AXE, axe_serious

from conftest import PHONE, NewContext, Server, _build_web, log_in, screenshot, start_server

FIRST = "Zaliznyak-Barline"
SECOND = "Kotsiubynska-Barline"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of this module's own: the tourniquets on it are the ones posted here."""
    _build_web()
    yield from start_server(
        tmp_path_factory.mktemp("alarm-bar"), {"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"}
    )


def tourniquet_on_for(server: Server, surname: str, *, minutes: int) -> str:
    """Record through the API a casualty of the medic's whose tourniquet on the left leg went on
    ``minutes`` ago; return the casualty's id."""
    casualty = str(uuid4())
    on = datetime.now(UTC) - timedelta(minutes=minutes)
    events = [
        {"kind": "casualty_registered", "casualty_id": casualty, "occurred_at": on.isoformat()},
        {"kind": "identity_recorded", "casualty_id": casualty, "occurred_at": on.isoformat(),
         "identity": {"name_last": surname, "unit": "Barline Platoon"}},
        {"kind": "tourniquet_applied", "casualty_id": casualty, "occurred_at": on.isoformat(),
         "category": "extremity", "limb": "left_leg", "location": "above the knee"},
    ]  # fmt: skip
    post_events(server, events, at=on)
    return casualty


@pytest.fixture(scope="module")
def alarmed(server: Server) -> str:
    """The casualty whose tourniquet has been on for 70 minutes (over the one-hour mark)."""
    return tourniquet_on_for(server, FIRST, minutes=70)


def bar_top(page: Page) -> float:
    """Where the alarm bar begins (from the top of the viewport)."""
    box = page.get_by_test_id("tq-alarm").bounding_box()
    assert box is not None
    return box["y"]


#: True when the element drawn at the centre of the target is the target (or inside it): no bar
#: or anything else lies over the spot a finger would press.
ON_TOP = """(element) => {
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hit !== null && (hit === element || element.contains(hit));
}"""


def on_first_screen(page: Page, target: Locator) -> dict[str, float]:
    """Check that ``target`` is wholly on the first screen (the page not scrolled), above the
    alarm bar and with nothing over it; return its box."""
    expect(target).to_be_visible()
    box = target.bounding_box()
    assert box is not None
    assert page.evaluate("() => [window.scrollX, window.scrollY]") == [0, 0]
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["y"] + box["height"] <= bar_top(page), (box, bar_top(page))
    assert target.evaluate(ON_TOP), "something lies over the target"
    return box


def tap_on_first_screen(page: Page, target: Locator) -> None:
    """Tap the centre of ``target``, which must be on the first screen (``on_first_screen``)."""
    box = on_first_screen(page, target)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def bar_axe_serious(page: Page) -> list[str]:
    """Serious or critical axe-core findings on the alarm bar (and its list) alone.

    Night mode is dim red on black by design (light discipline): its text is below WCAG's
    contrast everywhere, so at night only the bar, which must be read at a glance, is held to
    it; by day the whole page is checked with ``axe_serious``."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run({ include: [['[data-testid=tq-alarm]']] },"
        " { resultTypes: ['violations'] })"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def set_night(page: Page, night: bool) -> None:
    """Switch night mode on or off with the app's own switch."""
    if page.evaluate("() => document.documentElement.classList.contains('night')") != night:
        page.get_by_role("button", name=re.compile("^(Night mode|Нічний режим)$")).click()


@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_alarm_bar_leaves_the_new_casualty_core_path_on_the_first_screen(
    new_context: NewContext, server: Server, alarmed: str, lang: str, night: bool
) -> None:
    page = new_context(locale="uk-UA" if lang == "uk" else "en-GB").new_page()
    log_in(page, server, "medic")
    set_night(page, night)
    page.goto("/#/medic")
    bar = page.get_by_test_id("tq-alarm")
    expect(bar).to_contain_text(FIRST, timeout=20_000)
    # Which limb, how long: on one line.
    expect(bar).to_contain_text("left leg" if lang == "en" else "ліва нога")
    expect(bar).to_contain_text(re.compile(r"1 (h|год) 1\d"))
    box = bar.bounding_box()
    assert box is not None and 44 <= box["height"] <= 60, box
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert bar_axe_serious(page) == []
    if not night:
        assert axe_serious(page) == []

    tap_on_first_screen(page, page.get_by_test_id("new-casualty"))
    page.wait_for_url(re.compile(r"#/medic/[0-9a-f-]{36}$"))
    assert page.url.rsplit("/", 1)[1] != alarmed
    expect(bar).to_be_visible()
    # The new casualty's first screen: every limb's button and the request, none under the bar.
    request = page.get_by_test_id("request-medevac")
    expect(request).to_be_visible()
    for limb in ("left_arm", "right_arm", "left_leg", "right_leg"):
        on_first_screen(page, page.get_by_test_id(f"tq-{limb}"))
    on_first_screen(page, request)
    tap_on_first_screen(page, page.get_by_test_id("tq-left_leg"))
    tap_on_first_screen(page, page.get_by_test_id("tq-at-above_knee"))
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    # With the tourniquet's clock on the card, the request is still on the first screen.
    on_first_screen(page, request)
    assert page.evaluate("() => window.scrollY") == 0
    expect(bar).to_be_in_viewport(ratio=1)
    assert bar_axe_serious(page) == []
    if not night:
        assert axe_serious(page) == []
    screenshot(page, f"medic-tq-alarm-bar-phone-{lang}{'-night' if night else ''}")
    # At the end of the page nothing lies under the bar: the page keeps room of its height.
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 0")
    bottom = page.evaluate("() => document.querySelector('main').getBoundingClientRect().bottom")
    assert bottom <= bar_top(page) + 0.5, (bottom, bar_top(page))

    # A tap on the bar opens the alarmed casualty's card.
    bar.click()
    page.wait_for_url(re.compile(f"#/medic/{alarmed}$"))
    expect(page.locator("main")).to_contain_text(FIRST)


def test_several_alarms_are_summed_up_and_listed_with_a_tap(
    new_context: NewContext, server: Server, alarmed: str
) -> None:
    second = tourniquet_on_for(server, SECOND, minutes=130)
    for lang, night in (("en", False), ("uk", True)):
        page = new_context(locale="uk-UA" if lang == "uk" else "en-GB").new_page()
        log_in(page, server, "medic")
        set_night(page, night)
        bar = page.get_by_test_id("tq-alarm")
        summary = page.get_by_test_id("tq-alarm-summary")
        expect(summary).to_contain_text(
            "2 tourniquets past 1 h" if lang == "en" else "Турнікети понад 1 год: 2",
            timeout=20_000,
        )
        box = bar.bounding_box()
        assert box is not None and box["height"] <= 60, box
        expect(summary).to_have_attribute("aria-expanded", "false")
        summary.click()
        expect(summary).to_have_attribute("aria-expanded", "true")
        listed = page.get_by_test_id("tq-alarm-list").get_by_role("link")
        expect(listed).to_have_count(2)
        # The longest on first: the one past two hours.
        expect(listed.first).to_contain_text(SECOND)
        expect(listed.nth(1)).to_contain_text(FIRST)
        expect(page.get_by_test_id("tq-alarm-list")).to_be_in_viewport(ratio=1)
        assert bar_axe_serious(page) == []
        if not night:
            assert axe_serious(page) == []
        screenshot(page, f"medic-tq-alarm-bar-list-phone-{lang}{'-night' if night else ''}")
        listed.first.click()
        page.wait_for_url(re.compile(f"#/medic/{second}$"))
        expect(page.locator("main")).to_contain_text(SECOND)
        # Opening a card folds the list away again.
        expect(page.get_by_test_id("tq-alarm-list")).to_have_count(0)
