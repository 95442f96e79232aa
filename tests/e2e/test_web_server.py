"""The server's side of the web app: the built files at /, the service worker's headers, the
client-side routes, and the live stream opened with a single-use ``?ticket=`` (for EventSource)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import Server
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.api.app import create_app
from goldenhour.config import Settings


@pytest.fixture
def web_dist(tmp_path: Path) -> Path:
    """Return a small stand-in for web/dist."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Golden Hour</title>")
    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (dist / "assets" / "index-abc.js").write_text("console.log(1)")
    return dist


def app_client(tmp_path: Path, web_dist: Path | None) -> TestClient:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'gh.sqlite3'}")
    engine = make_engine(settings.resolved_database_url())
    schema.upgrade(engine)
    engine.dispose()
    return TestClient(create_app(settings, web_dist=web_dist))


class TestWebApp:
    def test_serves_the_page_and_its_files(self, tmp_path: Path, web_dist: Path) -> None:
        """The page and its hashed files are served at /."""
        with app_client(tmp_path, web_dist) as client:
            assert "Golden Hour" in client.get("/").text
            assert client.get("/assets/index-abc.js").status_code == 200

    def test_serves_the_service_worker_for_the_whole_app_uncached(
        self, tmp_path: Path, web_dist: Path
    ) -> None:
        """The service worker is checked on every load and may control every path."""
        with app_client(tmp_path, web_dist) as client:
            response = client.get("/sw.js")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["service-worker-allowed"] == "/"

    def test_answers_a_client_route_with_the_page(self, tmp_path: Path, web_dist: Path) -> None:
        """A path of the app's own (a reload on /medic/...) gets the page, not a 404."""
        with app_client(tmp_path, web_dist) as client:
            response = client.get("/medic/7b7d9c1e")
        assert response.status_code == 200
        assert "Golden Hour" in response.text

    def test_keeps_unknown_api_paths_a_json_404(self, tmp_path: Path, web_dist: Path) -> None:
        """The app never hides a wrong API path behind its page."""
        with app_client(tmp_path, web_dist) as client:
            response = client.get("/api/v1/nothing-here")
            health = client.get("/api/v1/health")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/json")
        assert health.json()["status"] == "ok"

    def test_runs_without_a_built_app(self, tmp_path: Path) -> None:
        """With no build, the API still runs and / is a 404."""
        with app_client(tmp_path, tmp_path / "missing") as client:
            assert client.get("/").status_code == 404
            assert client.get("/api/v1/health").status_code == 200


class TestStreamTicket:
    def test_the_stream_opens_once_with_a_ticket_in_the_url(self, server: Server) -> None:
        """EventSource cannot send headers: a ticket from POST /stream/ticket opens it, once."""
        token = server.token("coordinator")
        issued = httpx.post(
            f"{server.url}/api/v1/stream/ticket",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        ticket = {"ticket": issued.json()["ticket"]}
        with httpx.stream(
            "GET", f"{server.url}/api/v1/stream", params=ticket, timeout=10
        ) as response:
            assert response.status_code == 200
            first = next(response.iter_lines())
        again = httpx.get(f"{server.url}/api/v1/stream", params=ticket, timeout=60)
        assert first.startswith("retry:")
        assert again.status_code == 401

    def test_the_stream_refuses_a_token_in_the_url(self, server: Server) -> None:
        """A token in the URL (written to access logs) is refused, even a valid one."""
        token = server.token("coordinator")
        response = httpx.get(
            f"{server.url}/api/v1/stream", params={"access_token": token}, timeout=60
        )
        assert response.status_code == 401
        assert response.json()["detail"][0]["field"] == "access_token"

    def test_other_routes_ignore_a_token_in_the_url(self, server: Server) -> None:
        """No route takes a token in the URL (URLs end up in logs)."""
        token = server.token("coordinator")
        response = httpx.get(
            f"{server.url}/api/v1/requests", params={"access_token": token}, timeout=60
        )
        assert response.status_code == 401
