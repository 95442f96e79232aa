"""Issue 13, problem 9: the positions offered for a tourniquet fit the limb. Before, one list
offered every position for every limb, so the card could say "right arm, above the knee"."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from conftest import SCREENSHOTS, NewContext, Server, eventually, log_in

from medic_phone import new_casualty

ARM = ["high and tight", "above the elbow", "below the elbow"]
LEG = ["high and tight", "above the knee", "below the knee"]


def offered(page: Page) -> list[str]:
    """The positions the tourniquet panel offers now, as the medic reads them."""
    panel = page.locator("section.tourniquets")
    texts = panel.locator("[data-testid^=tq-at-]").all_inner_texts()
    texts += panel.locator("select option").all_inner_texts()
    return sorted(text.strip() for text in texts)


def photograph_panel(page: Page, name: str) -> None:
    """Save a screenshot of the tourniquet panel in docs/screenshots/."""
    page.locator("section.tourniquets").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_the_positions_offered_fit_the_limb(new_context: NewContext, server: Server) -> None:
    page = new_context().new_page()
    log_in(page, server, "medic")
    new_casualty(page)
    for limb, fitting in (("right_arm", ARM), ("left_arm", ARM), ("left_leg", LEG)):
        page.get_by_test_id(f"tq-{limb}").click()
        # Read until the panel offers this limb's positions (the arms' are the same: only the
        # leg tells a stale read from a fresh one), then compare.
        want = sorted(fitting)
        eventually(lambda: offered(page) == want, f"{limb}'s positions offered")  # noqa: B023 - called at once
    page.get_by_test_id("tq-where-cancel").click()
    expect(page.get_by_test_id("tq-positions")).to_have_count(0)
    expect(page.get_by_test_id("tq-clock")).to_have_count(0)

    page.get_by_test_id("tq-right_arm").click()
    photograph_panel(page, "medic-tourniquet-positions-phone-en")
    page.get_by_test_id("tq-at-above_elbow").click()
    clock = page.get_by_test_id("tq-clock")
    expect(clock).to_have_count(1)
    expect(clock).to_contain_text("right arm · above the elbow")
    page.get_by_test_id("tq-right_leg").click()
    page.get_by_test_id("tq-at-below_knee").click()
    expect(clock.nth(1)).to_contain_text("right leg · below the knee")
    expect(page.locator("section.tourniquets")).not_to_contain_text("arm · above the knee")


def test_the_positions_offered_fit_the_limb_in_ukrainian(
    new_context: NewContext, server: Server
) -> None:
    page = new_context(locale="uk-UA").new_page()
    log_in(page, server, "medic")
    new_casualty(page)
    page.get_by_test_id("tq-left_leg").click()
    leg = sorted(["високо й туго", "вище коліна", "нижче коліна"])
    eventually(lambda: offered(page) == leg, "the leg's positions offered in Ukrainian")
    photograph_panel(page, "medic-tourniquet-positions-phone-uk")
