"""Log in (OAuth2 password flow), get, list and revoke device tokens, say who the caller is."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from goldenhour.api.deps import CredentialDep, PrincipalDep, StateDep
from goldenhour.api.errors import (
    BODY_TOO_LARGE,
    UNAUTHORISED,
    UNREADABLE_BODY,
    Responses,
    refusal,
)
from goldenhour.api.schemas import (
    DeviceTokenCreate,
    DeviceTokenPublic,
    DeviceTokensPublic,
    PrincipalPublic,
    TokenPublic,
)
from goldenhour.services.auth import LoginLocked, LoginRefused
from goldenhour.services.device_tokens import (
    DeviceTokenRefusal,
    NotPermitted,
    PasswordLocked,
    PasswordRefused,
)

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
    401: refusal(
        "No valid bearer token, or the password is missing or wrong",
        {
            "No valid token": ("authorization", "a valid bearer token is required"),
            "No password": ("password", "give your password to get a device token"),
            "Wrong password": ("password", "wrong password"),
        },
        headers=UNAUTHORISED["headers"],
    ),
    403: refusal(
        "A device token asked for a device token, or a non-administrator named another user",
        {
            "From a device token": (
                "authorization",
                "a device token cannot issue device tokens; log in with the password",
            ),
            "Another user": ("username", "only an administrator may name another user"),
        },
    ),
    404: refusal("No such user, or a disabled one", {"No user": ("username", "no user 'medic9'")}),
    413: BODY_TOO_LARGE,
    422: refusal(
        "The body is not a device name of 1 to 128 characters",
        {
            "No device": ("device", "Field required"),
            "Too long": ("device", "String should have at most 128 characters"),
        },
    ),
    429: refusal(
        "Too many wrong passwords for this user; wait and try again",
        {"Locked for now": ("password", "too many wrong passwords; retry in 240 s")},
    ),
}
_TOKEN_NOT_FOUND = refusal(
    "No such device token, or one the caller may not manage: the two are not told apart",
    {"Absent or another's": ("token_id", "no device token 9f2c7d0b")},
)


@router.post("/token", response_model=TokenPublic, responses=_LOGIN)
def login(
    state: StateDep, request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenPublic:
    """Exchange a user name and password for a bearer token (``client_id`` names the device)."""
    address = request.client.host if request.client else "unknown"
    try:
        session = state.auth.login(
            username=form.username, password=form.password, address=address,
            device=form.client_id or "browser", now=datetime.now(UTC),
        )  # fmt: skip
    except LoginLocked as locked:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail=[{"field": "username", "reason": str(locked)}],
            headers={"Retry-After": str(locked.retry_after)},
        ) from locked
    except LoginRefused as refused:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=[{"field": "password", "reason": str(refused)}],
            headers={"WWW-Authenticate": "Bearer"},
        ) from refused
    user = session.user
    return TokenPublic(
        access_token=session.token, expires_at=session.expires_at, username=user.username,
        role=user.role.value, unit_id=str(user.unit_id),
    )  # fmt: skip


def _refused(refusal: DeviceTokenRefusal) -> HTTPException:
    """Return the HTTP answer to a refused device-token request."""
    detail = [{"field": refusal.field, "reason": refusal.reason}]
    if isinstance(refusal, PasswordLocked):
        return HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS, detail=detail,
            headers={"Retry-After": str(refusal.retry_after)},
        )  # fmt: skip
    if isinstance(refusal, PasswordRefused):
        return HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED, detail=detail,
            headers={"WWW-Authenticate": "Bearer"},
        )  # fmt: skip
    if isinstance(refusal, NotPermitted):
        return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=detail)
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=detail)


@router.post("/device-token", response_model=TokenPublic, responses=_DEVICE_TOKEN)
def device_token(
    state: StateDep, request: Request, credential: CredentialDep, body: DeviceTokenCreate
) -> TokenPublic:
    """Issue a long-lived token for a device that will sync while offline for hours or days.

    Only against the caller's password given now, from a login (bearer) token; an administrator
    may instead name a user (``username``). A device token never issues another.
    """
    try:
        issued = state.device_tokens.issue(
            credential.principal, by_login_token=credential.kind == "bearer",
            username=body.username, password=body.password, device=body.device,
            address=request.client.host if request.client else "unknown", now=datetime.now(UTC),
        )  # fmt: skip
    except DeviceTokenRefusal as refusal:
        raise _refused(refusal) from refusal
    user = issued.user
    return TokenPublic(
        access_token=issued.token, expires_at=issued.expires_at, username=user.username,
        role=user.role.value,
        unit_id=str(user.unit_id),
    )  # fmt: skip


@router.get(
    "/device-tokens",
    response_model=DeviceTokensPublic,
    responses={
        401: UNAUTHORISED,
        403: _DEVICE_TOKEN[403],
        404: _DEVICE_TOKEN[404],
        422: refusal(
            "The user name is too long",
            {"Too long": ("username", "String should have at most 64 characters")},
        ),
    },  # fmt: skip
)
def list_device_tokens_route(
    state: StateDep,
    principal: PrincipalDep,
    username: Annotated[
        str | None, Query(max_length=64, description="Administrators: another user's tokens")
    ] = None,
) -> DeviceTokensPublic:
    """List the device tokens of the caller (or, for an administrator, of ``username``)."""
    try:
        user, found = state.device_tokens.listed(
            principal, username=username, now=datetime.now(UTC)
        )
    except DeviceTokenRefusal as refusal:
        raise _refused(refusal) from refusal
    return DeviceTokensPublic(
        records=[
            DeviceTokenPublic(
                token_id=t.token_id,
                username=user.username,
                device=t.device,
                issued_at=t.issued_at,
                expires_at=t.expires_at,
                revoked=t.revoked,
                lost=t.lost,
            )  # fmt: skip
            for t in found
        ]
    )


@router.delete(
    "/device-tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        401: UNAUTHORISED,
        404: _TOKEN_NOT_FOUND,
        422: refusal(
            "The id is not 64 hexadecimal digits",
            {"Not an id": ("token_id", "String should match pattern '^[0-9a-f]{64}$'")},
        ),
    },  # fmt: skip
)
def revoke_device_token(
    state: StateDep,
    principal: PrincipalDep,
    token_id: Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="The token's id")],
    lost: Annotated[
        bool,
        Query(
            description="The phone was reported lost: at its next contact it is told "
            "(`code: device_lost`) and deletes its store"
        ),
    ] = False,
) -> Response:
    """Revoke a device token of the caller's (any user's, for an administrator) at once."""
    try:
        state.device_tokens.revoke(principal, token_id, lost=lost, now=datetime.now(UTC))
    except DeviceTokenRefusal as refusal:
        raise _refused(refusal) from refusal
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=PrincipalPublic, responses={401: UNAUTHORISED})
def me(principal: PrincipalDep) -> PrincipalPublic:
    """Say who the caller is: user, role, unit, facility and device."""
    return PrincipalPublic(
        user_id=str(principal.user_id), username=principal.username, role=principal.role.value,
        unit_id=str(principal.unit_id),
        facility_id=str(principal.facility_id) if principal.facility_id else None,
        device=principal.device,
    )  # fmt: skip
