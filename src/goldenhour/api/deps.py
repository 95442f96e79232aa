"""Dependencies of the routes, each declared once as an ``Annotated`` alias."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import OAuth2PasswordBearer

from goldenhour.adapters.storage.tokens import resolve_token
from goldenhour.api.state import AppState
from goldenhour.domain.access import Principal
from goldenhour.domain.ports import AuditEntry

_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def app_state(request: Request) -> AppState:
    """Return the running app's shared state."""
    state: AppState = request.app.state.goldenhour
    return state


StateDep = Annotated[AppState, Depends(app_state)]


def current_principal(state: StateDep, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    """Return who the bearer token speaks for, or answer 401."""
    principal = resolve_token(state.engine, token, now=datetime.now(UTC)) if token else None
    if principal is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=[{"field": "authorization", "reason": "a valid bearer token is required"}],
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def stream_principal(
    state: StateDep,
    token: Annotated[str | None, Depends(_bearer)],
    access_token: Annotated[
        str | None,
        Query(description="The bearer token, for clients that cannot send headers (EventSource)"),
    ] = None,
) -> Principal:
    """Return who the bearer token or the ``access_token`` query parameter speaks for, or 401.

    Browsers' ``EventSource`` cannot send an ``Authorization`` header, so the live stream also
    takes the token in the URL. Only the stream accepts it: a URL may be kept in proxy logs.
    """
    return current_principal(state, token or access_token)


StreamPrincipalDep = Annotated[Principal, Depends(stream_principal)]


def not_found(what: str, identifier: object) -> HTTPException:
    """Return the 404 given for a record that does not exist or is outside the caller's scope."""
    return HTTPException(
        status_code=status.HTTP_404_NOT_FOUND,
        detail=[{"field": f"{what}_id", "reason": f"no {what} {identifier}"}],
    )


def audit_read(state: AppState, principal: Principal, *, target_kind: str, target_id: str,
               action: str = "read", detail: str = "") -> None:  # fmt: skip
    """Record a read in the audit chain (committed with those of concurrent reads)."""
    entry = AuditEntry(
        at=datetime.now(UTC), user_id=principal.user_id, username=principal.username,
        role=principal.role.value, unit_id=principal.unit_id, device=principal.device,
        action=action, target_kind=target_kind, target_id=target_id, detail=detail,
    )  # fmt: skip
    state.audits.record(entry)
