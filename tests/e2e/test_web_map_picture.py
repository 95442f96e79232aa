"""The coordinator's map as operators read it (issue 17, item 4): casualties filled by triage
category with their precedence, clustered with counts by category when zoomed out; towns by name
offline (GeoNames); names as labels that never overlap; threat polygons drawn as polygons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import Page

from conftest import NewContext, Server, log_in, screenshot

LAPTOP_1440 = {"width": 1440, "height": 900}
#: Near the demo's stabilisation point, inside the map's first view.
HERE = {"lat": 48.93, "lon": 38.12}


def post(server: Server, events: list[dict[str, Any]]) -> None:
    response = httpx.post(
        f"{server.url}/api/v1/events", json={"events": events},
        headers={"Authorization": f"Bearer {server.token('admin')}"}, timeout=60,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["refused"] == 0, response.text


def envelope() -> dict[str, Any]:
    moment = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    return {"event_id": str(uuid4()), "occurred_at": moment, "recorded_at": moment,
            "author": "admin", "device": "e2e"}  # fmt: skip


def casualty(server: Server, nato: str, precedence: str | None, offset: float) -> str:
    casualty_id = str(uuid4())
    position = {"lat": HERE["lat"] + offset, "lon": HERE["lon"] + offset}
    events = [
        {"kind": "casualty_registered", "casualty_id": casualty_id, "position": position,
         **envelope()},
        {"kind": "triage_assessed", "casualty_id": casualty_id, "system": "nato",
         "category": nato, **envelope()},
    ]  # fmt: skip
    if precedence:
        events.append({"kind": "triage_assessed", "casualty_id": casualty_id,
                       "system": "precedence", "category": precedence, **envelope()})  # fmt: skip
    post(server, events)
    return casualty_id


def settle(page: Page, view: dict[str, Any]) -> None:
    # Twice idle: images drawn at the first idle (for labels first seen) are placed by the next.
    page.evaluate(
        """async (v) => {
            const map = window.__ghMap;
            await new Promise((r) => { map.once('idle', r); map.jumpTo(v); });
            await new Promise((r) => { map.once('idle', r); map.triggerRepaint(); });
        }""",
        view,
    )


def rendered(page: Page, layers: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        """(layers) => window.__ghMap.queryRenderedFeatures({ layers }).map((f) => ({
            layer: f.layer.id, properties: f.properties }))""",
        layers,
    )
    return found


LABEL_BOXES = """() => {
    const map = window.__ghMap;
    const layers = map.getStyle().layers.map((l) => l.id)
        .filter((id) => id.startsWith('towns-label') || id.endsWith('-label'));
    return map.queryRenderedFeatures({ layers }).map((f) => {
        const town = f.layer.id.startsWith('towns');
        const image = map.style.getImage(
            town ? 'town:' + f.properties.name : 'label:' + f.properties.label);
        const at = map.project(f.geometry.coordinates);
        const dx = f.layer.id.startsWith('towns') ? 5 : 20;
        return { name: f.properties.name || f.properties.label, x: at.x + dx, y: at.y - 10,
                 w: image ? image.data.width : 0, h: 20 };
    });
}"""


def test_triage_symbols_clusters_towns_and_labels(new_context: NewContext, server: Server) -> None:
    ids = {
        "T1-A": casualty(server, "T1", "A", 0.0),
        "T2-C": casualty(server, "T2", "C", 0.002),
        "T3-D": casualty(server, "T3", "D", 0.004),
    }
    page = new_context(size=LAPTOP_1440).new_page()
    log_in(page, server, "admin")
    page.goto("/#/coordinator")
    page.wait_for_function(
        """(ids) => { const s = window.__ghMap && window.__ghMap.loaded()
                && window.__ghMap.getSource('casualties');
            if (!s) return false;
            const have = new Set(s.serialize().data.features.map((f) => f.properties.id));
            return ids.every((id) => have.has(id)); }""",
        arg=list(ids.values()),
    )

    # Each casualty's symbol says its triage category and precedence.
    icons = page.evaluate(
        """(ids) => Object.fromEntries(window.__ghMap.getSource('casualties').serialize().data
            .features.filter((f) => ids.includes(f.properties.id))
            .map((f) => [f.properties.id, f.properties.icon]))""",
        list(ids.values()),
    )
    assert {key: icons[value] for key, value in ids.items()} == {
        "T1-A": "cas-T1-A", "T2-C": "cas-T2-C", "T3-D": "cas-T3-D"
    }  # fmt: skip

    # Close in, each is drawn on its own, as an image the map made for it.
    settle(page, {"center": [HERE["lon"] + 0.002, HERE["lat"] + 0.002], "zoom": 15})
    screenshot(page, "coordinator-map-close")
    shown = {f["properties"]["id"] for f in rendered(page, ["casualties"])}
    assert set(ids.values()) <= shown
    assert page.evaluate("() => ['cas-T1-A', 'cas-T2-C'].every((i) => window.__ghMap.hasImage(i))")

    # Zoomed out, they are counted by category in clusters, not drawn one on another.
    settle(page, {"center": [HERE["lon"], HERE["lat"]], "zoom": 7})
    screenshot(page, "coordinator-map-zoomed-out")
    clusters = rendered(page, ["casualty-clusters"])
    assert clusters, "no cluster at zoom 7"
    totals = {c: sum(int(f["properties"][f"n_{c}"]) for f in clusters) for c in ("T1", "T2", "T3")}
    assert all(n >= 1 for n in totals.values()), totals
    assert not set(ids.values()) & {f["properties"]["id"] for f in rendered(page, ["casualties"])}

    # Towns by name without a detail map, the big ones at a regional zoom.
    names = {f["properties"]["name"] for f in rendered(page, ["towns-label-big"])}
    assert len(names) >= 5, names
    settle(page, {"center": [38.16, 48.89], "zoom": 10.3})
    screenshot(page, "coordinator-map-first-view")
    local = {
        f["properties"]["name"] for f in rendered(page, ["towns-label-all", "towns-label-mid"])
    }
    assert len(local) >= 3, local

    # No two labels overlap, at the first view and zoomed out where everything crowds.
    for zoom in (10.3, 8, 6.5):
        settle(page, {"center": [38.16, 48.89], "zoom": zoom})
        boxes = page.evaluate(LABEL_BOXES)
        assert len(boxes) >= 3
        overlaps = [
            (a["name"], b["name"])
            for i, a in enumerate(boxes)
            for b in boxes[i + 1 :]
            if a["x"] + 1 < b["x"] + b["w"] and b["x"] + 1 < a["x"] + a["w"]
            and a["y"] + 1 < b["y"] + b["h"] and b["y"] + 1 < a["y"] + a["h"]
        ]  # fmt: skip
        assert overlaps == [], f"zoom {zoom}: {overlaps[:5]}"


AROUND_VEHICLE = """(callSign) => {
    const map = window.__ghMap;
    const vehicle = map.getSource('vehicles').serialize().data.features
        .find((f) => f.properties.label === callSign);
    const at = map.project(vehicle.geometry.coordinates);
    const layers = (box) => map.queryRenderedFeatures(
        box, { layers: ['vehicles', 'casualty-clusters'] }).map((f) => f.layer.id);
    // The vehicle's symbol (22 px milsymbol, about 30 px drawn): its centre and its corners.
    const points = [[0, 0], [-10, -10], [10, -10], [-10, 10], [10, 10]]
        .map(([dx, dy]) => layers([at.x + dx, at.y + dy]));
    const near = layers([[at.x - 60, at.y - 60], [at.x + 60, at.y + 60]]);
    return { points, near };
}"""


def test_a_cluster_badge_never_covers_a_vehicles_symbol(
    new_context: NewContext, server: Server
) -> None:
    """The demo's BUHAI 2 waits at the pickup where its three casualties are: zoomed out, their
    cluster's badge was drawn on the vehicle; it stands above it now, under the symbols."""
    page = new_context(size=LAPTOP_1440).new_page()
    log_in(page, server, "coordinator")
    page.goto("/#/coordinator")
    page.wait_for_function(
        """() => { const m = window.__ghMap; return m && m.loaded() && m.getSource('vehicles')
            && m.getSource('vehicles').serialize().data.features
                .some((f) => f.properties.label === 'BUHAI 2'); }"""
    )
    for zoom in (10.3, 9):
        settle(page, {"center": [38.2297, 48.9172], "zoom": zoom})
        found = page.evaluate(AROUND_VEHICLE, "BUHAI 2")
        assert "casualty-clusters" in found["near"], f"zoom {zoom}: no badge by the vehicle"
        covered = [p for p in found["points"] if p[:1] != ["vehicles"]]
        assert covered == [], f"zoom {zoom}: a badge is drawn over BUHAI 2 ({found['points']})"
        # Nor does the vehicle cover the badge's counts: they are not at the vehicle's centre.
        assert "casualty-clusters" not in found["points"][0], f"zoom {zoom}: {found['points']}"
    screenshot(page, "coordinator-map-badge-under-vehicle")


