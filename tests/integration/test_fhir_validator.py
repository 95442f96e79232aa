"""Exported bundles pass a real FHIR R4 validator: the npm ``fhir`` package (FHIR.js), offline.

tools/fhir-validator/validate.js validates a resource read from standard input against the R4
structure definitions the package ships, with unexpected properties as errors. Value-set
warnings (SNOMED CT and LOINC are not loaded offline) are not failures; errors are.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings

from goldenhour.adapters.fhir import export_bundle
from goldenhour.domain.casualty.events import CasualtyEvent

from fhir_cases import CASUALTY, demo_histories, errors, full_history, validate
from strategies import histories


def test_the_validator_catches_a_broken_bundle() -> None:
    """The oracle is awake: a missing status and an unknown element are errors."""
    bundle = export_bundle(full_history(), casualty_id=CASUALTY)
    observation = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    del observation["status"]
    observation["colour"] = "red"
    verdict = validate(bundle)
    assert not verdict["valid"]
    assert {m["location"] for m in errors(verdict)} == {
        "Observation.status",
        "Observation.colour",
    }


@pytest.mark.parametrize("casualty_id", sorted(demo_histories(), key=str))
def test_the_demo_casualties_bundles_are_valid_r4(casualty_id: UUID) -> None:
    """Each Bilohorivka casualty's bundle passes with no error."""
    bundle = export_bundle(demo_histories()[casualty_id], casualty_id=casualty_id)
    verdict = validate(bundle)
    assert verdict["valid"], errors(verdict)


def test_a_bundle_with_every_event_kind_is_valid_r4() -> None:
    """Every resource the export makes, with most optional elements, passes."""
    verdict = validate(export_bundle(full_history(), casualty_id=CASUALTY))
    assert verdict["valid"], errors(verdict)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_drawn_histories_give_valid_r4(history: list[CasualtyEvent]) -> None:
    """Histories drawn at random (corrections, retractions, removals) export to valid R4."""
    verdict = validate(export_bundle(history, casualty_id=CASUALTY))
    assert verdict["valid"], errors(verdict)
