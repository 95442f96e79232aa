"""The fitted survival model file: written by ``goldenhour survival fit``, read by the planner.

Example::

    models = load_survival_models("model.json")
    scenario = with_survival_models(load_scenario("scenarios/bilohorivka.yaml"), models)

The file is JSON (docs/survival-models.md, "Fitting from the record")::

    {"format": "goldenhour-survival-models", "version": 1,
     "classes": {"immediate": {"model": "log_logistic", "b0": 0.35, "b1": 36.0, "b2": 2.0,
                               "ci95": {...}, "casualties": 812, "deaths": 540, "censored": 272}},
     "unfitted": {"minor": {"casualties": 95, "deaths": 0, "reason": "..."}}}

A class the file does not hold keeps the scenario's model. Raises ``ScenarioError`` naming the
file and the field (``classes.immediate.b1``) for anything else.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.survival.models import LogLogistic, SurvivalModel
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning import scenario_fields as f
from goldenhour.planning.errors import ScenarioError
from goldenhour.planning.scenario import Scenario
from goldenhour.planning.survival_fit import SurvivalFit

FORMAT = "goldenhour-survival-models"
VERSION = 1
_CLASS_KEYS = ("ci95", "casualties", "deaths", "censored", "log_likelihood")


def model_document(fit: SurvivalFit) -> dict[str, Any]:
    """Return the fit as the model file's JSON document."""
    classes = {
        c.category.value: {
            "model": "log_logistic", "b0": c.model.b0, "b1": c.model.b1, "b2": c.model.b2,
            "ci95": {"b0": [c.b0.low, c.b0.high], "b1": [c.b1.low, c.b1.high],
                     "b2": [c.b2.low, c.b2.high]},
            "casualties": c.casualties, "deaths": c.deaths, "censored": c.censored,
            "log_likelihood": c.log_likelihood,
        }
        for c in fit.fitted
    }  # fmt: skip
    unfitted = {
        u.category.value: {"casualties": u.casualties, "deaths": u.deaths, "reason": u.reason}
        for u in fit.unfitted
    }
    return {"format": FORMAT, "version": VERSION, "classes": classes, "unfitted": unfitted}


def load_survival_models(path: str | Path) -> dict[StartCategory, LogLogistic]:
    """Read a model file; raise ``ScenarioError`` naming the file and the field refused."""
    source = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ScenarioError("", f"cannot read the file: {error.strerror or error}",
                            source=source) from error  # fmt: skip
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ScenarioError("", f"not JSON: {error}", source=source) from error
    try:
        return parse_survival_models(data)
    except ScenarioError as error:
        raise error.in_file(source) from error


def parse_survival_models(data: object) -> dict[StartCategory, LogLogistic]:
    """Return the models a parsed model file holds, per class; refuse a bad field by name."""
    top = f.mapping(data, "", required=("format", "version", "classes"), optional=("unfitted",))
    if top["format"] != FORMAT:
        raise ScenarioError("format", f"{top['format']!r} is not {FORMAT!r}")
    if top["version"] != VERSION:
        raise ScenarioError("version", f"{top['version']!r} is not a version this reads (1)")
    given = f.keyed(top["classes"], "classes", StartCategory, exclude=(StartCategory.DEAD,))
    models: dict[StartCategory, LogLogistic] = {}
    for category, spec in given.items():
        path = f.join("classes", category.value)
        body = f.mapping(spec, path, required=("model", "b0", "b1", "b2"), optional=_CLASS_KEYS)
        if body["model"] != "log_logistic":
            raise ScenarioError(f.join(path, "model"), f"{body['model']!r} is not log_logistic")
        b0 = f.probability(body["b0"], f.join(path, "b0"))
        b1 = f.number(body["b1"], f.join(path, "b1"), above=0)
        b2 = f.number(body["b2"], f.join(path, "b2"), above=0)
        try:
            models[category] = LogLogistic(b0=b0, b1=b1, b2=b2, label=f"fitted_{category.value}")
        except ValidationError as error:
            raise ScenarioError(f.join(path, error.field), error.reason) from error
    return models


def with_survival_models(
    scenario: Scenario, models: Mapping[StartCategory, SurvivalModel]
) -> Scenario:
    """Return the scenario with these class models; a casualty given its own model keeps it."""
    survival = {**scenario.survival, **models}
    casualties = tuple(
        dataclasses.replace(c, survival=survival[c.category])
        if c.survival is scenario.survival.get(c.category)
        else c
        for c in scenario.casualties
    )
    return dataclasses.replace(scenario, survival=survival, casualties=casualties)
