"""The golden rule cases the web's tests read are the Python domain's current answers."""

from __future__ import annotations

import functools
import json
from typing import Any

from rules_cases import GOLDEN_DIR, dump, golden_files

#: The domain's answers, made once for the tests of this module (a few seconds).
_current: Any = functools.cache(golden_files)

#: Each disagreement found between the web's port and the domain, as the named cases say it.
_NAMED = (
    "retracted correction keeps the tourniquet",
    "retracted retraction restores the tourniquet",
    "removal names a corrected application",
    "conversion names a twice corrected application",
    "removal at the application's instant, recorded first",
    "AVPU P with follows commands True",
    "AVPU U with follows commands True",
    "outcome killed_in_action with a tourniquet",
    "converted at 10 min, removed at 130 min",
    "request A seated",
    "dead, unknown, bleeding and walking",
    "line 4 with et_tube",
    "line 4 with cric",
    "line 8 with a status unknown",
    "MIST without an injury time",
    "MIST pairs the systolic with its own diastolic",
    "correction of a correction keeps the original voided",
)


def test_the_checked_in_golden_cases_are_what_the_domain_answers_now() -> None:
    """A rule changed without `python tests/rules_cases.py` leaves stale goldens: this fails."""
    for name, cases in _current().items():
        path = GOLDEN_DIR / name
        assert path.exists(), f"{path.name} is missing: run `uv run python tests/rules_cases.py`"
        assert path.read_text(encoding="utf-8") == dump(cases), (
            f"{path.name} is stale: run `uv run --frozen python tests/rules_cases.py`"
        )


def test_the_golden_cases_number_at_least_200_and_name_every_disagreement() -> None:
    """Named cases, a sample of the vital-signs grid and random histories: 200 or more."""
    names = [
        case["name"] for path in GOLDEN_DIR.glob("*.json") for case in json.loads(path.read_text())
    ]
    assert len(names) >= 200
    assert set(_NAMED) <= set(names)


def test_the_named_cases_hold_the_answers_the_domain_decided() -> None:
    """Spot checks of the decided answers, so a regenerated golden cannot quietly drift."""
    cases = {case["name"]: case["expected"] for case in _current()["named.json"]}
    retracted = cases["retracted correction keeps the tourniquet"]["casualties"][0]
    assert [c["alert"] for c in retracted["clocks"]] == ["critical"]
    assert retracted["triage"]["precedence"]["category"] == "B"
    avpu = cases["AVPU P with follows commands True"]["casualties"][0]["triage"]
    assert (avpu["start"]["category"], avpu["nato"]["category"]) == ("immediate", "T1")
    dead = cases["outcome killed_in_action with a tourniquet"]
    assert dead["casualties"][0]["triage"]["nato"]["category"] == "dead"
    assert dead["nine_line"] is None
    converted = cases["converted at 10 min, removed at 130 min"]["casualties"][0]["clocks"]
    assert [(c["elapsed"], c["alert"]) for c in converted] == [(600_000, "ok")]
    assert "LINE 3: A0 B1 C0 D2 E0" in cases["dead, unknown, bleeding and walking"]["nine_line"]
    assert "LINE 4: D" in cases["line 4 with et_tube"]["nine_line"]
    assert "LINE 8" not in cases["line 8 with a status unknown"]["nine_line"]
    assert "TIME:" not in cases["MIST without an injury time"]["casualties"][0]["mist"]
    pairs = cases["MIST pairs the systolic with its own diastolic"]["casualties"][0]["mist"]
    assert "BP 90/80" in pairs and pairs.count("BP 90/P") == 1
    twice = cases["correction of a correction keeps the original voided"]["casualties"][0]
    assert len(twice["card"]["vitals"]) == 1 and "CRT" not in twice["mist"]
