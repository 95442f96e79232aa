"""Log in (OAuth2 password flow), get a device token, and say who the caller is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from goldenhour.adapters.passwords import verify_password
from goldenhour.adapters.storage.queries import user_by_name
from goldenhour.adapters.storage.tokens import issue_token
from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.errors import (
    BODY_TOO_LARGE,
    UNAUTHORISED,
    UNREADABLE_BODY,
    Responses,
    refusal,
)
from goldenhour.api.schemas import DeviceTokenCreate, PrincipalPublic, TokenPublic

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

_LOGIN: Responses = {
    400: UNREADABLE_BODY,
    401: refusal(
        "Wrong user name or password, or a disabled user (not told apart)",
        {"Wrong user name or password": ("password", "wrong user name or password")},
        headers=UNAUTHORISED["headers"],
    ),
    413: BODY_TOO_LARGE,
    422: refusal(
        "A form field is missing or invalid",
        {
            "No password": ("password", "Field required"),
            "Another grant type": ("grant_type", "String should match pattern '^password$'"),
        },
    ),
    429: refusal(
        "Too many failed logins for this user name from this address; wait and try again",
        {"Locked for now": ("username", "too many failed logins; retry in 240 s")},
        headers={
            "Retry-After": {
                "description": "Seconds to wait before the next try",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    ),
}
_DEVICE_TOKEN: Responses = {
    400: UNREADABLE_BODY,
    401: UNAUTHORISED,
    413: BODY_TOO_LARGE,
    422: refusal(
        "The body is not a device name of 1 to 128 characters",
        {
            "No device": ("device", "Field required"),
            "Too long": ("device", "String should have at most 128 characters"),
        },
    ),
}


@router.post("/token", response_model=TokenPublic, responses=_LOGIN)
def login(
    state: StateDep, request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenPublic:
    """Exchange a user name and password for a bearer token (``client_id`` names the device)."""
    address = request.client.host if request.client else "unknown"
    wait = state.limiter.retry_after(form.username, address)
    if wait:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail=[{"field": "username", "reason": f"too many failed logins; retry in {wait} s"}],
            headers={"Retry-After": str(wait)},
        )
    user = user_by_name(state.engine, form.username)
    if user is None or user.disabled or not verify_password(user.password_hash, form.password):
        # Spend the hashing time even for an unknown user, so timing does not reveal names.
        if user is None:
            verify_password(None, form.password)
        state.limiter.failed(form.username, address)
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=[{"field": "password", "reason": "wrong user name or password"}],
            headers={"WWW-Authenticate": "Bearer"},
        )
    state.limiter.succeeded(form.username, address)
    now = datetime.now(UTC)
    token, expires = issue_token(
        state.engine, user_id=user.user_id, kind="bearer", device=form.client_id or "browser",
        ttl=timedelta(minutes=state.settings.token_ttl_minutes), now=now,
    )  # fmt: skip
    return TokenPublic(
        access_token=token, expires_at=expires, username=user.username, role=user.role.value,
        unit_id=str(user.unit_id),
    )  # fmt: skip


@router.post("/device-token", response_model=TokenPublic, responses=_DEVICE_TOKEN)
def device_token(state: StateDep, principal: PrincipalDep, body: DeviceTokenCreate) -> TokenPublic:
    """Issue a long-lived token for a device that will sync while offline for hours or days."""
    token, expires = issue_token(
        state.engine, user_id=principal.user_id, kind="device", device=body.device,
        ttl=timedelta(days=state.settings.device_token_ttl_days), now=datetime.now(UTC),
    )  # fmt: skip
    return TokenPublic(
        access_token=token, expires_at=expires, username=principal.username,
        role=principal.role.value, unit_id=str(principal.unit_id),
    )  # fmt: skip


@router.get("/me", response_model=PrincipalPublic, responses={401: UNAUTHORISED})
def me(principal: PrincipalDep) -> PrincipalPublic:
    """Say who the caller is: user, role, unit, facility and device."""
    return PrincipalPublic(
        user_id=str(principal.user_id), username=principal.username, role=principal.role.value,
        unit_id=str(principal.unit_id),
        facility_id=str(principal.facility_id) if principal.facility_id else None,
        device=principal.device,
    )  # fmt: skip
