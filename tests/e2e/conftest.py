"""End-to-end fixtures: the real server as a process, the built web app, Debian's Chromium.

The server runs ``goldenhour serve --demo`` on a free port with its own data directory; the
browser is Playwright for Python driving ``/usr/bin/chromium`` (never ``playwright install``).
Screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
WEB_DIST = ROOT / "web" / "dist"
SCREENSHOTS = ROOT / "docs" / "screenshots"
GOLDENHOUR = Path(sys.executable).parent / "goldenhour"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "e2e-demo-password"
#: Flags that let Chromium run here: headless, as root, with no network of its own.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
#: The pickup site near Bilohorivka (the demo scenario), as the phone's GPS reports it.
PICKUP = {"latitude": 48.9172, "longitude": 38.2297, "accuracy": 8}
#: How long a wait for the app or the server may take (ms). CI's 2 cores run two workers, each
#: with its servers and browsers: a round trip to the server took over 10 s there. Playwright's
#: own defaults (5 s for ``expect``) failed tests whose only fault was a loaded machine.
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


@dataclass(frozen=True, slots=True)
class Server:
    """A running Golden Hour server."""

    url: str
    password: str

    def token(self, username: str) -> str:
        """Log a demo user in through the API and return the bearer token."""
        response = httpx.post(
            f"{self.url}/api/v1/auth/token",
            data={"username": username, "password": self.password, "client_id": "e2e"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


def _build_web() -> None:
    if not (WEB_DIST / "index.html").is_file():
        subprocess.run([str(ROOT / "scripts" / "web-build")], check=True)


def start_server(tmp: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run ``goldenhour serve --demo`` (settings from ``env`` too) until the generator closes."""
    port = free_port()
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen(
        [str(GOLDENHOUR), "serve", "--demo", "--data-dir", str(tmp / "data"), "--port", str(port)],
        env={**os.environ, "GOLDENHOUR_DEMO_PASSWORD": PASSWORD, **(env or {})},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        # A loaded 2-core machine took over 90 s to write the demo's past weeks.
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited:\n{(tmp / 'server.log').read_text()}")
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not start within 180 s")
            time.sleep(0.2)
        yield Server(url=url, password=PASSWORD)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One demo server with the built web app for the whole session."""
    _build_web()
    yield from start_server(tmp_path_factory.mktemp("server"))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Start Playwright once."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Launch Debian's Chromium (``scripts/bootstrap --test`` installs it)."""
    assert CHROMIUM.exists(), "install Debian's chromium: scripts/bootstrap --test"
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


NewContext = Callable[..., BrowserContext]
T = TypeVar("T")


@pytest.fixture
def new_context(browser: Browser, server: Server) -> Iterator[NewContext]:
    """Return a factory of fresh browser contexts (each a device of its own) on the server.

    The server's Content-Security-Policy is on: anything the browser refuses under it (an inline
    script or style, a worker, an image) fails the test that caused it.
    """
    made: list[BrowserContext] = []
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    def make(
        *, size: dict[str, int] = PHONE, locale: str = "en-GB", **options: Any
    ) -> BrowserContext:
        context = browser.new_context(
            base_url=server.url, viewport=size, locale=locale, timezone_id="Europe/Kyiv",
            geolocation=PICKUP, permissions=["geolocation"], service_workers="allow",
            **options,
        )  # fmt: skip
        context.set_default_timeout(WAIT_MS)
        context.on("console", watch)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert refused == [], "the browser refused something under the Content-Security-Policy"


#: The PIN the e2e tests choose on a phone (the app asks for one at a user's first login there).
PIN = "135790"


def enter_pin(page: Page, pin: str = PIN) -> None:
    """Type a PIN on the app's PIN pad with its big keys, then press OK."""
    pad = page.get_by_test_id("pin-pad")
    for digit in pin:
        pad.get_by_role("button", name=digit, exact=True).click()
    pad.get_by_test_id("pin-enter").click()


def log_in(page: Page, server: Server, username: str) -> None:
    """Open the app and log in as a demo user; wait until the device token is stored and the
    phone's store is open (choosing ``PIN`` where this user has none on this phone yet)."""
    page.goto("/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(server.password)
    page.locator("form.login button[type=submit]").click()
    page.locator("[data-testid=online-state]").wait_for()
    page.locator(".shell[data-lock=setup], .shell[data-lock=unlocked]").wait_for()
    if page.locator(".shell[data-lock=setup]").count():
        enter_pin(page)
        page.get_by_test_id("pin-pad").locator("#pin-title").filter(
            has_text=re.compile("again|ще раз")
        ).wait_for()
        enter_pin(page)
    page.locator(".shell[data-lock=unlocked]").wait_for(timeout=30_000)


def unlock(page: Page, pin: str = PIN) -> None:
    """After a reload (or idle time) the phone is locked: open it with the PIN."""
    page.locator(".shell[data-lock=locked]").wait_for()
    enter_pin(page, pin)
    page.locator(".shell[data-lock=unlocked]").wait_for(timeout=30_000)


def log_out(page: Page) -> None:
    """Press "Log out"; where the app warns of entries not yet sent, log out all the same."""
    page.get_by_role("button", name=re.compile("^(Log out|Вийти)$")).click()
    confirm = page.get_by_test_id("logout-confirm")
    try:
        confirm.wait_for(timeout=1500)
    except Exception:  # noqa: BLE001 - no warning: nothing was pending
        pass
    else:
        confirm.click()
    page.locator("form.login input[name=username]:not([readonly])").wait_for()


def wait_for_service_worker(page: Page) -> None:
    """Wait until the service worker controls the page (the app is cached)."""
    page.evaluate(
        """async () => {
            await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) {
                await new Promise((r) => navigator.serviceWorker.addEventListener(
                    'controllerchange', r, { once: true }));
            }
        }"""
    )


def all_records(server: Server, name: str, role: str = "coordinator") -> list[dict[str, Any]]:
    """Every record of a list (``requests``, ``missions``...) as ``role`` gets it, page by page:
    a shared server's past weeks and other tests' records fill more than one page."""
    headers = {"Authorization": f"Bearer {server.token(role)}"}
    found: list[dict[str, Any]] = []
    params: dict[str, int] = {}
    while True:
        response = httpx.get(
            f"{server.url}/api/v1/{name}", headers=headers, params=params, timeout=60
        )
        assert response.status_code == 200, response.text
        body = response.json()
        found.extend(body["records"])
        if not body["more"]:
            return found
        params = {"after": body["next_cursor"]}


def wait_for_async(page: Page, predicate: str, arg: Any = None, timeout_s: float = 30) -> Any:
    """Wait until an async page function returns something truthy, and return it.

    Playwright's ``wait_for_function`` does not await a promise (a pending one is truthy, so it
    returns at once); ``evaluate`` does, so this polls it."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = page.evaluate(predicate, arg)
        if value:
            return value
        assert time.monotonic() < deadline, f"never true within {timeout_s} s: {predicate}"
        page.wait_for_timeout(200)


def eventually(read: Callable[[], T], what: str, timeout_s: float = WAIT_MS / 1000) -> T:
    """Call ``read`` until it returns something truthy, and return that.

    For the server's state after an action in the app: the app writes to the phone's outbox and
    sends later, so what the page shows may be ahead of what the server holds."""
    deadline = time.monotonic() + timeout_s
    while not (value := read()):
        assert time.monotonic() < deadline, f"never within {timeout_s:.0f} s: {what}"
        time.sleep(0.3)
    return value


def screenshot(page: Page, name: str) -> None:
    """Save a screenshot of the page in docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
