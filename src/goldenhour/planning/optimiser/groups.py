"""Casualties grouped for the optimiser: by 1 km cell or site, and grown into neighbourhoods.

A vehicle's trip options are made per group (``options``); grouping keeps the model small where
casualties lie close together, and neighbourhoods let one run collect across cell boundaries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from goldenhour.domain.geo.position import Position
from goldenhour.planning.geometry import EARTH_RADIUS_KM, distance_km
from goldenhour.planning.optimiser.problem import Group
from goldenhour.planning.optimiser.timing import survival_at, survival_falls
from goldenhour.planning.policy import CasualtyView, Observation, VehicleStatus

#: Golden Hour's assumption (as the baselines' ``GATHER_KM``): one crew's run covers ~1 km.
_CELL_KM = 1.0
#: A group with room to spare on a vehicle is also offered with its neighbours within this
#: distance (ours): where casualties are sparse, one run collects from several cells.
_NEIGHBOUR_KM = 3.0


def cell_groups(observation: Observation, casualties: Sequence[CasualtyView]) -> tuple[Group, ...]:
    """Return the casualties grouped by site, else by 1 km cell, most urgent member first."""
    cells: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, c in enumerate(casualties):
        if c.site_id is not None:
            cells[("site", c.site_id)].append(i)
        else:
            north = c.position.lat * 111.2 / _CELL_KM
            east = c.position.lon * 111.2 * math.cos(math.radians(c.position.lat)) / _CELL_KM
            cells[("cell", math.floor(north), math.floor(east))].append(i)
    now = observation.now_min
    groups = []
    for members in cells.values():
        ranked = sorted(members, key=lambda i: (-urgency(casualties[i], now), casualties[i].id))
        groups.append(Group(place=casualties[ranked[0]].place, members=tuple(ranked)))
    return tuple(sorted(groups, key=lambda g: casualties[g.members[0]].id))


def neighbourhoods(
    observation: Observation, casualties: Sequence[CasualtyView], cells: Sequence[Group]
) -> tuple[Group, ...]:
    """Return groups grown from the most urgent groups at the front that leave room on a
    front-line vehicle: each with the gaining members of its nearest neighbours (within
    ``_NEIGHBOUR_KM``), then those nearby who only wait, up to that vehicle's load. The 1 km
    cells would otherwise keep a crew from collecting two casualties a few hundred metres
    apart across a cell boundary. Two per idle front-line vehicle at most, so that the model
    grows by little where the front is crowded (re-planning time, docs/planning.md)."""
    fleet = [v for v in observation.vehicles if not v.exchange_pickups_only]
    load = max((v.litter + v.seated for v in fleet), default=0)
    now = observation.now_min
    front = [
        g for g, group in enumerate(cells)
        if group.place.site_id is None and survival_falls(casualties[group.members[0]], observation)
    ]  # fmt: skip
    seeds = sorted(
        (g for g in front if len(cells[g].members) < load),
        key=lambda g: (-urgency(casualties[cells[g].members[0]], now), g),
    )[: 2 * max(1, sum(1 for v in fleet if v.status is VehicleStatus.IDLE))]
    found: dict[frozenset[int], Group] = {}
    # The great-circle distance is at least the distance along the meridian: cells further
    # apart in latitude alone are never measured (most of them; the same neighbours).
    reach_lat = math.degrees(_NEIGHBOUR_KM / EARTH_RADIUS_KM) * (1 + 1e-9)
    for g in seeds:
        here = cells[g].place.position

        def within(h: int, here: Position = here) -> float | None:
            there = cells[h].place.position
            if abs(there.lat - here.lat) > reach_lat:
                return None
            km = distance_km(here, there)
            return km if km <= _NEIGHBOUR_KM else None

        near = sorted((km, h) for h in front if h != g and (km := within(h)) is not None)
        members = list(cells[g].members)
        for _, h in near:
            if len(members) >= load:
                break
            gaining = [c for c in cells[h].members if survival_falls(casualties[c], observation)]
            members.extend(gaining[: load - len(members)])
        # Then, in the places left, those nearby who only wait (minor casualties): the crew
        # goes there anyway (issue 18: on bilohorivka an MT-LB left for the exchange point with
        # one casualty while minor ones waited a few hundred metres away, all day).
        waiting_near = sorted(
            (km, h) for h, group in enumerate(cells)
            if h != g and group.place.site_id is None and (km := within(h)) is not None
        )  # fmt: skip
        for _, h in [(0.0, g), *waiting_near]:
            if len(members) >= load:
                break
            rest = [
                c for c in cells[h].members
                if c not in members and not survival_falls(casualties[c], observation)
            ]  # fmt: skip
            members.extend(rest[: load - len(members)])
        key = frozenset(members)
        if len(members) > len(cells[g].members) and key not in found:
            found[key] = Group(place=cells[g].place, members=tuple(members), seed=g)
    return tuple(found.values())


def urgency(casualty: CasualtyView, now: float) -> float:
    """Return the survival lost by an hour's more wait around half an hour from now."""
    soon = now + 30.0
    return survival_at(casualty, soon) - survival_at(casualty, soon + 60.0)
