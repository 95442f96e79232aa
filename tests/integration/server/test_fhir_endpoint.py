"""GET /api/v1/casualties/{id}/fhir: the card as a FHIR R4 Bundle, with the card's access rules."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from fastapi.testclient import TestClient

from goldenhour.adapters.fhir import FHIR_JSON, read_bundle
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID
from goldenhour.domain.casualty.card import fold

from fhir_cases import errors, validate

Login = Callable[[str], dict[str, str]]


def test_the_medic_gets_a_valid_bundle_of_the_demo_casualty(
    client: TestClient, login: Login
) -> None:
    """200, application/fhir+json, valid R4, and it reads back into the card the API shows."""
    medic = login("medic")
    response = client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}/fhir", headers=medic)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(FHIR_JSON)
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "transaction"
    verdict = validate(bundle)
    assert verdict["valid"], errors(verdict)
    card = client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}", headers=medic).json()["card"]
    imported = fold(DEMO_CASUALTY_ID, read_bundle(response.content))
    assert imported.version == card["version"]
    assert [str(t.application_id) for t in imported.tourniquets] == [
        clock["application_id"] for clock in card["tourniquet_clocks"]
    ]


def test_the_same_casualty_exports_the_same_bundle_twice(client: TestClient, login: Login) -> None:
    """Re-export is idempotent: the same ids and content."""
    medic = login("medic")
    first = client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}/fhir", headers=medic)
    again = client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}/fhir", headers=medic)
    assert first.json() == again.json()


def test_the_analyst_is_told_the_casualty_does_not_exist(client: TestClient, login: Login) -> None:
    """Outside the caller's scope answers 404, as the card itself does."""
    response = client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}/fhir", headers=login("analyst"))
    assert response.status_code == 404


def test_an_unknown_casualty_is_404(client: TestClient, login: Login) -> None:
    """No such casualty, no bundle."""
    response = client.get(f"/api/v1/casualties/{uuid4()}/fhir", headers=login("medic"))
    assert response.status_code == 404


def test_no_token_no_bundle(client: TestClient) -> None:
    """The bundle holds health data: a token is required."""
    assert client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}/fhir").status_code == 401
