"""Read a scenario from YAML, refusing every unknown key and bad value with its key path.

Example::

    scenario = load_scenario("scenarios/bilohorivka.yaml")

Raises ``ScenarioError`` (exit code 2 in the CLI) naming the file, the key path
(``vehicles[2].speed_kmh``) and the reason. The format is described in docs/scenarios.md.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.operations.vocabulary import Capability, ThreatKind
from goldenhour.domain.survival.models import (
    DELAYED,
    IMMEDIATE,
    MINOR,
    Constant,
    LogLogistic,
    SurvivalModel,
)
from goldenhour.domain.survival.sacco import SaccoRpm
from goldenhour.domain.triage.categories import Precedence, StartCategory
from goldenhour.planning import scenario_fields as f
from goldenhour.planning.errors import ScenarioError
from goldenhour.planning.scenario import (
    NOT_PLANNED_CAPABILITIES,
    NOT_SCENARIO_THREAT_KINDS,
    Casualty,
    CasualtyGenerator,
    Facility,
    Randomness,
    Scenario,
    Site,
    ThreatArea,
    TimeWindow,
    Travel,
    Vehicle,
    VehicleKind,
    default_precedence,
)
from goldenhour.planning.scenario_checks import check_scenario

_TOP_REQUIRED = ("name", "horizon_min", "vehicles", "facilities")
_TOP_OPTIONAL = (
    "version", "description", "start_time", "travel", "survival", "casualties", "generate",
    "exchange_points", "bases", "threats", "randomness",
)  # fmt: skip
_NOT_A_CLASS = (StartCategory.DEAD,)
_NAMED_MODELS: dict[str, SurvivalModel] = {m.name: m for m in (IMMEDIATE, DELAYED, MINOR)}


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file; raise ``ScenarioError`` naming the file and key path."""
    source = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        reason = f"cannot read the file: {error.strerror or error}"
        raise ScenarioError("", reason, source=source) from error
    except UnicodeDecodeError as error:
        raise ScenarioError("", f"not UTF-8 text ({error.reason})", source=source) from error
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ScenarioError("", f"not valid YAML{where}", source=source) from error
    try:
        return parse_scenario(data, base_dir=Path(path).parent)
    except ScenarioError as error:
        raise error.in_file(source) from error


def parse_scenario(data: object, *, base_dir: Path | None = None) -> Scenario:
    """Build a scenario from parsed YAML; raise ``ScenarioError`` naming the key path."""
    top = f.mapping(data, "", required=_TOP_REQUIRED, optional=_TOP_OPTIONAL)
    if "version" in top and top["version"] != 1:
        raise ScenarioError("version", f"{top['version']!r} is not a version this reads (1)")
    horizon = f.number(top["horizon_min"], "horizon_min", above=0)
    survival = _survival(top.get("survival", {}), "survival")
    scenario = Scenario(
        name=f.text(top["name"], "name"),
        description=f.text(top["description"], "description") if "description" in top else "",
        start_time=_start_time(top.get("start_time")),
        horizon_min=horizon,
        travel=_travel(top.get("travel", {}), "travel", base_dir),
        survival=survival,
        casualties=tuple(
            _casualty(c, f.join("casualties", i), survival)
            for i, c in enumerate(f.items(top.get("casualties", []), "casualties"))
        ),
        generators=tuple(
            _generator(g, f.join("generate", i), index=i)
            for i, g in enumerate(f.items(top.get("generate", []), "generate"))
        ),
        facilities=tuple(
            _facility(x, f.join("facilities", i))
            for i, x in enumerate(f.items(top["facilities"], "facilities", allow_empty=False))
        ),
        exchange_points=_sites(top.get("exchange_points", []), "exchange_points"),
        bases=_sites(top.get("bases", []), "bases"),
        threats=tuple(
            _threat(t, f.join("threats", i))
            for i, t in enumerate(f.items(top.get("threats", []), "threats"))
        ),
        vehicles=(),
        randomness=_randomness(top.get("randomness", {}), "randomness"),
    )
    vehicles = f.items(top["vehicles"], "vehicles", allow_empty=False)
    scenario = _with_vehicles(scenario, vehicles)
    check_scenario(scenario)
    return scenario


def _start_time(value: object) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):  # YAML reads an unquoted timestamp as a datetime
        return str(value.isoformat())
    return f.text(value, "start_time")


def _survival(value: object, path: str) -> dict[StartCategory, SurvivalModel]:
    given = f.keyed(value, path, StartCategory, exclude=_NOT_A_CLASS)
    models: dict[StartCategory, SurvivalModel] = {
        StartCategory.IMMEDIATE: IMMEDIATE,
        StartCategory.DELAYED: DELAYED,
        StartCategory.MINOR: MINOR,
    }
    for category, spec in given.items():
        models[category] = survival_model(spec, f.join(path, category.value))
    return models


