"""Errors at the HTTP edge: every refusal names the field and why; nothing becomes a 500."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from goldenhour.domain.errors import CasualtyNotFoundError, GoldenHourError, ValidationError


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
    return path or "request"


#: One item of a refusal's ``detail`` as ``problem`` sends it; FastAPI's default schema
#: (``loc``, ``msg``, ``type``) would document a body the API never sends.
_PROBLEM_ITEM: dict[str, Any] = {
    "title": "ValidationError",
    "type": "object",
    "required": ["field", "reason"],
    "properties": {
        "field": {"type": "string", "title": "Field"},
        "reason": {"type": "string", "title": "Reason"},
    },
}


def _document_problems(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()  # built once, then cached by FastAPI; the change below is idempotent
        schemas = document.get("components", {}).get("schemas", {})
        if "ValidationError" in schemas:
            schemas["ValidationError"] = _PROBLEM_ITEM
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Map request and domain errors to 4xx responses with a body naming each field."""
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
