"""Accounts as an administrator manages them from the web app: list, add, reassign, reset, disable.

Each route parses, calls ``services.users`` (which refuses anyone but an administrator and writes
every change to the log under the administrator's name) and prints. Device tokens are listed and
revoked under ``/api/v1/auth/device-tokens``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, status

from goldenhour.api.deps import PrincipalDep, StateDep, audit_read
from goldenhour.api.errors import BODY_TOO_LARGE, UNAUTHORISED, UNREADABLE_BODY, Responses, refusal
from goldenhour.api.schemas import (
    PasswordReset,
    TokensRevokedPublic,
    UserAssignment,
    UserCreate,
    UserDisable,
    UserPublic,
    UsersPublic,
)
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import UserAccount
from goldenhour.services import users

router = APIRouter(prefix="/api/v1/users", tags=["users"])

_ADMIN_ONLY = refusal(
    "The caller is not an administrator",
    {"Not an administrator": ("authorization", "only an administrator manages users, not a medic")},
)
_READ: Responses = {401: UNAUTHORISED, 403: _ADMIN_ONLY}
_WRITE: Responses = {
    400: UNREADABLE_BODY,
    401: UNAUTHORISED,
    403: _ADMIN_ONLY,
    413: BODY_TOO_LARGE,
    422: refusal(
        "A field is missing or invalid, the name is taken or unknown, the password too short",
        {
            "Taken": ("username", "'medic9' is taken"),
            "Unknown": ("username", "no user 'medic9'"),
            "Short password": ("password", "use at least 10 characters"),
            "No such unit": (
                "unit_id",
                "no unit a0a1b09d-57d3-5e35-b19d-b6730d21b1ac in your scope",
            ),
        },
    ),
}
_USERNAME = Path(max_length=64, description="The user's name")


def _public(user: UserAccount) -> UserPublic:
    return UserPublic(
        user_id=str(user.user_id), username=user.username, role=user.role.value,
        unit_id=str(user.unit_id),
        facility_id=str(user.facility_id) if user.facility_id else None, disabled=user.disabled,
    )  # fmt: skip


@router.get("", response_model=UsersPublic, responses=_READ)
def list_users(state: StateDep, principal: PrincipalDep) -> UsersPublic:
    """List every account, by name (administrators only; the read is audited)."""
    found = users.list_accounts_by(state.users, principal)
    audit_read(state, principal, target_kind="user", target_id="*", action="users_listed")
    return UsersPublic(records=[_public(u) for u in found])


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED, responses=_WRITE)
def add_user(state: StateDep, principal: PrincipalDep, body: UserCreate) -> UserPublic:
    """Add an account with its first password, role and unit (administrators only)."""
    return _public(
        users.add_account_by(
            state.users,
            principal,
            username=body.username,
            password=body.password,
            role=Role(body.role),
            unit_id=body.unit_id,
            facility_id=body.facility_id,
            now=datetime.now(UTC),
        )  # fmt: skip
    )


@router.put("/{username}/assignment", response_model=UserPublic, responses=_WRITE)
def reassign_user(
    state: StateDep, principal: PrincipalDep, username: Annotated[str, _USERNAME],
    body: UserAssignment,
) -> UserPublic:  # fmt: skip
    """Give a user another role, unit or facility; their tokens are revoked."""
    return _public(
        users.reassign_account_by(
            state.users,
            principal,
            username=username,
            role=Role(body.role),
            unit_id=body.unit_id,
            facility_id=body.facility_id,
            now=datetime.now(UTC),
        )  # fmt: skip
    )


@router.post("/{username}/password", response_model=TokensRevokedPublic, responses=_WRITE)
def reset_password(
    state: StateDep, principal: PrincipalDep, username: Annotated[str, _USERNAME],
    body: PasswordReset,
) -> TokensRevokedPublic:  # fmt: skip
    """Give a user a new password; their tokens are revoked, so they log in again."""
    revoked = users.reset_password_by(
        state.users, principal, username=username, password=body.password, now=datetime.now(UTC)
    )
    return TokensRevokedPublic(revoked_tokens=revoked)


@router.post("/{username}/disable", response_model=TokensRevokedPublic, responses=_WRITE)
def disable_user(
    state: StateDep, principal: PrincipalDep, username: Annotated[str, _USERNAME],
    body: UserDisable,
) -> TokensRevokedPublic:  # fmt: skip
    """Disable an account; its tokens stop working at once."""
    revoked = users.disable_account_by(
        state.users, principal, username=username, reason=body.reason, now=datetime.now(UTC)
    )
    return TokensRevokedPublic(revoked_tokens=revoked)
