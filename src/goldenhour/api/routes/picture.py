"""The operational picture: the map as GeoJSON, the facility board, requests, missions, units."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter

from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.errors import UNAUTHORISED
from goldenhour.api.schemas import FeatureCollection, MapPublic, RecordsPublic
from goldenhour.domain.ports import CardFilter
from goldenhour.services.cards import list_cards

# Every read of the picture needs a token, and nothing else can be wrong with it.
router = APIRouter(prefix="/api/v1", tags=["picture"], responses={401: UNAUTHORISED})

#: Corners used to draw a threat circle as a polygon for clients that only know polygons.
_CIRCLE_CORNERS = 48


def _point(position: dict[str, float] | None) -> dict[str, Any] | None:
    if not position:
        return None
    return {"type": "Point", "coordinates": [position["lon"], position["lat"]]}


def _feature(geometry: dict[str, Any] | None, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _circle(centre: dict[str, float], radius_m: float) -> dict[str, Any]:
    # A local equirectangular approximation: exact enough for areas of a few kilometres.
    lat, lon = centre["lat"], centre["lon"]
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 1e-6))
    ring = [
        [lon + dlon * math.cos(2 * math.pi * i / _CIRCLE_CORNERS),
         lat + dlat * math.sin(2 * math.pi * i / _CIRCLE_CORNERS)]
        for i in range(_CIRCLE_CORNERS)
    ]  # fmt: skip
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _threat_geometry(state: dict[str, Any]) -> dict[str, Any] | None:
    if state.get("polygon"):
        ring = [[corner["lon"], corner["lat"]] for corner in state["polygon"]]
        return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    if state.get("centre") and state.get("radius_m"):
        return _circle(state["centre"], float(state["radius_m"]))
    return None


@router.get("/map", response_model=MapPublic)
def get_map(state: StateDep, principal: PrincipalDep) -> MapPublic:
    """Return the live picture the caller may see, as GeoJSON layers (coordinates lon, lat)."""
    cards = list_cards(
        state.records, state.audits, principal, CardFilter(limit=5000), action="map",
        now=datetime.now(UTC),
    )  # fmt: skip
    casualties = [
        _feature(
            _point(card.get("position")),
            {
                "id": card["casualty_id"],
                "status": card["status"],
                "precedence": card.get("precedence"),
                "updated_seq": card["updated_seq"],
            },
        )  # fmt: skip
        for card in cards
        if card.get("position")
    ]

    def layer(stream: str, geometry: Any) -> FeatureCollection:
        records = state.records.list_streams(principal, stream)
        return FeatureCollection(
            features=[_feature(geometry(r), r) for r in records if geometry(r) is not None]
        )

    return MapPublic(
        casualties=FeatureCollection(features=casualties),
        vehicles=layer("vehicle", lambda r: _point(r.get("position") or r.get("base"))),
        points=layer("point", lambda r: _point(r.get("position"))),
        facilities=layer("facility", lambda r: _point(r.get("position"))),
        threats=layer("threat", _threat_geometry),
    )


def _records(state: StateDep, principal: PrincipalDep, stream: str) -> RecordsPublic:
    records = state.records.list_streams(principal, stream)
    return RecordsPublic(records=records, count=len(records))


@router.get("/facilities", response_model=RecordsPublic)
def get_facilities(state: StateDep, principal: PrincipalDep) -> RecordsPublic:
    """Return the facility board: each facility with capabilities, beds and tables free."""
    return _records(state, principal, "facility")


@router.get("/vehicles", response_model=RecordsPublic)
def get_vehicles(state: StateDep, principal: PrincipalDep) -> RecordsPublic:
    """Return the vehicles the caller may see, with position and status."""
    return _records(state, principal, "vehicle")


@router.get("/requests", response_model=RecordsPublic)
def get_requests(state: StateDep, principal: PrincipalDep) -> RecordsPublic:
    """Return the evacuation requests the caller may see."""
    return _records(state, principal, "request")


@router.get("/missions", response_model=RecordsPublic)
def get_missions(state: StateDep, principal: PrincipalDep) -> RecordsPublic:
    """Return the missions the caller may see (a facility: those coming to it)."""
    return _records(state, principal, "mission")


@router.get("/units", response_model=RecordsPublic)
def get_units(state: StateDep, principal: PrincipalDep) -> RecordsPublic:
    """Return the unit tree."""
    return _records(state, principal, "unit")


@router.get("/threats", response_model=RecordsPublic)
def get_threats(state: StateDep, principal: PrincipalDep) -> RecordsPublic:
    """Return the threat areas with their time windows."""
    return _records(state, principal, "threat")


@router.get("/points", response_model=RecordsPublic)
def get_points(state: StateDep, principal: PrincipalDep) -> RecordsPublic:
    """Return pickup points, exchange points and landing zones."""
    return _records(state, principal, "point")
