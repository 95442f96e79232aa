"""Random accepted histories and the vital-signs grid give one answer in Python and on the web.

The cases are answered by the Python domain (tests/rules_cases.py), written to a temporary
file and answered again by the web's TypeScript (web/src/card.ts, triage.ts, medevac.ts,
remote.ts) through vitest (web/tests/rules-parity.test.ts); every answer must be equal.
Locally the seed changes each run, to search further; under CI it is the seed of the day, so
every run of one day (a submission and its re-runs) judges the same cases. Set
GOLDENHOUR_RULES_SEED to replay one; a failure names it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rules_cases import grid_cases, memoised_mgrs, random_cases

WEB = Path(__file__).resolve().parents[2] / "web"
RANDOM_HISTORIES = int(os.environ.get("GOLDENHOUR_RULES_HISTORIES", "2000"))


def web_answers(cases: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    """Answer cases with the web's code, through vitest."""
    npx = shutil.which("npx")
    assert npx is not None, "npx is needed: ./scripts/bootstrap installs Node.js"
    assert (WEB / "node_modules").is_dir(), "web/node_modules is missing: run ./scripts/bootstrap"
    cases_file, answers_file = tmp_path / "cases.json", tmp_path / "answers.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    environment = os.environ | {
        "GOLDENHOUR_RULES_CASES": str(cases_file),
        "GOLDENHOUR_RULES_ANSWERS": str(answers_file),
    }
    run = subprocess.run(
        [npx, "vitest", "run", "tests/rules-parity.test.ts"],
        cwd=WEB,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    answers: list[dict[str, Any]] = json.loads(answers_file.read_text(encoding="utf-8"))
    return answers


def disagreements(cases: list[dict[str, Any]], answers: list[dict[str, Any]]) -> list[str]:
    """Return one line per part of a case where the web's answer differs from Python's."""
    found = []
    for case, web in zip(cases, answers, strict=True):
        expected = case["expected"]
        parts = {"nine_line": (expected["nine_line"], web["device"]["nine_line"])}
        for index, (want, got) in enumerate(
            zip(expected["casualties"], web["device"]["casualties"], strict=True)
        ):
            for key in want:
                parts[f"{key}[{index}]"] = (want[key], got.get(key))
            if web["server"] is not None:
                served = web["server"]["casualties"][index]
                for key in ("triage", "clocks", "mist"):
                    parts[f"server {key}[{index}]"] = (want[key], served[key])
        if web["server"] is not None:
            parts["server nine_line"] = (expected["nine_line"], web["server"]["nine_line"])
        found.extend(
            f"{case['name']}: {part}: python {want!r} web {got!r}"
            for part, (want, got) in parts.items()
            if want != got
        )
    return found


@pytest.mark.slow
def test_random_histories_and_the_vital_signs_grid_agree_in_both_languages(
    tmp_path: Path,
) -> None:
    """Zero disagreements over random accepted histories and every vital-signs combination."""
    seed = int(os.environ.get("GOLDENHOUR_RULES_SEED", _default_seed()))
    with memoised_mgrs():
        cases = [
            *random_cases(seed, RANDOM_HISTORIES),
            *random_cases(seed, RANDOM_HISTORIES // 4, prefix="fields", fields=True),
            *grid_cases(seed),
        ]
    found = disagreements(cases, web_answers(cases, tmp_path))
    assert not found, f"seed {seed}: {len(found)} disagreements, first:\n" + "\n".join(found[:20])


def _default_seed() -> int:
    if os.environ.get("CI"):
        return int(datetime.now(UTC).strftime("%Y%m%d"))
    return random.SystemRandom().randrange(2**32)
