"""The live situation reaches the planner on the domain's own vocabulary (issue 14, item 4).

What a facility treats and what makes an area dangerous are one set of words on the server and
in the planner: nothing the server records is lost or renamed on the way, and a scenario file
still takes only the words a plan uses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goldenhour.domain.operations.vocabulary import Capability, ThreatKind
from goldenhour.planning import scenario_fields as f
from goldenhour.planning.live_situation import LivePicture, live_situation
from goldenhour.planning.scenario import NOT_PLANNED_CAPABILITIES, NOT_SCENARIO_THREAT_KINDS

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_facilitys_capabilities_reach_the_planner_as_recorded() -> None:
    facility = {
        "id": "kram", "name": "Kramatorsk", "position": {"lat": 48.72, "lon": 37.55},
        "capabilities": ["surgery", "icu", "imaging"], "operating_tables_free": 2,
    }  # fmt: skip
    [view] = live_situation(LivePicture(facilities=[facility]), now=NOW).observation.facilities
    assert view.capabilities == {Capability.SURGERY, Capability.ICU, Capability.IMAGING}


@pytest.mark.parametrize("kind", list(ThreatKind))
def test_an_areas_kind_reaches_the_planner_as_recorded(kind: ThreatKind) -> None:
    area = {"id": "a1", "threat_kind": kind.value, "centre": {"lat": 48.8, "lon": 38.0},
            "radius_m": 500, "starts_at": (NOW - timedelta(minutes=5)).isoformat()}  # fmt: skip
    [threat] = live_situation(LivePicture(threats=[area]), now=NOW).observation.threats
    assert threat.kind is kind


def test_a_scenario_file_takes_only_the_words_a_plan_uses() -> None:
    with pytest.raises(f.ScenarioError, match="is not one of: surgery, blood, burns, "
                       "neurosurgery, paediatrics$"):  # fmt: skip
        f.members(["icu"], "facilities[0].capabilities", Capability,
                  exclude=NOT_PLANNED_CAPABILITIES)  # fmt: skip
    with pytest.raises(f.ScenarioError, match="shelling, cluster_munitions, direct_fire, drones$"):
        f.member("mines", "threats[0].kind", ThreatKind, exclude=NOT_SCENARIO_THREAT_KINDS)
