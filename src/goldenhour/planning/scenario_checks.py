"""Checks across a whole scenario: unique ids, references, needs that some facility meets."""

from __future__ import annotations

from collections.abc import Iterable

from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.planning.errors import ScenarioError
from goldenhour.planning.scenario import (
    Facility,
    Scenario,
    Site,
)


def check_scenario(scenario: Scenario) -> None:
    """Refuse a scenario whose parts do not fit together; raise ``ScenarioError``."""
    _unique("casualties", (c.id for c in scenario.casualties))
    _unique("vehicles", (v.id for v in scenario.vehicles))
    _unique("threats", (t.id for t in scenario.threats))
    sites = [
        *((f"facilities[{i}]", s.id) for i, s in enumerate(scenario.facilities)),
        *((f"exchange_points[{i}]", s.id) for i, s in enumerate(scenario.exchange_points)),
        *((f"bases[{i}]", s.id) for i, s in enumerate(scenario.bases)),
    ]
    seen: set[str] = set()
    for path, site_id in sites:
        if site_id in seen:
            raise ScenarioError(f"{path}.id", f"{site_id!r} names another site too")
        seen.add(site_id)
    _check_times(scenario)
    _check_vehicles(scenario)
    _check_needs(scenario)
    _check_sites_outside_threats(scenario)


def _unique(path: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise ScenarioError(f"{path}[{i}].id", f"{item!r} is used twice")
        seen.add(item)


def _check_times(scenario: Scenario) -> None:
    horizon = scenario.horizon_min
    for i, casualty in enumerate(scenario.casualties):
        if casualty.at_min >= horizon:
            raise ScenarioError(f"casualties[{i}].at_min", f"is not before the horizon {horizon:g}")
    for i, generator in enumerate(scenario.generators):
        if generator.count is not None:
            if generator.window.from_min >= horizon:
                raise ScenarioError(
                    f"generate[{i}].at_min", f"is not before the horizon {horizon:g}"
                )
            continue
        if generator.window.to_min > horizon:
            raise ScenarioError(f"generate[{i}].to_min", f"is after the horizon {horizon:g}")
        if generator.window.from_min < 0:
            raise ScenarioError(f"generate[{i}].from_min", "is before the scenario starts")


def _check_vehicles(scenario: Scenario) -> None:
    exchanges = {s.id for s in scenario.exchange_points}
    for i, vehicle in enumerate(scenario.vehicles):
        if vehicle.hands_over_at is not None and vehicle.hands_over_at not in exchanges:
            where = "[0]" if vehicle.handover_points else ""
            raise ScenarioError(
                f"vehicles[{i}].hands_over_at{where}",
                f"no exchange point {vehicle.hands_over_at!r}",
            )
        for j, point in enumerate(vehicle.handover_points):
            if point not in exchanges:
                raise ScenarioError(
                    f"vehicles[{i}].hands_over_at[{j}]", f"no exchange point {point!r}"
                )
        if vehicle.exchange_pickups_only and not exchanges:
            raise ScenarioError(
                f"vehicles[{i}].exchange_pickups_only", "the scenario has no exchange points"
            )


def _check_needs(scenario: Scenario) -> None:
    offered = {c for facility in scenario.facilities for c in facility.capabilities}
    wanted: list[tuple[str, Capability]] = [
        (f"casualties[{i}].needs", need)
        for i, casualty in enumerate(scenario.casualties)
        for need in sorted(casualty.needs, key=lambda n: n.value)
    ]
    for i, generator in enumerate(scenario.generators):
        for category, shares in generator.needs.items():
            for need, share in shares.items():
                if share > 0:
                    wanted.append((f"generate[{i}].needs.{category.value}.{need.value}", need))
    for path, need in wanted:
        if need not in offered:
            raise ScenarioError(path, f"no facility offers {need.value}")


def _check_sites_outside_threats(scenario: Scenario) -> None:
    groups: tuple[tuple[str, tuple[Facility | Site, ...]], ...] = (
        ("facilities", scenario.facilities),
        ("exchange_points", scenario.exchange_points),
        ("bases", scenario.bases),
    )
    for name, sites in groups:
        for i, site in enumerate(sites):
            for threat in scenario.threats:
                if threat.shape.contains(site.position):
                    raise ScenarioError(
                        f"{name}[{i}]", f"{site.id!r} lies inside threat area {threat.id!r}"
                    )
