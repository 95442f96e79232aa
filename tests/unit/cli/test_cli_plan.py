"""``goldenhour plan STATE``: suggestions with a gain and a reason, JSON for machines."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import goldenhour

STATE = """
name: live
horizon_min: 480
casualties:
  - {id: casevac-7, at_min: 0, injured_at_min: -100, lat: 48.92, lon: 38.23, class: delayed,
     needs: [surgery], tourniquet_at_min: -100}
  - {id: casevac-9, at_min: 0, injured_at_min: -10, lat: 48.93, lon: 38.25, class: delayed}
facilities:
  - {id: role2, lat: 48.85, lon: 38.10, capabilities: [surgery, blood]}
vehicles:
  - {id: V2, kind: ambulance, base: role2, speed_kmh: 60, litter: 1, seated: 0}
"""


def _state(tmp_path: Path) -> str:
    path = tmp_path / "state.yaml"
    path.write_text(STATE, encoding="utf-8")
    return str(path)


def test_plan_json_has_a_suggestion_with_gain_and_reason(tmp_path: Path) -> None:
    result = goldenhour("plan", _state(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    first = plan["suggestions"][0]
    assert first["vehicle_id"] == "V2"
    assert first["pickups"] == ["casevac-7"]
    assert first["destination"] == "role2"
    assert first["expected_gain"] > 0
    assert first["reason"].startswith("V2 to casevac-7 first: tourniquet on for 1 h 40 min")
    assert "if served after casevac-9" in first["reason"]
    assert first["depart_min"] <= first["pickup_min"] <= first["delivery_min"]
    why = first["explanation"]
    assert (why["casualty_id"], why["tourniquet_min"], why["after"]) == (
        "casevac-7",
        100.0,
        ["casevac-9"],
    )
    assert f"from {why['p_now']:.2f} to {why['p_later']:.2f}" in first["reason"]


def test_plan_prints_a_table_for_people(tmp_path: Path) -> None:
    result = goldenhour("plan", _state(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "casevac-7" in result.stdout and "reason" in result.stdout


def test_a_bad_state_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(STATE.replace("speed_kmh: 60", "speed_kmh: fast"), encoding="utf-8")
    result = goldenhour("plan", str(path))
    assert result.returncode == 2
    assert "speed_kmh" in result.stderr


QUIET_FRONT = """
name: quiet
horizon_min: 480
casualties:
  - {id: red, at_min: 0, injured_at_min: -190, lat: 48.95, lon: 38.30, class: immediate}
facilities:
  - {id: h-near, lat: 48.88, lon: 38.15, capabilities: [blood], teams: 1}
  - {id: h-surgical, lat: 48.74, lon: 37.58, capabilities: [surgery, blood], teams: 2}
vehicles:
  - {id: v1, kind: ambulance, base: h-near, speed_kmh: 60, litter: 2, seated: 2}
  - {id: v2, kind: ambulance, base: h-near, speed_kmh: 60, litter: 2, seated: 2}
  - {id: v3, kind: ambulance, base: h-near, speed_kmh: 60, litter: 2, seated: 2}
"""

FORECAST = """
generate:
  - {rate_per_hour: 0.9, area: {circle: {lat: 48.93, lon: 38.25, radius_km: 3}},
     from_min: 0, to_min: 480, class_mix: {immediate: 1.0}}
"""


def _suggested(tmp_path: Path, text: str) -> list[list[str]]:
    path = tmp_path / "quiet.yaml"
    path.write_text(text, encoding="utf-8")
    result = goldenhour("plan", str(path), "--json")
    assert result.returncode == 0, result.stderr
    return [s["pickups"] for s in json.loads(result.stdout)["suggestions"]]


def test_a_state_forecasting_more_wounded_keeps_vehicles_from_a_hopeless_run(
    tmp_path: Path,
) -> None:
    """A casualty injured over three hours ago has almost nothing left to gain: with no
    forecast the plan still sends a vehicle; with the file's generators forecasting more
    wounded on that front, the vehicles' time is worth more to them (as in the bench)."""
    assert _suggested(tmp_path, QUIET_FRONT) == [["red"]]
    assert _suggested(tmp_path, QUIET_FRONT + FORECAST) == []


def test_plan_says_whom_it_defers_and_why(tmp_path: Path) -> None:
    """Issue 18: casevac-9 waits for V2's next trip, and the plan says so."""
    result = goldenhour("plan", _state(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    [deferred] = json.loads(result.stdout)["deferred"]
    assert (deferred["casualty_id"], deferred["reason"], deferred["vehicle_id"]) == (
        "casevac-9",
        "later_trip",
        "V2",
    )
    assert deferred["text"].startswith("casevac-9 (delayed) waits: planned for V2's next trip")
    table = goldenhour("plan", _state(tmp_path), "--immediate-floor", "0.2")
    assert table.returncode == 0, table.stderr
    assert "deferred: casevac-9 (delayed) waits" in table.stdout


WALKER = """
name: front
horizon_min: 480
casualties:
  - {id: yellow, at_min: 0, injured_at_min: -30, lat: 48.92, lon: 38.23, class: delayed}
  - {id: walker, at_min: 0, injured_at_min: -300, lat: 48.92, lon: 38.23, class: minor}
facilities:
  - {id: h-near, lat: 48.88, lon: 38.15, capabilities: [blood], teams: 1}
vehicles:
  - {id: v1, kind: ambulance, base: h-near, speed_kmh: 60, litter: 2, seated: 2}
  - {id: v2, kind: ambulance, base: h-near, speed_kmh: 60, litter: 2, seated: 2}
generate:
  - {rate_per_hour: 1.8, area: {circle: {lat: 48.93, lon: 38.25, radius_km: 3}},
     from_min: 0, to_min: 480, class_mix: {delayed: 1.0}}
"""


def test_a_medical_director_sets_the_longest_wait_per_class(tmp_path: Path) -> None:
    """Issue 18: past their class's maximum wait (4 h by default), a minor casualty rides
    along with the delayed one the crew goes for; allowed 8 h, they are left for later."""
    path = tmp_path / "front.yaml"
    path.write_text(WALKER, encoding="utf-8")

    def collected(*options: str) -> list[set[str]]:
        result = goldenhour("plan", str(path), "--json", *options)
        assert result.returncode == 0, result.stderr
        return [set(s["pickups"]) for s in json.loads(result.stdout)["suggestions"]]

    assert collected() == [{"yellow", "walker"}]
    assert collected("--max-wait", "minor=480") == [{"yellow"}]
    bad = goldenhour("plan", str(path), "--max-wait", "walking=60")
    assert bad.returncode == 2
    assert "--max-wait" in bad.stderr and "walking=60" in bad.stderr


def test_plan_takes_a_deadline(tmp_path: Path) -> None:
    """Issue 18, item 4: the CLI's re-plan keeps a wall-clock budget as the server's does; with
    too little for the model, START's dispatch answers, and still says whom it defers."""
    result = goldenhour("plan", _state(tmp_path), "--json", "--deadline-ms", "0.001")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["method"] == "fallback (deadline)"
    assert plan["suggestions"][0]["vehicle_id"] == "V2"
    assert [d["casualty_id"] for d in plan["deferred"]] == ["casevac-9"]
    bad = goldenhour("plan", _state(tmp_path), "--deadline-ms", "0")
    assert bad.returncode == 2 and "--deadline-ms" in bad.stderr
