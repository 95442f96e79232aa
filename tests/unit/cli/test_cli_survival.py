"""``goldenhour survival fit``, and ``plan`` and ``bench run`` with the fitted model file."""

from __future__ import annotations

import json
import random
from pathlib import Path

from goldenhour.domain.survival.models import DELAYED, IMMEDIATE
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.survival_fit import simulate_observations
from survival_cases import wire_events

from cli_runner import goldenhour

STATE = """
name: live
horizon_min: 480
casualties:
  - {id: casevac-7, at_min: 0, injured_at_min: -20, lat: 48.92, lon: 38.23, class: immediate}
facilities:
  - {id: role2, lat: 48.85, lon: 38.10, capabilities: [surgery, blood]}
vehicles:
  - {id: V2, kind: ambulance, base: role2, speed_kmh: 60, litter: 1, seated: 0}
"""


def _events_file(tmp_path: Path) -> Path:
    rng = random.Random(11)
    drawn = [
        *simulate_observations(IMMEDIATE, category=StartCategory.IMMEDIATE, count=300, rng=rng,
                               follow_up_min=240.0),
        *simulate_observations(DELAYED, category=StartCategory.DELAYED, count=200, rng=rng,
                               follow_up_min=720.0),
    ]  # fmt: skip
    path = tmp_path / "events.json"
    path.write_text(json.dumps(wire_events(drawn)), encoding="utf-8")
    return path


def _fit(tmp_path: Path) -> Path:
    out = tmp_path / "model.json"
    done = goldenhour("survival", "fit", "--events", str(_events_file(tmp_path)), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_fit_prints_each_class_with_intervals_and_counts_and_writes_the_file(
    tmp_path: Path,
) -> None:
    out = tmp_path / "model.json"
    done = goldenhour("survival", "fit", "--events", str(_events_file(tmp_path)), "--out",
                      str(out), "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["casualties"] == 500 and printed["unclassified"] == 0
    immediate = printed["classes"]["immediate"]
    assert immediate["casualties"] == 300
    assert immediate["deaths"] + immediate["censored"] == 300
    low, high = immediate["ci95"]["b1"]
    assert low < immediate["b1"] < high
    assert json.loads(out.read_text(encoding="utf-8"))["classes"] == printed["classes"]


def test_fit_table_names_the_classes_and_the_parameters(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    done = goldenhour("survival", "fit", "--events", str(_events_file(tmp_path)), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "immediate" in done.stdout and "delayed" in done.stdout
    assert "b1 min (95% CI)" in done.stdout
    assert out.exists()


def test_plan_uses_the_fitted_model(tmp_path: Path) -> None:
    state = tmp_path / "state.yaml"
    state.write_text(STATE, encoding="utf-8")
    model = _fit(tmp_path)
    fitted = json.loads(model.read_text(encoding="utf-8"))["classes"]["immediate"]
    fitted.update(b0=0.9, b1=500.0)  # a gentler curve than the default, to see it used
    model.write_text(json.dumps({"format": "goldenhour-survival-models", "version": 1,
                                 "classes": {"immediate": fitted}}), encoding="utf-8")  # fmt: skip
    default = json.loads(goldenhour("plan", str(state), "--json").stdout)
    with_model = goldenhour("plan", str(state), "--json", "--survival-model", str(model))
    assert with_model.returncode == 0, with_model.stderr
    p_default = default["suggestions"][0]["explanation"]["p_now"]
    p_fitted = json.loads(with_model.stdout)["suggestions"][0]["explanation"]["p_now"]
    assert p_default < 0.35 < 0.85 < p_fitted


def test_bench_run_uses_the_fitted_model(tmp_path: Path) -> None:
    state = tmp_path / "state.yaml"
    state.write_text(STATE, encoding="utf-8")
    model = tmp_path / "model.json"
    model.write_text(json.dumps({"format": "goldenhour-survival-models", "version": 1,
                                 "classes": {"immediate": {"model": "log_logistic", "b0": 1.0,
                                                           "b1": 10000.0, "b2": 2.0}}}),
                     encoding="utf-8")  # fmt: skip
    args = ("bench", "run", str(state), "--policies", "fcfs", "--replications", "2", "--json")
    default = json.loads(goldenhour(*args).stdout)[0]
    fitted = goldenhour(*args, "--survival-model", str(model))
    assert fitted.returncode == 0, fitted.stderr
    assert default["expected_survivors"] < 0.35
    assert json.loads(fitted.stdout)[0]["expected_survivors"] > 0.99


def test_a_bad_model_file_is_refused_naming_the_field(tmp_path: Path) -> None:
    state = tmp_path / "state.yaml"
    state.write_text(STATE, encoding="utf-8")
    model = tmp_path / "model.json"
    model.write_text(json.dumps({"format": "goldenhour-survival-models", "version": 1,
                                 "classes": {"immediate": {"model": "log_logistic", "b0": 0.4,
                                                           "b1": 0, "b2": 2.0}}}),
                     encoding="utf-8")  # fmt: skip
    for args in (("plan", str(state)), ("bench", "run", str(state), "--replications", "1")):
        refused = goldenhour(*args, "--survival-model", str(model))
        assert refused.returncode == 2
        assert "model.json classes.immediate.b1" in refused.stderr
