"""Builders for policy observations, so policy tests state only what matters."""

from __future__ import annotations

from typing import Any

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.survival.models import DELAYED, IMMEDIATE, MINOR
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.policy import (
    CasualtyView,
    EpochReason,
    FacilityView,
    Observation,
    SiteView,
    VehicleStatus,
    VehicleView,
)
from goldenhour.planning.scenario import (
    Travel,
    VehicleKind,
    default_precedence,
)
from goldenhour.planning.travel import TravelModel

SCENE = Position(lat=48.92, lon=38.23)
_SURVIVAL = {StartCategory.IMMEDIATE: IMMEDIATE, StartCategory.DELAYED: DELAYED,
             StartCategory.MINOR: MINOR}  # fmt: skip


def casualty(
    cid: str,
    *,
    category: StartCategory = StartCategory.IMMEDIATE,
    reported: float = 0.0,
    position: Position = SCENE,
    needs: frozenset[Capability] = frozenset(),
    **fields: Any,
) -> CasualtyView:
    values: dict[str, Any] = {
        "id": cid, "category": category, "precedence": default_precedence(category, needs),
        "position": position, "site_id": None, "injured_at_min": reported,
        "reported_at_min": reported, "litter": category is not StartCategory.MINOR,
        "needs": needs, "survival": _SURVIVAL[category],
    }  # fmt: skip
    values.update(fields)
    return CasualtyView(**values)


def vehicle(vid: str, *, position: Position, **fields: Any) -> VehicleView:
    values: dict[str, Any] = {
        "id": vid, "kind": VehicleKind.AMBULANCE, "status": VehicleStatus.IDLE,
        "position": position, "site_id": None, "base": "h-surgical", "speed_kmh": 60.0,
        "litter": 2, "seated": 2, "load_min": 2.0, "unload_min": 2.0,
        "available_from_min": 0.0, "grounded": (), "hands_over_at": None,
        "exchange_pickups_only": False, "idle_since_min": 0.0,
    }  # fmt: skip
    values.update(fields)
    return VehicleView(**values)


FACILITIES = (
    FacilityView(id="h-near", position=Position(lat=48.88, lon=38.15),
                 capabilities=frozenset({Capability.BLOOD}), teams=1, queue=0, in_treatment=0),
    FacilityView(id="h-surgical", position=Position(lat=48.74, lon=37.58),
                 capabilities=frozenset({Capability.SURGERY, Capability.BLOOD}), teams=2,
                 queue=0, in_treatment=0),
)  # fmt: skip


def observation(
    waiting: tuple[CasualtyView, ...], vehicles: tuple[VehicleView, ...], **fields: Any
) -> Observation:
    values: dict[str, Any] = {
        "now_min": 10.0, "horizon_min": 480.0, "reason": EpochReason.CASUALTY_REPORTED,
        "waiting": waiting, "vehicles": vehicles, "facilities": FACILITIES,
        "exchange_points": (SiteView(id="axp", position=Position(lat=48.87, lon=38.13)),),
        "bases": (), "threats": (), "travel": TravelModel(travel=Travel()),
    }  # fmt: skip
    values.update(fields)
    return Observation(**values)
