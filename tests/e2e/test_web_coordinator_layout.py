"""Issue 17 item 1: on a laptop (1280 and 1440 px wide) the coordinator's request queue comes
before the plan, "Card: X" opens the card where it can be seen (a dialog inside the window, not
~975 px above the visible part of the sidebar), and nothing spills out of the sidebar, the
assign form included; in both languages, with no serious axe-core violation. Against a server of
its own: the demo's request must still be in the queue, and tests before these assign it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from test_web_views import MAP_READY, check

from conftest import NewContext, Server, _build_web, log_in, start_server

LOCALES = {"en": "en-GB", "uk": "uk-UA"}

#: Every element of the sidebar whose box reaches outside the sidebar's own box (left/right),
#: and whether the sidebar scrolls sideways.
SPILLS = """() => {
    const side = document.querySelector('.coordinator .side');
    const frame = side.getBoundingClientRect();
    const out = [];
    for (const el of side.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) {
            const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
            out.push(`${el.tagName}.${el.className} ${where}`);
        }
    }
    if (side.scrollWidth > side.clientWidth) out.push(`side scrolls: ${side.scrollWidth}`);
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) out.push('the page scrolls sideways');
    return out;
}"""

#: The box of an element against the window: is all of it inside?
IN_WINDOW = """(el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight + 0.5
        && box.right <= window.innerWidth + 0.5 && box.height > 0;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo server for this module alone: its request is still waiting in the queue."""
    _build_web()
    yield from start_server(tmp_path_factory.mktemp("layout-server"))


def _open(page: Page) -> None:
    page.goto("/#/coordinator")
    page.wait_for_function(MAP_READY)
    page.get_by_test_id("queue-item").first.wait_for()


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("width", [1280, 1440])
def test_the_queue_comes_first_the_card_opens_in_view_and_nothing_spills(
    new_context: NewContext, server: Server, width: int, lang: str
) -> None:
    page = new_context(size={"width": width, "height": 900}, locale=LOCALES[lang]).new_page()
    log_in(page, server, "coordinator")
    _open(page)
    queue = page.locator("section.queue").bounding_box()
    plan = page.locator("section.plan").bounding_box()
    assert queue is not None and plan is not None
    assert queue["y"] < plan["y"], "the request queue comes before the plan"
    assert page.evaluate(SPILLS) == []

    request = page.get_by_test_id("queue-item").first
    if request.get_by_test_id("assign").count():
        request.get_by_test_id("assign").click()
        page.get_by_test_id("assign-form").wait_for()
        assert page.evaluate(SPILLS) == []
    check(page, lang)

    # Scroll the sidebar to its end, then open the first card of the last request: the card
    # must be in the window, whatever the sidebar's scroll.
    page.locator(".coordinator .side").evaluate("(el) => { el.scrollTop = el.scrollHeight; }")
    button = page.get_by_test_id("open-card").last
    button.scroll_into_view_if_needed()
    button.click()
    card = page.get_by_test_id("card-panel")
    expect(card).to_be_visible()
    expect(card.locator("#card-h")).not_to_have_text("")
    assert page.locator(".card-dialog").evaluate(IN_WINDOW), "the card is inside the window"
    assert card.locator("#card-h").evaluate(IN_WINDOW), "its heading is in view"
    assert page.evaluate(SPILLS) == []
    expect(card.get_by_role("button", name={"en": "Close", "uk": "Закрити"}[lang])).to_be_focused()
    check(page, lang)
    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    expect(button).to_be_focused()
