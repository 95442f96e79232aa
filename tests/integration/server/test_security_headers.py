"""HTTP hygiene: security headers on every answer, no-store on the API, the docs behind a setting.

The headers touch no storage: these tests run on SQLite only.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.api.app import WEB_DIST, create_app
from goldenhour.cli.wiring import seed_demo
from goldenhour.config import Settings
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID

PASSWORD = "security-headers-password"
WEB_SOURCE = Path(__file__).resolve().parents[3] / "web"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Engine]]:
    """Seed the demo once, on SQLite."""
    data_dir = tmp_path_factory.mktemp("headers")
    settings = Settings(database_url=f"sqlite:///{data_dir / 'gh.sqlite3'}", data_dir=data_dir)
    engine = make_engine(settings.resolved_database_url())
    schema.upgrade(engine)
    seed_demo(SqlEventLog(engine), PASSWORD)
    yield settings, engine
    engine.dispose()


@pytest.fixture
def web(tmp_path: Path) -> Path:
    """A built web app of one page."""
    (tmp_path / "index.html").write_text("<!doctype html><title>Golden Hour</title>")
    return tmp_path


def client_for(settings: Settings, web: Path | None = None, **changes: object) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=changes), web_dist=web))


def medic(client: TestClient) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": "medic", "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize(
    "path",
    ["/", "/casualties/some-route", "/api/v1/health", "/api/v1/casualties",
     f"/api/v1/casualties/{DEMO_CASUALTY_ID}", "/api/v1/nothing-here"],
)  # fmt: skip
def test_every_answer_carries_the_security_headers(
    seeded: tuple[Settings, Engine], web: Path, path: str
) -> None:
    with client_for(seeded[0], web) as client:
        response = client.get(path, headers=medic(client))
    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/casualties", f"/api/v1/casualties/{DEMO_CASUALTY_ID}",
     f"/api/v1/casualties/{DEMO_CASUALTY_ID}/tourniquets",
     f"/api/v1/casualties/{DEMO_CASUALTY_ID}/mist", "/api/v1/requests", "/api/v1/auth/me"],
)  # fmt: skip
def test_every_answer_with_casualty_or_personal_data_is_not_stored(
    seeded: tuple[Settings, Engine], path: str
) -> None:
    with client_for(seeded[0]) as client:
        response = client.get(path, headers=medic(client))
    assert (response.status_code, response.headers["cache-control"]) == (200, "no-store")


def test_a_refusal_of_the_api_is_not_stored_either(seeded: tuple[Settings, Engine]) -> None:
    with client_for(seeded[0]) as client:
        response = client.get("/api/v1/casualties")
    assert (response.status_code, response.headers["cache-control"]) == (401, "no-store")


@pytest.mark.parametrize(
    ("changes", "served"),
    [({"api_docs": False}, False), ({"environment": "production", "demo_password": None}, False),
     ({"api_docs": True}, True), ({}, True)],
)  # fmt: skip
def test_the_docs_and_the_schema_are_served_only_when_the_setting_says(
    seeded: tuple[Settings, Engine], changes: dict[str, object], served: bool
) -> None:
    with client_for(seeded[0], **changes) as client:
        statuses = (client.get("/docs").status_code, client.get("/openapi.json").status_code)
    assert statuses == ((200, 200) if served else (404, 404))


def test_the_docs_page_allows_its_own_inline_script_by_hash_and_no_other(
    seeded: tuple[Settings, Engine],
) -> None:
    with client_for(seeded[0], api_docs=True) as client:
        response = client.get("/docs")
    scripts = re.findall(r"<script>(.*?)</script>", response.text, flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    policy = directives(response.headers["content-security-policy"])
    assert len(scripts) == 1
    assert f"'sha256-{digest}'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]


def inline_parts(html: str) -> list[str]:
    """Return the inline scripts, style elements and style attributes of a page."""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    styles = re.findall(r"<style\b[^>]*>", html)
    attributes = re.findall(r"\sstyle=", html)
    handlers = re.findall(r"\son[a-z]+=", html)
    return [*scripts, *styles, *attributes, *handlers]


def test_the_web_apps_page_has_no_inline_script_or_style() -> None:
    assert inline_parts((WEB_SOURCE / "index.html").read_text(encoding="utf-8")) == []


@pytest.mark.skipif(not (WEB_DIST / "index.html").is_file(), reason="web app not built")
def test_the_built_web_apps_page_has_no_inline_script_or_style() -> None:
    assert inline_parts((WEB_DIST / "index.html").read_text(encoding="utf-8")) == []
