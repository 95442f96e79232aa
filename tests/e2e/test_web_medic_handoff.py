"""Issue 13, item 13: a casualty handed over from phone to phone by QR code, without network.

Phone A (the medic, offline) records a casualty with a tourniquet and shows the card's QR
codes; each code is captured from the screen. Phone B (another medic of the same unit, in a
browser of its own) reads them with its camera: Chromium's fake camera plays a Y4M video made
here from the captured codes. B's list then shows the casualty with its tourniquet clock; a
second reading adds nothing; once online, the server holds each entry once, the tourniquet
still the medic's, sent by medic2, and A's own upload later is a duplicate.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import segno
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, expect

from conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    GOLDENHOUR,
    PHONE,
    PICKUP,
    SCREENSHOTS,
    WAIT_MS,
    Server,
    log_in,
    start_server,
    wait_for_service_worker,
)
from goldenhour.adapters.radio.handoff import encode_handoff
from goldenhour.demo.scenario import COMPANY
from handoff_cases import histories

from medic_phone import device_events, open_section

SURNAME = "Bondarenko"
SECOND_MEDIC = "medic2"
#: The fake camera's frame: a phone camera's usual 640 x 480, ten frames a second.
FRAME = (640, 480)
FRAMES_PER_CODE = 8


@pytest.fixture(scope="module")
def handoff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo server of its own, with a second medic in the medic's company."""
    tmp = tmp_path_factory.mktemp("handoff")
    running = start_server(tmp)
    server = next(running)
    subprocess.run(
        [str(GOLDENHOUR), "users", "add", SECOND_MEDIC, "--role", "medic", "--unit",
         str(COMPANY), "--data-dir", str(tmp / "data")],
        env={**os.environ, "GOLDENHOUR_NEW_PASSWORD": server.password}, check=True,
        capture_output=True,
    )  # fmt: skip
    yield server
    running.close()


class Phones:
    """Browser contexts (phones) on the handoff server; none may break the CSP."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.made: list[BrowserContext] = []
        self.refused: list[str] = []

    def phone(self, browser: Browser, locale: str, **options: Any) -> BrowserContext:
        context = browser.new_context(
            base_url=self.server.url, viewport=PHONE, locale=locale, timezone_id="Europe/Kyiv",
            geolocation=PICKUP, service_workers="allow", **options,
        )  # fmt: skip
        context.set_default_timeout(WAIT_MS)
        context.on("console", self._watch)
        self.made.append(context)
        return context

    def _watch(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)


@pytest.fixture
def phones(handoff_server: Server) -> Iterator[Phones]:
    made = Phones(handoff_server)
    yield made
    for context in made.made:
        context.close()
    assert made.refused == [], "the browser refused something under the Content-Security-Policy"


def camera_browser(playwright: Playwright, video: Path) -> Browser:
    """A Chromium whose camera plays ``video`` (and asks no permission to use it)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"],
    )  # fmt: skip


