"""The plan's words (issue 17 item 3), as ``GET /api/v1/plan`` serves them on the demo world: the
casualties named by the screens' short id (a call sign, else "#DEC8"), never an internal id; a
trip that gains nothing worded so ("nothing to gain", never "p falls from 1.00 to 1.00") and
never listed before one that gains; each casualty or vehicle left out with a code a client words
in its own language (web/src/plan.ts LEFT_OUT_CODES, worded in both dictionaries)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args
from uuid import UUID

from fastapi.testclient import TestClient
from test_plan_endpoint import DEMO_VEHICLES, Login, make, plan, post

from goldenhour.api.routes.plan import LeftOutCode
from goldenhour.domain.operations.events import VehicleStatusChanged
from goldenhour.domain.operations.vocabulary import VehicleStatus
from goldenhour.planning.live_situation import LEFT_OUT_CODES
from goldenhour.planning.plan import _probability

ROOT = Path(__file__).resolve().parents[3]
#: An internal id, or its first block, as reasons used to name casualties ("casualty dec82c58").
INTERNAL_ID = re.compile(r"\b[0-9a-f]{8}\b")
SHORT_ID = re.compile(r"^#[0-9A-F]{4}$")


def gains_nothing(trip: dict[str, Any]) -> bool:
    facts = trip["explanation"]
    return _probability(facts["p_now"]) == _probability(facts["p_later"])


def test_a_trip_that_gains_nothing_says_so_and_comes_after_those_that_gain(
    client: TestClient, login: Login
) -> None:
    body = plan(client, login("coordinator"))
    flags = [gains_nothing(trip) for trip in body["suggestions"]]
    # The demo's walking wounded gains nothing from a trip now (p 1.00 either way).
    assert True in flags and False in flags
    assert flags == sorted(flags), "no trip that gains nothing comes before one that gains"
    for trip in body["suggestions"]:
        chances = re.search(r"p falls from (\S+) to (\S+) ", trip["reason"])
        assert chances is None or chances[1] != chances[2], trip["reason"]
        if gains_nothing(trip):
            assert "nothing to gain by going now" in trip["reason"]
            assert "falls from" not in trip["reason"]


def test_reasons_name_casualties_as_the_screens_do(client: TestClient, login: Login) -> None:
    body = plan(client, login("coordinator"))
    texts = [trip["reason"] for trip in body["suggestions"]]
    texts += [d["text"] for d in body["deferred"]]
    assert texts
    for text in texts:
        assert INTERNAL_ID.search(text) is None, text
    labels = [c["label"] for trip in body["suggestions"] for c in trip["casualties"]]
    labels += [d["casualty"]["label"] for d in body["deferred"]]
    for label in labels:
        assert SHORT_ID.match(label) or not INTERNAL_ID.search(label), label


def test_what_is_left_out_carries_a_code_worded_in_both_languages(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    [vehicle] = [v for v, name in DEMO_VEHICLES.items() if name == "KALYNA 22"]
    post(client, headers, make(VehicleStatusChanged, vehicle_id=UUID(vehicle),
                               status=VehicleStatus.UNAVAILABLE))  # fmt: skip
    left = plan(client, headers)["left_out"]
    assert {
        "kind": "vehicle",
        "id": vehicle,
        "reason": "unavailable",
        "code": "unavailable",
    } in left
    # Every code the server gives is one the web app words, in English and in Ukrainian.
    codes = set(LEFT_OUT_CODES.values())
    assert codes | {"other"} == set(get_args(LeftOutCode))
    listed = (ROOT / "web" / "src" / "plan.ts").read_text(encoding="utf-8")
    dictionaries = [(ROOT / "web" / "src" / "i18n" / f"{lang}.ts").read_text(encoding="utf-8")
                    for lang in ("en", "uk")]  # fmt: skip
    for code in codes:
        assert f'"{code}"' in listed
        for dictionary in dictionaries:
            assert f'"plan_left.{code}":' in dictionary
