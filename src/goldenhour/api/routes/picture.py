"""The operational picture: the map as GeoJSON, the facility board, requests, missions, units."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.errors import UNAUTHORISED, Responses, refusal
from goldenhour.api.read_models import RecordsPage
from goldenhour.api.routes.casualties import bbox_filter
from goldenhour.api.schemas import (
    MAX_SEQ,
    FacilitiesPublic,
    FeatureCollection,
    MapPublic,
    MissionsPublic,
    PointsPublic,
    RequestsPublic,
    ThreatsPublic,
    UnitsPublic,
    VehiclesPublic,
)
from goldenhour.domain.ports import CardFilter
from goldenhour.services.cards import casualty_cells, list_card_page

# Every read of the picture needs a token; a page's parameters are checked (422 names them).
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


_BAD_PARAMETER: Responses = {
    422: refusal(
        "A parameter is invalid",
        {
            "West east of east": ("bbox", "west <= east within ±180, south <= north within ±90"),
            "Not four numbers": ("bbox", "give four numbers: west,south,east,north"),
            "Negative cursor": ("before", "Input should be greater than or equal to 0"),
        },
    ),
}
_BAD_PAGE: Responses = {
    422: refusal(
        "A page parameter is invalid",
        {
            "Negative cursor": ("after", "Input should be greater than or equal to 0"),
            "Page too long": ("limit", "Input should be less than or equal to 5000"),
        },
    ),
}
#: The viewport when none is given: the whole map.
_WORLD = (-180.0, -90.0, 180.0, 90.0)
#: Most records of an operational stream on one page.
_MAX_RECORDS = 5000


@router.get("/map", response_model=MapPublic, responses=_BAD_PARAMETER)
def get_map(
    state: StateDep,
    principal: PrincipalDep,
    bbox: Annotated[
        str | None, Query(description="The viewport: west,south,east,north in degrees")
    ] = None,
    zoom: Annotated[
        int | None,
        Query(ge=0, le=22, description="The map's zoom (web map tiles): adds casualty_cells"),
    ] = None,
    before: Annotated[
        int | None,
        Query(ge=0, le=MAX_SEQ, description="Page cursor: the next_cursor of the page before"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 5000,
) -> MapPublic:
    """Return the live picture the caller may see, as GeoJSON layers (coordinates lon, lat).

    Casualties come newest change first, those in ``bbox`` only when it is given, at most
    ``limit`` of them: ``more`` says that others are in the viewport (ask with
    ``before=next_cursor``); nothing is left out without saying so. With ``zoom``,
    ``casualty_cells`` counts every casualty in the viewport per cell (an eighth of a tile at
    that zoom), so a zoomed-out map can draw counts while the markers page in.
    """
    viewport = bbox_filter(bbox)
    page = list_card_page(
        state.records, state.audits, principal,
        CardFilter(bbox=viewport, before_seq=before, limit=limit), action="map",
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
        for card in page.cards
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
        more=page.more,
        next_cursor=page.next_cursor,
        casualty_cells=None
        if zoom is None
        else casualty_cells(
            state.records,
            state.audits,
            principal,
            viewport or _WORLD,
            zoom,
            now=datetime.now(UTC),
        ),  # fmt: skip
    )


def _records(
    page: type[RecordsPage], state: StateDep, principal: PrincipalDep, stream: str,
    after: int | None, limit: int,
) -> RecordsPage:  # fmt: skip
    found = state.records.list_streams(principal, stream, after=after, limit=limit + 1)
    records = found[:limit]
    more = len(found) > limit
    return page.model_validate(
        {"records": records, "count": len(records), "more": more,
         "next_cursor": records[-1]["updated_seq"] if more else None}
    )  # fmt: skip


#: The page parameters of the operational lists: oldest change first, from a log position.
AfterParam = Annotated[
    int | None,
    Query(ge=0, le=MAX_SEQ, description="Page cursor: the next_cursor of the page before"),
]
LimitParam = Annotated[int, Query(ge=1, le=_MAX_RECORDS)]


# A key a record does not have yet is left out, as stored, not served as null.
@router.get(
    "/facilities",
    response_model=FacilitiesPublic,
    response_model_exclude_unset=True,
    responses=_BAD_PAGE,
)
def get_facilities(
    state: StateDep, principal: PrincipalDep, after: AfterParam = None, limit: LimitParam = 1000
) -> RecordsPage:
    """Return the facility board: each facility with capabilities, beds and tables free."""
    return _records(FacilitiesPublic, state, principal, "facility", after, limit)


# A key a record does not have yet is left out, as stored, not served as null.
@router.get(
    "/vehicles",
    response_model=VehiclesPublic,
    response_model_exclude_unset=True,
    responses=_BAD_PAGE,
)
def get_vehicles(
    state: StateDep, principal: PrincipalDep, after: AfterParam = None, limit: LimitParam = 1000
) -> RecordsPage:
    """Return the vehicles the caller may see, with position and status."""
    return _records(VehiclesPublic, state, principal, "vehicle", after, limit)


# A key a record does not have yet is left out, as stored, not served as null.
@router.get(
    "/requests",
    response_model=RequestsPublic,
    response_model_exclude_unset=True,
    responses=_BAD_PAGE,
)
def get_requests(
    state: StateDep, principal: PrincipalDep, after: AfterParam = None, limit: LimitParam = 1000
) -> RecordsPage:
    """Return the evacuation requests the caller may see."""
    return _records(RequestsPublic, state, principal, "request", after, limit)


# A key a record does not have yet is left out, as stored, not served as null.
@router.get(
    "/missions",
    response_model=MissionsPublic,
    response_model_exclude_unset=True,
    responses=_BAD_PAGE,
)
def get_missions(
    state: StateDep, principal: PrincipalDep, after: AfterParam = None, limit: LimitParam = 1000
) -> RecordsPage:
    """Return the missions the caller may see (a facility: those coming to it)."""
    return _records(MissionsPublic, state, principal, "mission", after, limit)


# A key a record does not have yet is left out, as stored, not served as null.
@router.get(
    "/units", response_model=UnitsPublic, response_model_exclude_unset=True, responses=_BAD_PAGE
)
def get_units(
    state: StateDep, principal: PrincipalDep, after: AfterParam = None, limit: LimitParam = 1000
) -> RecordsPage:
    """Return the unit tree."""
    return _records(UnitsPublic, state, principal, "unit", after, limit)


# A key a record does not have yet is left out, as stored, not served as null.
@router.get(
    "/threats", response_model=ThreatsPublic, response_model_exclude_unset=True, responses=_BAD_PAGE
)
def get_threats(
    state: StateDep, principal: PrincipalDep, after: AfterParam = None, limit: LimitParam = 1000
) -> RecordsPage:
    """Return the threat areas with their time windows."""
    return _records(ThreatsPublic, state, principal, "threat", after, limit)


# A key a record does not have yet is left out, as stored, not served as null.
@router.get(
    "/points", response_model=PointsPublic, response_model_exclude_unset=True, responses=_BAD_PAGE
)
def get_points(
    state: StateDep, principal: PrincipalDep, after: AfterParam = None, limit: LimitParam = 1000
) -> RecordsPage:
    """Return pickup points, exchange points and landing zones."""
    return _records(PointsPublic, state, principal, "point", after, limit)
