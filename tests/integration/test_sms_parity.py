"""The web's "Send by SMS" text is read by the server: Python decodes what the web encodes.

web/tests/sms.test.ts writes every one-casualty golden case of tests/goldens/rules (about 300
casualty histories: tourniquets on and off, vital signs, triage, the dead) as the SMS the medic's
phone would send; here the server's reader (adapters/radio/sms.py) decodes each one and must find
the same 9-line as the phone shows, and the same essentials and MIST as the Python domain makes
of the same card.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from goldenhour.adapters.printing.card_code import card_handover
from goldenhour.adapters.radio import decode_sms
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import decode_event
from goldenhour.domain.medevac.nine_line_text import parse_nine_line

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"


@pytest.fixture(scope="module")
def web_sms(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    """Return the SMS texts the web writes for the golden cases, by case name."""
    npx = shutil.which("npx")
    assert npx is not None, "npx is needed: ./scripts/bootstrap installs Node.js"
    assert (WEB / "node_modules").is_dir(), "web/node_modules is missing: run ./scripts/bootstrap"
    out = tmp_path_factory.mktemp("sms") / "sms.json"
    run = subprocess.run(
        [npx, "vitest", "run", "tests/sms.test.ts"],
        cwd=WEB, env=os.environ | {"GOLDENHOUR_SMS_OUT": str(out)},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    written: list[dict[str, str]] = json.loads(out.read_text(encoding="utf-8"))
    return written


def _cases() -> dict[str, dict[str, Any]]:
    cases: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "tests" / "goldens" / "rules").glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            cases[case["name"]] = case
    return cases


def test_python_decodes_the_sms_the_web_writes_to_the_same_request(
    web_sms: list[dict[str, str]],
) -> None:
    """Each SMS decodes to the phone's 9-line and to the Python card's MIST and essentials."""
    cases = _cases()
    decoded = 0
    for written in web_sms:
        if not written["nine_line"]:
            assert written["sms"] == "", written["name"]  # the dead: no request to send
            continue
        case = cases[written["name"]]
        message = decode_sms(written["sms"])
        assert message.request == parse_nine_line(written["nine_line"], check_totals=False), (
            written["name"]
        )
        (casualty,) = case["casualties"]
        events = [decode_event(raw) for raw in casualty["events"]]
        card = fold(
            UUID(casualty["casualty_id"]), [e for e in events if isinstance(e, CasualtyEvent)]
        )
        expected = card_handover(card, now=datetime.fromisoformat(case["now"]))
        (got,) = message.casualties
        assert (got.triage, got.tourniquets, got.vitals) == (
            expected.triage, expected.tourniquets, expected.vitals
        ), written["name"]  # fmt: skip
        want = expected.mist
        assert (got.mist.zap, got.mist.age, got.mist.time_of_injury) == (
            want.zap, want.age, want.time_of_injury
        ), written["name"]  # fmt: skip
        assert (got.mist.mechanism, got.mist.injuries) == (want.mechanism, want.injuries)
        decoded += 1
    assert decoded > 100
