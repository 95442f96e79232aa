"""Budget: the coordinator's map stays responsive with 2,000 casualties and 100 vehicles.

A server of its own is filled through the API; the test measures how long the map takes to
show everything, the frame times while the map pans, and how fast a click is answered.
Results are printed and recorded in docs/benchmarks.md. The budgets (the frame ratio, the
click) are held only with GOLDENHOUR_MAP_BENCH_BUDGETS=1: the suite runs on loaded machines,
where wall time says little; it checks that everything is shown and the click answered.

To compare a change with the code before it in one run (the machine's load changes from minute
to minute), build the earlier web app into a folder of its own and name it in
GOLDENHOUR_MAP_BENCH_BEFORE: the test then runs for that build too, first, its files served to
the browser from that folder (the API is the same server's)."""

from __future__ import annotations

import mimetypes
import os
import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Browser, Route, expect

from conftest import CHROMIUM, CHROMIUM_ARGS, LAPTOP, Server, log_in, start_server

CASUALTIES = 2000
VEHICLES = 100
#: Panning with everything on the map may be at most this much slower than an empty map on the
#: same machine (CI renders WebGL in software, SwiftShader, so absolute frame times mean little).
FRAME_RATIO_BUDGET = 2.5
#: A click on the queue must be answered within this.
CLICK_BUDGET_MS = 300
#: An earlier build of the web app (a web/dist folder) to measure before this one, if any.
BEFORE = os.environ.get("GOLDENHOUR_MAP_BENCH_BEFORE")
#: The two budgets above are wall time: they are held only when asked (a benchmark run on a
#: quiet machine). In the test suite a loaded machine broke the click budget for every build.
HOLD_BUDGETS = os.environ.get("GOLDENHOUR_MAP_BENCH_BUDGETS") == "1"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with 2,000 casualties (a quarter with a tourniquet on) and 100 vehicles."""
    # Without the demo's weeks of history, which the administrator would also see on the map.
    no_history = {"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"}
    for server in start_server(tmp_path_factory.mktemp("loaded"), no_history):
        _fill(server)
        yield server


def _fill(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.token('admin')}"}
    units = httpx.get(f"{server.url}/api/v1/units", headers=headers, timeout=60).json()["records"]
    battalion = next(u["unit_id"] for u in units if u["name"] == "1st battalion")
    rng = random.Random(4)
    moment = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    envelope = {"occurred_at": moment, "recorded_at": moment, "author": "admin", "device": "e2e"}
    events: list[dict[str, Any]] = []
    for n in range(CASUALTIES):
        casualty = str(uuid4())
        position = {"lat": 48.6 + rng.random() * 0.6, "lon": 37.6 + rng.random() * 1.0}
        events.append({"kind": "casualty_registered", "event_id": str(uuid4()),
                       "casualty_id": casualty, "position": position, **envelope})  # fmt: skip
        if n % 4 == 0:
            events.append({"kind": "tourniquet_applied", "event_id": str(uuid4()),
                           "casualty_id": casualty, "limb": "left_leg", **envelope})  # fmt: skip
    for n in range(VEHICLES):
        vehicle = str(uuid4())
        base = {"lat": 48.6 + rng.random() * 0.6, "lon": 37.6 + rng.random() * 1.0}
        events.append({"kind": "vehicle_registered", "event_id": str(uuid4()),
                       "vehicle_id": vehicle, "call_sign": f"MEDEVAC {n}",
                       "vehicle_kind": "ground_ambulance", "unit_id": battalion, "litter": 2,
                       "seated": 2, "base": base, **envelope})  # fmt: skip
    for start in range(0, len(events), 1000):
        response = httpx.post(
            f"{server.url}/api/v1/events", json={"events": events[start : start + 1000]},
            headers=headers, timeout=120,
        )  # fmt: skip
        assert response.status_code == 200, response.text
        assert response.json()["refused"] == 0, response.text


PAN = """async () => {
    const map = window.__ghMap;
    const frames = [];
    let last = performance.now();
    let running = true;
    const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    for (let i = 0; i < 30; i++) {
        map.panBy([i % 2 ? 120 : -120, 60], { duration: 0 });
        await new Promise((r) => setTimeout(r, 50));
    }
    running = false;
    frames.sort((a, b) => a - b);
    return { frames: frames.length, median: frames[Math.floor(frames.length / 2)],
             p95: frames[Math.floor(frames.length * 0.95)], max: frames[frames.length - 1] };
}"""


def _serve_build(folder: Path) -> Callable[[Route], None]:
    """Answer the web app's requests from ``folder`` (index.html for a path it does not have)."""

    def answer(route: Route) -> None:
        path = urlsplit(route.request.url).path.lstrip("/")
        file = folder / path
        if not path or not file.is_file():
            file = folder / "index.html"
        scripts = file.suffix in (".js", ".mjs")
        kind = "text/javascript" if scripts else mimetypes.guess_type(file.name)[0] or "text/plain"
        route.fulfill(status=200, body=file.read_bytes(), content_type=kind)

    return answer


@pytest.mark.parametrize("build", ["before", "this"] if BEFORE else ["this"])
def test_the_map_stays_responsive_with_2000_casualties_and_100_vehicles(
    browser: Browser, loaded: Server, build: str
) -> None:
    assert CHROMIUM.exists() and CHROMIUM_ARGS
    # No service worker: the routed build's files must reach the page as routed (the same for
    # this build, so both are measured alike).
    context = browser.new_context(base_url=loaded.url, viewport=LAPTOP, service_workers="block")
    if build == "before":
        assert BEFORE is not None
        context.route(re.compile(r"^http://127\.0\.0\.1:\d+/(?!api/)"), _serve_build(Path(BEFORE)))
    page = context.new_page()
    log_in(page, loaded, "admin")
    started = page.evaluate("() => performance.now()")
    page.goto("/#/coordinator")
    expect(page.get_by_test_id("map-count")).to_contain_text(f"{CASUALTIES + 3}", timeout=60_000)
    page.wait_for_function(
        "(n) => { const s = window.__ghMap && window.__ghMap.getSource('casualties');"
        " return s && s.serialize().data.features.length >= n && window.__ghMap.loaded(); }",
        arg=CASUALTIES, timeout=60_000,
    )  # fmt: skip
    shown_ms = page.evaluate("() => performance.now()")
    pan = page.evaluate(PAN)
    layers = ["casualties", "casualties-tq", "casualty-clusters", "vehicles", "vehicles-label",
              "requests"]  # fmt: skip
    show = "([ids, v]) => ids.forEach((i) => window.__ghMap.setLayoutProperty(i, 'visibility', v))"
    page.evaluate(show, [layers, "none"])
    empty = page.evaluate(PAN)
    page.evaluate(show, [layers, "visible"])
    click_ms = page.evaluate(
        """async () => {
            const button = document.querySelector('[data-testid=draw-threat]');
            const t0 = performance.now();
            button.click();
            await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
            const ok = !!document.querySelector('.threat-form');
            return ok ? performance.now() - t0 : -1;
        }"""
    )
    print(
        f"\n[{build}] map with {CASUALTIES} casualties and {VEHICLES} vehicles:"
        f" shown {shown_ms:.0f} ms after navigation (page clock {started:.0f});"
        f" panning {pan}; the same map empty {empty}; click answered in {click_ms:.0f} ms"
    )
    context.close()
    assert click_ms >= 0, "the click opened the threat form by the next frame"
    if HOLD_BUDGETS:
        assert click_ms <= CLICK_BUDGET_MS
        assert pan["median"] <= FRAME_RATIO_BUDGET * empty["median"]
