"""Issue 15, item 3: the coordinator's and facility's views show each node's link and data age.

The server is a rear node whose forward node fwd1 never linked: both views show the strip with
fwd1 cut off and not in contact yet (the link's ups and downs across a real cut are tested on
the API, tests/integration/nodes/test_node_server.py).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from conftest import GOLDENHOUR, NewContext, Server, _build_web, log_in, screenshot, start_server
from goldenhour.bench.throwaway_postgres import free_port

CUT_OFF = re.compile(r"fwd1: (no link, not in contact yet|зв'язку немає, контакту ще не було)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo server of this module's own, made a rear node (its nats-server a child)."""
    _build_web()
    tmp = tmp_path_factory.mktemp("links-server")
    data = str(tmp / "data")
    for command in (
        ["db", "upgrade", "--data-dir", data],
        ["node", "init", "--role", "rear", "--name", "rear", "--forward", "fwd1",
         "--client-port", str(free_port()), "--monitor-port", str(free_port()),
         "--leaf-port", str(free_port()), "--leaf-host", "127.0.0.1", "--data-dir", data],
    ):  # fmt: skip
        subprocess.run([str(GOLDENHOUR), *command], check=True, capture_output=True)
    yield from start_server(tmp, env={"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0"})


@pytest.mark.parametrize(("username", "shot"), [("coordinator", "node-links-coordinator"),
                                                ("facility", "node-links-facility")])  # fmt: skip
def test_the_view_shows_the_forward_node_cut_off(
    new_context: NewContext, server: Server, username: str, shot: str
) -> None:
    page: Page = new_context().new_page()
    log_in(page, server, username)
    strip = page.get_by_test_id("node-links")
    expect(strip).to_be_visible()
    expect(page.get_by_test_id("node-link-fwd1")).to_have_text(CUT_OFF)
    expect(page.get_by_test_id("node-link-fwd1")).to_have_class(re.compile(r"\bdown\b"))
    screenshot(page, shot)