def survival_model(spec: object, path: str) -> SurvivalModel:
    """Return the survival model a scenario names: a preset name or ``{model: .., ..}``."""
    if isinstance(spec, str):
        spec = {"model": spec}
    body = f.mapping(spec, path, required=("model",), optional=("b0", "b1", "b2", "p", "rpm"))
    name = body["model"]
    allowed = {**dict.fromkeys(_NAMED_MODELS, ()), "log_logistic": ("b0", "b1", "b2"),
               "constant": ("p",), "sacco_rpm": ("rpm",)}  # fmt: skip
    if name not in allowed:
        raise ScenarioError(f.join(path, "model"), f"{name!r} is not one of: {', '.join(allowed)}")
    f.mapping(body, path, required=("model", *allowed[name]))
    try:
        if name in _NAMED_MODELS:
            return _NAMED_MODELS[name]
        if name == "log_logistic":
            b = {k: f.number(body[k], f.join(path, k)) for k in ("b0", "b1", "b2")}
            return LogLogistic(b0=b["b0"], b1=b["b1"], b2=b["b2"])
        if name == "constant":
            return Constant(p=f.probability(body["p"], f.join(path, "p")))
        return SaccoRpm(rpm=f.whole(body["rpm"], f.join(path, "rpm")))
    except ValidationError as error:
        if isinstance(error, ScenarioError):
            raise
        raise ScenarioError(f.join(path, error.field), error.reason) from error


def _travel(value: object, path: str, base_dir: Path | None) -> Travel:
    body = f.mapping(value, path, optional=("model", "detour_factor", "matrix_file"))
    model = body.get("model", "straight_line")
    if model not in ("straight_line", "matrix"):
        raise ScenarioError(f.join(path, "model"), f"{model!r} is not straight_line or matrix")
    detour = f.number(body.get("detour_factor", 1.3), f.join(path, "detour_factor"), minimum=1)
    if model == "straight_line":
        if "matrix_file" in body:
            raise ScenarioError(f.join(path, "matrix_file"), "only for model: matrix")
        return Travel(detour_factor=detour)
    if "matrix_file" not in body:
        raise ScenarioError(f.join(path, "matrix_file"), "is required for model: matrix")
    where = f.join(path, "matrix_file")
    name = f.text(body["matrix_file"], where)
    return Travel(detour_factor=detour, matrix=_matrix((base_dir or Path()) / name, where))


def _matrix(file: Path, path: str) -> dict[tuple[str, str], float]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ScenarioError(path, f"cannot read {file}: {error.strerror or error}") from error
    rows = list(csv.DictReader(lines))
    if not rows or set(rows[0]) != {"from", "to", "minutes"}:
        raise ScenarioError(path, "needs a CSV header from,to,minutes and at least one row")
    matrix: dict[tuple[str, str], float] = {}
    for line, row in enumerate(rows, start=2):
        try:
            minutes = float(row["minutes"])
        except ValueError:
            raise ScenarioError(path, f"line {line}: {row['minutes']!r} is not minutes") from None
        if not minutes >= 0:
            raise ScenarioError(path, f"line {line}: minutes must be 0 or more")
        matrix[(row["from"], row["to"])] = minutes
        matrix.setdefault((row["to"], row["from"]), minutes)
    return matrix


def _casualty(
    value: object, path: str, survival: Mapping[StartCategory, SurvivalModel]
) -> Casualty:
    body = f.mapping(
        value, path, required=("id", "at_min", "lat", "lon", "class"),
        optional=("injured_at_min", "litter", "needs", "precedence", "tourniquet_at_min",
                  "survival"),
    )  # fmt: skip
    category = f.member(body["class"], f.join(path, "class"), StartCategory, exclude=_NOT_A_CLASS)
    at_min = f.number(body["at_min"], f.join(path, "at_min"), minimum=0)
    injured = f.number(body.get("injured_at_min", at_min), f.join(path, "injured_at_min"))
    if injured > at_min:
        raise ScenarioError(f.join(path, "injured_at_min"), "is after the casualty was reported")
    needs = f.members(
        body.get("needs", []), f.join(path, "needs"), Capability, exclude=NOT_PLANNED_CAPABILITIES
    )
    tq = body.get("tourniquet_at_min")
    return Casualty(
        id=f.text(body["id"], f.join(path, "id")),
        at_min=at_min,
        injured_at_min=injured,
        position=f.position(body, path),
        category=category,
        litter=f.flag(
            body.get("litter", category is not StartCategory.MINOR), f.join(path, "litter")
        ),
        needs=needs,
        precedence=(
            f.member(body["precedence"], f.join(path, "precedence"), Precedence)
            if "precedence" in body
            else default_precedence(category, needs)
        ),
        survival=(
            survival_model(body["survival"], f.join(path, "survival"))
            if "survival" in body
            else survival[category]
        ),
        tourniquet_at_min=None if tq is None else f.number(tq, f.join(path, "tourniquet_at_min")),
    )


