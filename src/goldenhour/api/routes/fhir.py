"""FHIR R4 handoff: a casualty's card and history as a transaction Bundle for a hospital system."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from goldenhour.adapters.fhir import FHIR_JSON, export_bundle
from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.routes.casualties import _card

router = APIRouter(prefix="/api/v1/casualties", tags=["fhir"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A FHIR R4 Bundle of type transaction (docs/fhir.md maps its resources)",
        "content": {FHIR_JSON: {"schema": {"type": "object"}}},
    },
    404: {"description": "No such casualty, or outside the caller's scope"},
}


@router.get("/{casualty_id}/fhir", response_class=Response, responses=_RESPONSES)
def get_fhir_bundle(state: StateDep, principal: PrincipalDep, casualty_id: UUID) -> Response:
    """Return the casualty's card and full event history as a FHIR R4 transaction Bundle."""
    _, history = _card(state, principal, casualty_id, "read_fhir")
    bundle = export_bundle(history, casualty_id=casualty_id)
    return Response(content=json.dumps(bundle), media_type=FHIR_JSON)
