"""Errors at the HTTP edge: every refusal names the field and why; nothing becomes a 500.

Each route documents the refusals it can give (``refusal`` below) so that the OpenAPI schema
lists every status the API really answers, with the one body they all share (``Problem``).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from goldenhour.api.schemas import Problem
from goldenhour.domain.errors import CasualtyNotFoundError, GoldenHourError, ValidationError
from goldenhour.services.users import AdminOnly

_log = logging.getLogger(__name__)

#: The ``responses`` of a route: status code to OpenAPI response object (FastAPI's form).
Responses = dict[int | str, dict[str, Any]]


def refusal(
    description: str, examples: dict[str, tuple[str, str]], *, headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Document a refusal: its ``Problem`` body, one example per way to get it, its headers.

    ``examples`` maps a summary to the ``(field, reason)`` the answer names.
    """
    response: dict[str, Any] = {
        "model": Problem,
        "description": description,
        "content": {
            "application/json": {
                "examples": {
                    summary: {
                        "summary": summary,
                        "value": {"detail": [{"field": field, "reason": reason}]},
                    }
                    for summary, (field, reason) in examples.items()
                }
            }
        },
    }
    if headers:
        response["headers"] = headers
    return response


#: The refusals shared by many routes.
UNREADABLE_BODY = refusal(
    "The body cannot be read: JSON that is not UTF-8, or a form that cannot be parsed",
    {"Bytes that are not UTF-8": ("request", "There was an error parsing the body")},
)
UNAUTHORISED = refusal(
    "No bearer token, or one that is unknown, revoked or expired",
    {"No valid token": ("authorization", "a valid bearer token is required")},
    headers={
        "WWW-Authenticate": {
            "description": "The scheme to authenticate with",
            "required": True,
            "schema": {"type": "string", "enum": ["Bearer"]},
        }
    },
)
BODY_TOO_LARGE = refusal(
    "The body is larger than the server allows (`GOLDENHOUR_MAX_BODY_BYTES`)",
    {"Over the limit": ("body", "larger than 2000000 bytes")},
)
CASUALTY_NOT_FOUND = refusal(
    "No such casualty, or one outside the caller's scope: the two are not told apart",
    {
        "Absent or outside scope": (
            "casualty_id",
            "no casualty 0b8f6c52-3e1d-4a7b-9c2e-5f6a7b8c9d0e",
        )
    },
)


def problem(status: int, items: list[dict[str, Any]]) -> JSONResponse:
    """Return an error response whose ``detail`` lists each bad field and the reason."""
    return JSONResponse(status_code=status, content={"detail": items})


def _location(parts: tuple[Any, ...] | list[Any]) -> str:
    # FastAPI locates errors as ("body", "events", 3, "kind"); people read "events[3].kind".
    path = ""
    for part in parts:
        if part in ("body", "query", "path", "header"):
            continue
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    # A field name is the client's own text: a lone surrogate in it cannot be sent as UTF-8.
    return path.encode("utf-8", "backslashreplace").decode("utf-8") or "request"


_SCHEMAS = "#/components/schemas/"
#: FastAPI's default 422 body (``loc``, ``msg``, ``type``), which the API never sends.
_FASTAPI_422 = {"$ref": f"{_SCHEMAS}HTTPValidationError"}


def _document_problems(app: FastAPI) -> None:
    """Give every documented refusal the ``Problem`` body, whoever wrote the route.

    A route that names a 4xx or 5xx without a body, or leaves FastAPI's default 422 in place,
    would otherwise document a body the API never sends.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()  # built once, then cached by FastAPI; the change below is idempotent
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        if "Problem" not in schemas:
            problem_schema = Problem.model_json_schema(ref_template=_SCHEMAS + "{model}")
            schemas.update(problem_schema.pop("$defs", {}), Problem=problem_schema)
        for path in document.get("paths", {}).values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    if not code.startswith(("4", "5")):
                        continue
                    body = response.setdefault("content", {}).setdefault("application/json", {})
                    if body.get("schema", _FASTAPI_422) == _FASTAPI_422:
                        body["schema"] = {"$ref": f"{_SCHEMAS}Problem"}
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI, *, storage_fault: type[Exception] | None = None) -> None:
    """Map request and domain errors to 4xx responses with a body naming each field.

    ``storage_fault`` is the storage adapter's error for a failed transaction (the wiring in
    ``app`` names it): it answers 503, as the server's fault, not the request's.
    """
    _document_problems(app)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        items = [
            {"field": _location(item.get("loc", ())), "reason": item.get("msg", "invalid")}
            for item in error.errors()
        ]
        return problem(422, items)

    @app.exception_handler(CasualtyNotFoundError)
    async def _not_found(_request: Request, error: CasualtyNotFoundError) -> JSONResponse:
        return problem(404, [{"field": "casualty_id", "reason": str(error)}])

    @app.exception_handler(ValidationError)
    async def _invalid(_request: Request, error: ValidationError) -> JSONResponse:
        return problem(422, [{"field": error.field, "reason": error.reason}])

    async def _storage_fault(_request: Request, error: Exception) -> JSONResponse:
        # The server's fault, not the request's: the transaction was rolled back, so the
        # client may send the same request again.
        _log.error("storage fault: %s", error, exc_info=error)
        return problem(
            503, [{"field": "request", "reason": "the database failed; nothing was stored"}]
        )

    if storage_fault is not None:
        app.add_exception_handler(storage_fault, _storage_fault)

    @app.exception_handler(AdminOnly)
    async def _admin_only(_request: Request, error: AdminOnly) -> JSONResponse:
        return problem(403, [{"field": error.field, "reason": error.reason}])

    @app.exception_handler(GoldenHourError)
    async def _refused(_request: Request, error: GoldenHourError) -> JSONResponse:
        return problem(400, [{"field": "request", "reason": str(error)}])

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        detail = error.detail
        items = (
            detail if isinstance(detail, list) else [{"field": "request", "reason": str(detail)}]
        )
        return JSONResponse(
            status_code=error.status_code, content={"detail": items}, headers=error.headers
        )