def _generator(value: object, path: str, *, index: int) -> CasualtyGenerator:
    body = f.mapping(
        value, path, required=("area", "class_mix"),
        optional=("rate_per_hour", "from_min", "to_min", "count", "at_min", "id_prefix",
                  "litter_share", "needs", "tourniquet_share"),
    )  # fmt: skip
    area = f.join(path, "area")
    mix = _shares(body["class_mix"], f.join(path, "class_mix"))
    if abs(sum(mix.values()) - 1.0) > 1e-6:
        raise ScenarioError(
            f.join(path, "class_mix"), f"shares add up to {sum(mix.values()):g}, not 1"
        )
    count, rate, window = _generated_when(body, path)
    return CasualtyGenerator(
        id_prefix=f.text(body.get("id_prefix", f"g{index + 1}-"), f.join(path, "id_prefix")),
        rate_per_hour=rate,
        area=f.shape(f.mapping(body["area"], area, optional=("circle", "polygon")), area),
        window=window,
        class_mix=mix,
        litter_share=_shares(body.get("litter_share", {}), f.join(path, "litter_share")),
        needs=_needs(body.get("needs", {}), f.join(path, "needs")),
        tourniquet_share=_shares(
            body.get("tourniquet_share", {}), f.join(path, "tourniquet_share")
        ),
        count=count,
    )


_POISSON_KEYS = ("rate_per_hour", "from_min", "to_min")


def _generated_when(body: Mapping[str, Any], path: str) -> tuple[int | None, float, TimeWindow]:
    """Return (count, rate per hour, window): a Poisson process (``rate_per_hour``,
    ``from_min``, ``to_min``) or an incident (``count`` casualties at ``at_min``, default 0)."""
    if "count" not in body:
        for key in _POISSON_KEYS:
            if key not in body:
                raise ScenarioError(f.join(path, key), "is required (or give count)")
        if "at_min" in body:
            raise ScenarioError(f.join(path, "at_min"), "goes with count, not rate_per_hour")
        rate = f.number(body["rate_per_hour"], f.join(path, "rate_per_hour"), minimum=0)
        return None, rate, f.window(body, path)
    for key in _POISSON_KEYS:
        if key in body:
            raise ScenarioError(f.join(path, key), "goes with rate_per_hour, not count")
    count = f.whole(body["count"], f.join(path, "count"), minimum=1)
    at = f.number(body.get("at_min", 0.0), f.join(path, "at_min"), minimum=0)
    return count, 0.0, TimeWindow(from_min=at, to_min=at)


def _needs(value: object, path: str) -> dict[StartCategory, dict[Capability, float]]:
    found: dict[StartCategory, dict[Capability, float]] = {}
    for category, spec in f.keyed(value, path, StartCategory, exclude=_NOT_A_CLASS).items():
        where = f.join(path, category.value)
        shares = f.keyed(spec, where, Capability, exclude=NOT_PLANNED_CAPABILITIES)
        found[category] = {n: f.probability(v, f.join(where, n.value)) for n, v in shares.items()}
    return found


def _shares(value: object, path: str) -> dict[StartCategory, float]:
    given = f.keyed(value, path, StartCategory, exclude=_NOT_A_CLASS)
    return {c: f.probability(v, f.join(path, c.value)) for c, v in given.items()}


def _facility(value: object, path: str) -> Facility:
    body = f.mapping(value, path, required=("id", "lat", "lon", "capabilities"),
                     optional=("teams", "service_min"))  # fmt: skip
    service_path = f.join(path, "service_min")
    service = f.keyed(
        body.get("service_min", {}), service_path, StartCategory, exclude=_NOT_A_CLASS
    )
    return Facility(
        id=f.text(body["id"], f.join(path, "id")),
        position=f.position(body, path),
        capabilities=f.members(
            body["capabilities"],
            f.join(path, "capabilities"),
            Capability,
            exclude=NOT_PLANNED_CAPABILITIES,
        ),
        teams=f.whole(body.get("teams", 0), f.join(path, "teams")),
        service_min={
            c: f.number(v, f.join(service_path, c.value), minimum=0) for c, v in service.items()
        },
    )


def _sites(value: object, path: str) -> tuple[Site, ...]:
    found = []
    for i, item in enumerate(f.items(value, path)):
        where = f.join(path, i)
        body = f.mapping(item, where, required=("id", "lat", "lon"))
        found.append(
            Site(id=f.text(body["id"], f.join(where, "id")), position=f.position(body, where))
        )
    return tuple(found)


