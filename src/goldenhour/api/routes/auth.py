"""Log in (OAuth2 password flow), get, list and revoke device tokens, say who the caller is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from goldenhour.adapters.storage.engine import column_text
from goldenhour.api.deps import CredentialDep, PrincipalDep, StateDep, audit_read
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
from goldenhour.api.state import AppState
from goldenhour.domain.access import Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import UserAccount
from goldenhour.services.auth import LoginLocked, LoginRefused

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


def _forbidden(field: str, reason: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_403_FORBIDDEN, detail=[{"field": field, "reason": reason}]
    )


def _password_checked(
    state: AppState, request: Request, user: UserAccount, password: str | None
) -> None:
    """Raise unless ``password`` is the user's, counting wrong ones as failed logins."""
    if password is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=[{"field": "password", "reason": "give your password to get a device token"}],
            headers={"WWW-Authenticate": "Bearer"},
        )
    address = request.client.host if request.client else "unknown"
    wait = state.limiter.retry_after(user.username, address)
    if wait:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail=[
                {"field": "password", "reason": f"too many wrong passwords; retry in {wait} s"}
            ],
            headers={"Retry-After": str(wait)},
        )
    if not state.auth.passwords.verify(user.password_hash, password):
        state.limiter.failed(user.username, address)
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=[{"field": "password", "reason": "wrong password"}],
            headers={"WWW-Authenticate": "Bearer"},
        )


def _managed_user(state: AppState, caller: Principal, username: str | None) -> UserAccount:
    """Return the user the caller names (themselves by default) if they may manage their tokens."""
    name = username if username is not None else caller.username
    if name != caller.username and caller.role is not Role.ADMIN:
        raise _forbidden("username", "only an administrator may name another user")
    user = state.auth.accounts.by_name(name)
    if user is None or user.disabled:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=[{"field": "username", "reason": f"no user {name!r}"}],
        )
    return user


@router.post("/device-token", response_model=TokenPublic, responses=_DEVICE_TOKEN)
def device_token(
    state: StateDep, request: Request, credential: CredentialDep, body: DeviceTokenCreate
) -> TokenPublic:
    """Issue a long-lived token for a device that will sync while offline for hours or days.

    Only against the caller's password given now, from a login (bearer) token; an administrator
    may instead name a user (``username``). A device token never issues another.
    """
    caller = credential.principal
    if credential.kind != "bearer":
        raise _forbidden(
            "authorization", "a device token cannot issue device tokens; log in with the password"
        )
    user = _managed_user(state, caller, body.username)
    if user.user_id == caller.user_id:
        _password_checked(state, request, user, body.password)
    token, expires = state.tokens.issue(
        user_id=user.user_id, kind="device", device=body.device,
        ttl=timedelta(days=state.settings.device_token_ttl_days), now=datetime.now(UTC),
    )  # fmt: skip
    audit_read(
        state, caller, target_kind="user", target_id=str(user.user_id),
        action="device_token_issued",
        detail=f"{state.tokens.token_id(token)} {column_text(body.device, max_length=128)}",
    )  # fmt: skip
    return TokenPublic(
        access_token=token, expires_at=expires, username=user.username, role=user.role.value,
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
    user = _managed_user(state, principal, username)
    found = state.tokens.list_device_tokens(user.user_id, now=datetime.now(UTC))
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
    found = state.tokens.find_device_token(token_id)
    if found is None or (found.user_id != principal.user_id and principal.role is not Role.ADMIN):
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=[{"field": "token_id", "reason": f"no device token {token_id[:8]}"}],
        )
    state.tokens.revoke(token_id, lost=lost)
    audit_read(
        state, principal, target_kind="user", target_id=str(found.user_id),
        action="device_token_revoked",
        detail=f"{token_id} {found.device}" + (" reported lost" if lost else ""),
    )  # fmt: skip
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
