"""FHIR R4 handoff: a casualty's card and history as a transaction Bundle for a hospital system."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from goldenhour.adapters.fhir import FHIR_JSON, export_bundle
from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.errors import Responses
from goldenhour.api.routes.casualties import RECORD, _card

router = APIRouter(prefix="/api/v1/casualties", tags=["fhir"])

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
    _, history = _card(state, principal, casualty_id, "read_fhir")
    bundle = export_bundle(history, casualty_id=casualty_id)
    return Response(content=json.dumps(bundle), media_type=FHIR_JSON)