def write_y4m(codes: list[Image.Image], path: Path) -> None:
    """Write a Y4M video (YUV 4:2:0, grey) showing each code in turn for 0.8 s, on white."""
    width, height = FRAME
    chroma = bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for code in codes:
            grey = code.convert("L")
            side = height - 40
            grey = grey.resize((side, round(grey.height * side / grey.width)), Image.NEAREST)
            frame = Image.new("L", FRAME, 255)
            frame.paste(grey, ((width - grey.width) // 2, (height - grey.height) // 2))
            for _ in range(FRAMES_PER_CODE):
                out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def qr_picture(payload: bytes) -> Image.Image:
    """A QR code of ``payload`` as another program would show it (not from our app)."""
    buffer = io.BytesIO()
    segno.make(payload, mode="byte", error="m").save(buffer, kind="png", scale=5, border=4)
    buffer.seek(0)
    return Image.open(buffer).copy()


def save_screen(page: Page, name: str, where: str) -> None:
    """Save a screenshot with ``where`` in view (docs/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(where).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def record_casualty_offline(context: BrowserContext, page: Page, server: Server) -> str:
    """Phone A, offline: a new casualty, a tourniquet on the left leg, a surname."""
    log_in(page, server, "medic")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.get_by_test_id("new-casualty").click()
    page.wait_for_url(re.compile(r"#/medic/[0-9a-f-]{36}$"))
    casualty_id = page.url.rsplit("/", 1)[1]
    page.get_by_test_id("tq-left_leg").click()
    page.get_by_test_id("tq-at-above_knee").click()
    open_section(page, "injuries")
    page.locator("[data-region=left-thigh]").click()
    expect(page.get_by_test_id("tq-clock")).to_have_count(1)
    open_section(page, "identity")
    page.locator("input[name=name_last]").fill(SURNAME)
    page.locator("form.identity-form button[type=submit]").click()
    expect(page.get_by_role("heading", name=re.compile(SURNAME))).to_be_visible()
    return casualty_id


def capture_codes(page: Page, language: str) -> list[Image.Image]:
    """Open "Hand over by QR code" and capture every code from the screen, in order."""
    page.get_by_test_id("handoff-show").click()
    part = page.get_by_test_id("handoff-part")
    expect(part).to_have_text(re.compile(r"^(Code|Код) 1 (of|з) \d+$"))
    count = int(part.inner_text().rsplit(" ", 1)[1])
    save_screen(page, f"medic-handoff-codes-{language}", "[data-testid=handoff-codes]")
    codes = []
    for index in range(1, count + 1):
        expect(part).to_have_text(re.compile(rf"^(Code|Код) {index} "))
        shot = page.get_by_test_id("handoff-qr").screenshot()
        codes.append(Image.open(io.BytesIO(shot)).copy())
        if index < count:
            page.get_by_test_id("handoff-next").click()
    return codes


def server_history(server: Server, casualty_id: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.url}/api/v1/casualties/{casualty_id}",
        headers={"Authorization": f"Bearer {server.token(SECOND_MEDIC)}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    history: list[dict[str, Any]] = response.json()["history"]
    return history


@pytest.mark.parametrize(("locale", "language"), [("en-GB", "en"), ("uk-UA", "uk")])
def test_a_casualty_read_from_another_phones_codes_arrives_with_its_history(
    phones: Phones, browser: Browser, playwright: Playwright, handoff_server: Server,
    tmp_path: Path, locale: str, language: str,
) -> None:  # fmt: skip
    phone_a = phones.phone(browser, locale)
    page_a = phone_a.new_page()
    casualty_id = record_casualty_offline(phone_a, page_a, handoff_server)
    codes = capture_codes(page_a, language)
    assert len(codes) >= 2, "the demo casualty takes more than one code: '1 of n' is shown"

    video = tmp_path / "codes.y4m"
    # The first code stays in view a few seconds: long enough to photograph the scanner at work.
    write_y4m([codes[0]] * 4 + codes[1:], video)
    camera = camera_browser(playwright, video)
    try:
        phone_b = phones.phone(camera, locale, permissions=["geolocation", "camera"])
        page_b = phone_b.new_page()
        log_in(page_b, handoff_server, SECOND_MEDIC)
        wait_for_service_worker(page_b)
        phone_b.set_offline(True)
        page_b.get_by_test_id("handoff-receive").click()
        expect(page_b.get_by_test_id("handoff-progress")).to_have_text(
            re.compile(rf"^(Read|Зчитано) 1 (of|з) {len(codes)}")
        )
        save_screen(page_b, f"medic-handoff-scanner-{language}", "[data-testid=handoff-scanner]")
        expect(page_b.get_by_test_id("handoff-result")).to_contain_text(SURNAME)
        save_screen(page_b, f"medic-handoff-received-{language}", "[data-testid=handoff-scanner]")
        page_b.get_by_test_id("handoff-open-card").click()
        expect(page_b.get_by_test_id("tq-clock")).to_have_count(1)
        page_b.get_by_test_id("medic-back").click()
        row = page_b.locator(f"[data-testid=casualty-row][href='#/medic/{casualty_id}']")
        expect(row).to_contain_text(SURNAME)
        expect(row.locator(".tq-mini")).to_be_visible()

        # The same codes read again: nothing new, nothing doubled.
        page_b.get_by_test_id("handoff-receive").click()
        expect(page_b.get_by_test_id("handoff-result")).to_contain_text(
            re.compile("(Already on this phone|Вже є на цьому телефоні)")
        )
        page_b.get_by_test_id("handoff-close").click()
        assert device_events(page_b, "tourniquet_applied", casualty_id) == 1
        assert device_events(page_b, "note_added", casualty_id) == 1

        phone_b.set_offline(False)
        expect(page_b.locator("[data-testid=outbox].ok")).to_be_visible(timeout=30_000)
    finally:
        camera.close()

    history = server_history(handoff_server, casualty_id)
    by_kind = {(e["kind"], e["author"]) for e in history}
    assert ("tourniquet_applied", "medic") in by_kind, "the tourniquet stays the medic's"
    assert ("casualty_registered", "medic") in by_kind
    assert ("note_added", SECOND_MEDIC) in by_kind, "the handoff itself is medic2's"
    assert [e["kind"] for e in history].count("tourniquet_applied") == 1

    # Phone A comes online: its own upload of the same entries is a duplicate, not a conflict.
    phone_a.set_offline(False)
    expect(page_a.locator("[data-testid=outbox].ok")).to_be_visible(timeout=30_000)
    again = server_history(handoff_server, casualty_id)
    assert sorted(e["event_id"] for e in again) == sorted(e["event_id"] for e in history)


def test_a_code_not_ours_or_damaged_imports_nothing(
    phones: Phones, playwright: Playwright, handoff_server: Server, tmp_path: Path
) -> None:
    """A web address's QR code, then a handoff whose CRC fails: each is named, nothing saved."""
    [damaged] = encode_handoff(histories()["registered only"])
    damaged = damaged[:-1] + bytes([damaged[-1] ^ 0x01])
    video = tmp_path / "bad.y4m"
    write_y4m([qr_picture(b"https://example.org/"), qr_picture(damaged)], video)
    camera = camera_browser(playwright, video)
    try:
        page = phones.phone(camera, "en-GB", permissions=["geolocation", "camera"]).new_page()
        log_in(page, handoff_server, SECOND_MEDIC)
        page.get_by_test_id("handoff-receive").click()
        warning = page.get_by_test_id("handoff-warning")
        expect(warning).to_have_text(
            re.compile("is not a Golden Hour handoff: nothing was imported")
        )
        expect(warning).to_have_text(re.compile(r"The codes are damaged \(.*CRC-32.*\): nothing"))
        expect(page.get_by_test_id("handoff-result")).to_have_count(0)
        assert device_events(page, "casualty_registered") == 0
    finally:
        camera.close()