def test_a_threat_polygon_is_drawn_with_its_corners(
    new_context: NewContext, server: Server
) -> None:
    units = httpx.get(
        f"{server.url}/api/v1/units",
        headers={"Authorization": f"Bearer {server.token('admin')}"},
        timeout=60,
    ).json()["records"]
    brigade = next(u["unit_id"] for u in units if u["name"] == "Demo brigade")
    corners = [{"lat": 48.95, "lon": 38.0}, {"lat": 48.97, "lon": 38.05},
               {"lat": 48.94, "lon": 38.08}, {"lat": 48.92, "lon": 38.02}]  # fmt: skip
    area = str(uuid4())
    post(server, [{"kind": "threat_area_drawn", "area_id": area, "threat_kind": "shelling",
                   "unit_id": brigade, "starts_at": envelope()["occurred_at"],
                   "polygon": corners, **envelope()}])  # fmt: skip
    page = new_context(size=LAPTOP_1440).new_page()
    log_in(page, server, "admin")
    page.goto("/#/coordinator")
    ring = page.wait_for_function(
        """(id) => { const s = window.__ghMap && window.__ghMap.loaded()
                && window.__ghMap.getSource('threats');
            const f = s && s.serialize().data.features.find((x) => x.properties.id === id);
            return f ? f.geometry.coordinates[0] : null; }""",
        arg=area,
    ).json_value()
    assert ring == [[c["lon"], c["lat"]] for c in [*corners, corners[0]]]