def _threat(value: object, path: str) -> ThreatArea:
    body = f.mapping(
        value, path, required=("id", "kind", "from_min", "to_min"),
        optional=("circle", "polygon", "announced_at_min", "stops", "risk"),
    )  # fmt: skip
    window = f.window(body, path)
    announced = f.number(body.get("announced_at_min", 0.0), f.join(path, "announced_at_min"))
    if announced > window.from_min:
        raise ScenarioError(f.join(path, "announced_at_min"), "is after the window opens")
    stops = (
        f.members(body["stops"], f.join(path, "stops"), VehicleKind)
        if "stops" in body
        else frozenset(VehicleKind)
    )
    risk = f.probability(body.get("risk", 0.0), f.join(path, "risk"))
    if not stops and risk == 0:
        raise ScenarioError(f.join(path, "stops"), "stops no vehicle and has no risk: no effect")
    return ThreatArea(
        id=f.text(body["id"], f.join(path, "id")),
        kind=f.member(
            body["kind"], f.join(path, "kind"), ThreatKind, exclude=NOT_SCENARIO_THREAT_KINDS
        ),
        shape=f.shape(body, path),
        window=window,
        announced_at_min=announced,
        stops=stops,
        risk=risk,
    )


def _randomness(value: object, path: str) -> Randomness:
    body = f.mapping(value, path, optional=("travel_cv", "service_cv"))
    return Randomness(
        travel_cv=f.number(
            body.get("travel_cv", 0.0), f.join(path, "travel_cv"), minimum=0, maximum=1
        ),
        service_cv=f.number(
            body.get("service_cv", 0.0), f.join(path, "service_cv"), minimum=0, maximum=1
        ),
    )


def _handover_points(value: object, path: str) -> tuple[str, ...]:
    """Return the exchange points a vehicle hands over at: one id, or a list of them."""
    if not isinstance(value, list):
        return (f.text(value, path),)
    points = tuple(
        f.text(v, f.join(path, i)) for i, v in enumerate(f.items(value, path, allow_empty=False))
    )
    for i, point in enumerate(points):
        if point in points[:i]:
            raise ScenarioError(f.join(path, i), f"{point!r} is listed twice")
    return points


def _with_vehicles(scenario: Scenario, values: list[Any]) -> Scenario:
    vehicles = tuple(_vehicle(v, f.join("vehicles", i), scenario) for i, v in enumerate(values))
    return replace(scenario, vehicles=vehicles)


def _vehicle(value: object, path: str, scenario: Scenario) -> Vehicle:
    body = f.mapping(
        value, path, required=("id", "kind", "base", "speed_kmh", "litter", "seated"),
        optional=("load_min", "unload_min", "available_from_min", "grounded", "hands_over_at",
                  "exchange_pickups_only", "position"),
    )  # fmt: skip
    base = f.text(body["base"], f.join(path, "base"))
    try:
        home = scenario.site_position(base)
    except KeyError:
        raise ScenarioError(
            f.join(path, "base"), f"no facility, exchange point or base {base!r}"
        ) from None
    grounded_path = f.join(path, "grounded")
    grounded = []
    for i, item in enumerate(f.items(body.get("grounded", []), grounded_path)):
        where = f.join(grounded_path, i)
        grounded.append(f.window(f.mapping(item, where, required=("from_min", "to_min")), where))
    litter = f.whole(body["litter"], f.join(path, "litter"))
    seated = f.whole(body["seated"], f.join(path, "seated"))
    if litter + seated == 0:
        raise ScenarioError(f.join(path, "seated"), "a vehicle needs at least one place")
    given = body.get("hands_over_at")
    points = (
        _handover_points(given, f.join(path, "hands_over_at")) if "hands_over_at" in body else ()
    )
    return Vehicle(
        id=f.text(body["id"], f.join(path, "id")),
        kind=f.member(body["kind"], f.join(path, "kind"), VehicleKind),
        base=base,
        position=f.point(body["position"], f.join(path, "position"))
        if "position" in body
        else home,
        speed_kmh=f.number(body["speed_kmh"], f.join(path, "speed_kmh"), above=0),
        litter=litter,
        seated=seated,
        load_min=f.number(body.get("load_min", 2.0), f.join(path, "load_min"), minimum=0),
        unload_min=f.number(body.get("unload_min", 2.0), f.join(path, "unload_min"), minimum=0),
        available_from_min=f.number(
            body.get("available_from_min", 0.0), f.join(path, "available_from_min"), minimum=0
        ),
        grounded=tuple(grounded),
        hands_over_at=points[0] if points else None,
        handover_points=points if isinstance(given, list) else (),
        exchange_pickups_only=f.flag(
            body.get("exchange_pickups_only", False), f.join(path, "exchange_pickups_only")
        ),
    )
