"""Every list pages with a cursor and says when there is more; nothing is left out unsaid.

The casualty list, the map and the operational lists (requests...) each give a page, ``more``
and ``next_cursor``; following the cursor reads every record once (issue 19). SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from goldenhour.demo.scenario import BATTALION
from goldenhour.domain.codec import encode_event
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.triage.categories import Precedence

Login = Callable[[str], dict[str, str]]

#: Far from the demo's village, so the viewport holds only this test's casualties.
_FIELD = Position(lat=47.10, lon=36.10)


def _registration(author: str, position: Position | None = None) -> dict[str, Any]:
    now = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    event: dict[str, Any] = {
        "kind": "casualty_registered", "event_id": str(uuid4()), "casualty_id": str(uuid4()),
        "occurred_at": now, "recorded_at": now, "author": author, "device": f"{author}-phone",
    }  # fmt: skip
    if position is not None:
        event["position"] = {"lat": position.lat, "lon": position.lon}
    return event


def _post(client: TestClient, headers: dict[str, str], batch: list[dict[str, Any]]) -> None:
    response = client.post("/api/v1/events", json={"events": batch}, headers=headers)
    assert response.status_code == 200, response.text
    assert {r["outcome"] for r in response.json()["results"]} == {"accepted"}, response.text


def _request(casualty: str) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=1)
    return encode_event(
        EvacuationRequestFiled(
            event_id=uuid4(), occurred_at=moment, recorded_at=moment, author="coordinator",
            device="coordinator-laptop", request_id=uuid4(), unit_id=BATTALION,
            casualty_ids=(UUID(casualty),), pickup=_FIELD, precedence=Precedence.PRIORITY,
        )
    )  # fmt: skip


def _pages(
    client: TestClient, headers: dict[str, str], path: str, key: str, cursor: str
) -> list[dict[str, Any]]:
    """Follow ``next_cursor`` from the first page to the last; return every page's body."""
    pages, extra = [], ""
    while True:
        response = client.get(f"{path}{extra}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body)
        assert body.get("count", len(body[key]) if key in body else 0) is not None
        if not body["more"]:
            assert body["next_cursor"] is None
            return pages
        extra = f"&{cursor}={body['next_cursor']}"


def test_the_casualty_list_pages_through_every_card_once(client: TestClient, login: Login) -> None:
    coordinator = login("coordinator")
    mine = [_registration("coordinator") for _ in range(23)]
    _post(client, coordinator, mine)
    pages = _pages(client, coordinator, "/api/v1/casualties?limit=5", "casualties", "before")
    seen = [card["casualty_id"] for page in pages for card in page["casualties"]]
    assert len(seen) == len(set(seen))
    assert {e["casualty_id"] for e in mine} <= set(seen)
    assert all(page["count"] == 5 and page["more"] for page in pages[:-1])
    seqs = [card["updated_seq"] for page in pages for card in page["casualties"]]
    assert seqs == sorted(seqs, reverse=True)


def test_a_page_that_holds_every_card_says_there_is_no_more(
    client: TestClient, login: Login
) -> None:
    body = client.get("/api/v1/casualties?limit=5000", headers=login("coordinator")).json()
    assert body["more"] is False and body["next_cursor"] is None


def test_requests_page_in_order_of_change(client: TestClient, login: Login) -> None:
    coordinator = login("coordinator")
    casualties = [_registration("coordinator") for _ in range(7)]
    _post(client, coordinator, casualties)
    filed = [_request(c["casualty_id"]) for c in casualties]
    _post(client, coordinator, filed)
    pages = _pages(client, coordinator, "/api/v1/requests?limit=3", "records", "after")
    seen = [record["id"] for page in pages for record in page["records"]]
    assert len(seen) == len(set(seen))
    assert [r["request_id"] for r in filed] == [
        s for s in seen if s in {r["request_id"] for r in filed}
    ]
    assert all(page["count"] == 3 and page["more"] for page in pages[:-1])
    everything = client.get("/api/v1/requests", headers=coordinator).json()
    assert [r["id"] for r in everything["records"]] == seen


def test_the_map_of_a_viewport_pages_and_says_when_more_are_in_it(
    client: TestClient, login: Login
) -> None:
    coordinator = login("coordinator")
    inside = [
        _registration("coordinator", Position(lat=_FIELD.lat + i / 1000, lon=_FIELD.lon))
        for i in range(9)
    ]
    outside = [_registration("coordinator", Position(lat=46.0, lon=35.0))]
    _post(client, coordinator, inside + outside)
    viewport = f"{_FIELD.lon - 0.05},{_FIELD.lat - 0.05},{_FIELD.lon + 0.05},{_FIELD.lat + 0.05}"
    pages = _pages(
        client, coordinator, f"/api/v1/map?bbox={viewport}&limit=4", "casualties", "before"
    )
    assert len(pages) == 3 and pages[0]["more"] and not pages[-1]["more"]
    seen = [f["properties"]["id"] for page in pages for f in page["casualties"]["features"]]
    assert sorted(seen) == sorted(e["casualty_id"] for e in inside)
    whole = client.get("/api/v1/map", headers=coordinator).json()
    assert outside[0]["casualty_id"] in {
        f["properties"]["id"] for f in whole["casualties"]["features"]
    }


def test_a_bad_viewport_or_cursor_is_refused_naming_the_parameter(
    client: TestClient, login: Login
) -> None:
    coordinator = login("coordinator")
    for path, field in (
        ("/api/v1/map?bbox=1,2,3", "bbox"),
        ("/api/v1/map?before=-1", "before"),
        ("/api/v1/requests?after=x", "after"),
        ("/api/v1/casualties?before=-5", "before"),
    ):
        response = client.get(path, headers=coordinator)
        assert response.status_code == 422, (path, response.text)
        assert field in response.text, (path, response.text)


def test_the_map_at_a_zoom_counts_every_casualty_of_the_viewport_per_cell(
    client: TestClient, login: Login
) -> None:
    coordinator = login("coordinator")
    near = [
        _registration("coordinator", Position(lat=_FIELD.lat + i / 10_000, lon=_FIELD.lon))
        for i in range(6)
    ]
    far = [_registration("coordinator", Position(lat=_FIELD.lat + 0.04, lon=_FIELD.lon + 0.04))]
    _post(client, coordinator, near + far)
    viewport = f"{_FIELD.lon - 0.05},{_FIELD.lat - 0.05},{_FIELD.lon + 0.05},{_FIELD.lat + 0.05}"
    body = client.get(f"/api/v1/map?bbox={viewport}&zoom=12&limit=2", headers=coordinator).json()
    assert body["more"] is True and len(body["casualties"]["features"]) == 2
    cells = sorted(body["casualty_cells"], key=lambda cell: cell["count"])
    # At zoom 12 a cell is 0.011 degrees wide: the six near ones share one, the far one its own.
    assert [cell["count"] for cell in cells] == [1, 6]
    assert abs(cells[1]["lon"] - _FIELD.lon) < 0.011 and abs(cells[1]["lat"] - _FIELD.lat) < 0.011
    assert client.get("/api/v1/map", headers=coordinator).json()["casualty_cells"] is None
    medic = client.get(f"/api/v1/map?bbox={viewport}&zoom=12", headers=login("medic")).json()
    assert medic["casualty_cells"] == []  # the battalion's casualties are not the company's
