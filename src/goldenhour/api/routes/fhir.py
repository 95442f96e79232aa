"""FHIR R4 handoff: a casualty's card and history as a transaction Bundle for a hospital system."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from goldenhour.api.deps import PrincipalDep, StateDep, not_found
from goldenhour.api.errors import Responses
from goldenhour.api.routes.casualties import RECORD
from goldenhour.domain.errors import CasualtyNotFoundError
from goldenhour.services.handoff import export_record

router = APIRouter(prefix="/api/v1/casualties", tags=["fhir"])

#: Media type of a FHIR resource in JSON (FHIR R4 §2.6.0 http.html#mime-type).
FHIR_JSON = "application/fhir+json"

_EXAMPLE: dict[str, Any] = {
    "resourceType": "Bundle",
    "type": "transaction",
    "entry": [
        {
            "fullUrl": "urn:uuid:624f2513-3de5-5d51-b5b0-a4f513d2c77b",
            "resource": {"resourceType": "Patient", "id": "624f2513-3de5-5d51-b5b0-a4f513d2c77b"},
            "request": {"method": "PUT", "url": "Patient/624f2513-3de5-5d51-b5b0-a4f513d2c77b"},
        }
    ],
}
_RESPONSES: Responses = {
    200: {
        "description": "A FHIR R4 Bundle of type transaction (docs/fhir.md maps its resources)",
        "content": {FHIR_JSON: {"schema": {"type": "object"}, "example": _EXAMPLE}},
    },
    **RECORD,
}


@router.get("/{casualty_id}/fhir", response_class=Response, responses=_RESPONSES)
def get_fhir_bundle(state: StateDep, principal: PrincipalDep, casualty_id: UUID) -> Response:
    """Return the casualty's card and full event history as a FHIR R4 transaction Bundle."""
    try:
        bundle = export_record(
            state.bundles, state.records, state.audits, principal, casualty_id,
            now=datetime.now(UTC),
        )  # fmt: skip
    except CasualtyNotFoundError:
        raise not_found("casualty", casualty_id) from None
    return Response(content=json.dumps(bundle), media_type=FHIR_JSON)
