"""Dependencies of the routes, each declared once as an ``Annotated`` alias."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import OAuth2PasswordBearer

from goldenhour.api.state import AppState
from goldenhour.domain.access import Principal
from goldenhour.domain.ports import Credential, TokenRefusal
from goldenhour.services.audit import read_entry

_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def app_state(request: Request) -> AppState:
    """Return the running app's shared state."""
    state: AppState = request.app.state.goldenhour
    return state


StateDep = Annotated[AppState, Depends(app_state)]


def _unauthorised(field: str = "authorization", reason: str = "") -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=[{"field": field, "reason": reason or "a valid bearer token is required"}],
        headers={"WWW-Authenticate": "Bearer"},
    )


#: What a phone reported lost is told, in words and as a code it acts on: wipe your store.
DEVICE_LOST = {"field": "authorization", "reason": TokenRefusal.LOST.value, "code": "device_lost"}


def current_credential(
    state: StateDep, token: Annotated[str | None, Depends(_bearer)]
) -> Credential:
    """Return the bearer or device token the caller sent, checked now, or answer 401.

    A token revoked because its phone was reported lost is answered with ``DEVICE_LOST``: the
    web app deletes its store when it reads that code (docs/security.md).
    """
    checked = (
        state.tokens.check(state.tokens.token_id(token), now=datetime.now(UTC)) if token else None
    )
    if checked is TokenRefusal.LOST:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=[DEVICE_LOST],
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not isinstance(checked, Credential):
        raise _unauthorised()
    return checked


CredentialDep = Annotated[Credential, Depends(current_credential)]


def current_principal(credential: CredentialDep) -> Principal:
    """Return who the bearer token speaks for, or answer 401."""
    return credential.principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def stream_credential(
    state: StateDep,
    token: Annotated[str | None, Depends(_bearer)],
    ticket: Annotated[
        str | None,
        Query(
            description="A single-use stream ticket from `POST /api/v1/stream/ticket`, for "
            "clients that cannot send headers (a browser's EventSource)",
            max_length=256,
        ),
    ] = None,
    access_token: Annotated[
        str | None,
        Query(
            description="Refused: a token in a URL is written to access logs; use `ticket`",
            include_in_schema=False,
        ),
    ] = None,
) -> Credential:
    """Return the credential a live stream runs on: the bearer header's, or a ticket's.

    Browsers' ``EventSource`` cannot send an ``Authorization`` header. A token in the URL would
    be written to access logs, so the URL carries a ticket instead: spent on first use, valid for
    seconds, and standing for the token it was issued against, which the stream keeps checking.
    """
    if access_token is not None:
        raise _unauthorised(
            "access_token",
            "a token is not accepted in the URL; get a ticket from POST /api/v1/stream/ticket",
        )
    if token:
        return current_credential(state, token)
    if ticket:
        credential = state.tokens.redeem_stream_ticket(ticket, now=datetime.now(UTC))
        if credential is None:
            raise _unauthorised("ticket", "the ticket is unknown, spent or expired")
        return credential
    raise _unauthorised()


StreamCredentialDep = Annotated[Credential, Depends(stream_credential)]


def not_found(what: str, identifier: object) -> HTTPException:
    """Return the 404 given for a record that does not exist or is outside the caller's scope."""
    return HTTPException(
        status_code=status.HTTP_404_NOT_FOUND,
        detail=[{"field": f"{what}_id", "reason": f"no {what} {identifier}"}],
    )


def audit_read(state: AppState, principal: Principal, *, target_kind: str, target_id: str,
               action: str = "read", detail: str = "") -> None:  # fmt: skip
    """Record a read in the audit chain (committed with those of concurrent reads)."""
    state.audits.record(
        read_entry(
            principal,
            target_kind=target_kind,
            target_id=target_id,
            action=action,
            detail=detail,
            at=datetime.now(UTC),
        )  # fmt: skip
    )
