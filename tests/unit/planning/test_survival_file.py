"""The fitted model file: written, read back, refused by field, applied to a scenario."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from goldenhour.domain.survival.models import IMMEDIATE, MINOR, Constant
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.errors import ScenarioError
from goldenhour.planning.scenario_file import parse_scenario
from goldenhour.planning.survival_file import (
    load_survival_models,
    model_document,
    parse_survival_models,
    with_survival_models,
)
from goldenhour.planning.survival_fit import fit_classes, simulate_observations


def _document() -> dict[str, Any]:
    drawn = simulate_observations(IMMEDIATE, category=StartCategory.IMMEDIATE, count=300,
                                  rng=random.Random(2), follow_up_min=240.0)  # fmt: skip
    return model_document(fit_classes(drawn))


def test_the_file_reads_back_the_fitted_parameters(tmp_path: Path) -> None:
    document = _document()
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    models = load_survival_models(path)
    fitted = document["classes"]["immediate"]
    assert list(models) == [StartCategory.IMMEDIATE]
    model = models[StartCategory.IMMEDIATE]
    assert (model.b0, model.b1, model.b2) == (fitted["b0"], fitted["b1"], fitted["b2"])
    assert fitted["ci95"]["b1"][0] < fitted["b1"] < fitted["ci95"]["b1"][1]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["classes"]["immediate"].update(b1=-3.0), "classes.immediate.b1"),
        (lambda d: d["classes"]["immediate"].update(b0=1.5), "classes.immediate.b0"),
        (lambda d: d["classes"]["immediate"].pop("b2"), "classes.immediate.b2"),
        (lambda d: d["classes"]["immediate"].update(b2="steep"), "classes.immediate.b2"),
        (lambda d: d["classes"]["immediate"].update(model="weibull"), "classes.immediate.model"),
        (lambda d: d["classes"].update(urgent=d["classes"]["immediate"]), "classes.urgent"),
        (lambda d: d["classes"]["immediate"].update(shape=2), "classes.immediate.shape"),
        (lambda d: d.update(format="something else"), "format"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d.pop("classes"), "classes"),
    ],
)
def test_a_bad_model_file_is_refused_naming_the_field(change: Any, field: str) -> None:
    document = _document()
    change(document)
    with pytest.raises(ScenarioError) as refused:
        parse_survival_models(document)
    assert refused.value.path == field


def test_a_file_that_is_not_json_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ScenarioError, match="model.json: not JSON"):
        load_survival_models(path)


SCENARIO = {
    "name": "two waiting", "horizon_min": 240,
    "casualties": [
        {"id": "a", "at_min": 0, "lat": 48.92, "lon": 38.23, "class": "immediate"},
        {"id": "b", "at_min": 0, "lat": 48.92, "lon": 38.23, "class": "immediate",
         "survival": {"model": "constant", "p": 0.5}},
        {"id": "c", "at_min": 0, "lat": 48.92, "lon": 38.23, "class": "minor"},
    ],
    "facilities": [{"id": "role2", "lat": 48.85, "lon": 38.10, "capabilities": ["surgery"]}],
    "vehicles": [{"id": "V1", "kind": "ambulance", "base": "role2", "speed_kmh": 60,
                  "litter": 1, "seated": 0}],
}  # fmt: skip


def test_the_fitted_classes_replace_the_defaults_but_not_a_casualtys_own_model() -> None:
    models = parse_survival_models(_document())
    scenario = with_survival_models(parse_scenario(SCENARIO), models)
    fitted = models[StartCategory.IMMEDIATE]
    a, b, c = scenario.casualties
    assert scenario.survival[StartCategory.IMMEDIATE] is fitted
    assert a.survival is fitted
    assert b.survival == Constant(p=0.5)
    assert c.survival is MINOR
