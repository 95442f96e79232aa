"""``goldenhour users``: add, list and disable user accounts; list and revoke device tokens."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from goldenhour.adapters.passwords import hash_password
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.queries import list_users, user_by_name
from goldenhour.adapters.storage.tokens import (
    find_device_token,
    list_device_tokens,
    revoke_token,
    revoke_user_tokens,
)
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir, settings_from
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services import admin

users_app = typer.Typer(help="User accounts: each has a role and a unit.", no_args_is_help=True)

#: Shortest password accepted: long enough to resist guessing at the login rate limit.
MIN_PASSWORD_LENGTH = 10


def _log(data_dir: Path | None, database_url: str | None) -> SqlEventLog:
    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    schema.require_current(engine)
    return SqlEventLog(engine)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name (no spaces).")],
    role: Annotated[Role, typer.Option(help="What the user does.")],
    unit: Annotated[UUID, typer.Option(help="Id of the user's unit.")],
    facility: Annotated[UUID | None, typer.Option(help="Facility id, for facility staff.")] = None,
    password_env: Annotated[
        str, typer.Option(help="Read the password from this environment variable if set.")
    ] = "GOLDENHOUR_NEW_PASSWORD",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add a user; the password comes from $GOLDENHOUR_NEW_PASSWORD or is asked for."""
    log = _log(data_dir, database_url)
    if user_by_name(log.engine, username) is not None:
        raise ValidationError("username", f"{username!r} is taken")
    password = os.environ.get(password_env) or getpass.getpass(f"Password for {username}: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    user_id = admin.add_user(
        log, username=username, password_hash=hash_password(password), role=role, unit_id=unit,
        facility_id=facility, now=datetime.now(UTC),
    )  # fmt: skip
    if as_json:
        print_json({"user_id": str(user_id), "username": username, "role": role.value})
    else:
        print_text(f"added {username} ({role.value}) as {user_id}")


@users_app.command("list")
def list_command(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List users with their role, unit and whether they are disabled."""
    rows = list_users(_log(data_dir, database_url).engine)
    records = [
        {
            "user_id": str(r.user_id),
            "username": r.username,
            "role": r.role.value,
            "unit_id": str(r.unit_id),
            "facility_id": str(r.facility_id) if r.facility_id else None,
            "disabled": r.disabled,
        }  # fmt: skip
        for r in rows
    ]
    if as_json:
        print_json(records)
        return
    for r in records:
        state = " (disabled)" if r["disabled"] else ""
        print_text(f"{r['username']:<16} {r['role']:<12} unit {r['unit_id']}{state}")


@users_app.command("disable")
def disable(
    username: Annotated[str, typer.Argument(help="Login name.")],
    reason: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Disable a user and revoke their tokens at once."""
    log = _log(data_dir, database_url)
    user = user_by_name(log.engine, username)
    if user is None:
        raise ValidationError("username", f"no user {username!r}")
    admin.disable_user(log, user_id=user.user_id, reason=reason, now=datetime.now(UTC))
    revoked = revoke_user_tokens(log.engine, user.user_id)
    print_text(f"disabled {username}; revoked {revoked} tokens")


@users_app.command("tokens")
def tokens_command(
    username: Annotated[str, typer.Argument(help="Login name.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List a user's device tokens that have not expired (ids, never the tokens)."""
    log = _log(data_dir, database_url)
    user = user_by_name(log.engine, username)
    if user is None:
        raise ValidationError("username", f"no user {username!r}")
    found = list_device_tokens(log.engine, user.user_id, now=datetime.now(UTC))
    records = [
        {"token_id": t.token_id, "device": t.device, "issued_at": t.issued_at.isoformat(),
         "expires_at": t.expires_at.isoformat(), "revoked": t.revoked, "lost": t.lost}
        for t in found
    ]  # fmt: skip
    if as_json:
        print_json(records)
        return
    for r in records:
        state = " (reported lost)" if r["lost"] else " (revoked)" if r["revoked"] else ""
        print_text(f"{r['token_id']}  {r['device']:<24} until {r['expires_at']}{state}")


@users_app.command("revoke-token")
def revoke_token_command(
    token_id: Annotated[str, typer.Argument(help="The device token's id, from `users tokens`.")],
    lost: Annotated[
        bool,
        typer.Option(
            "--lost", help="The phone was reported lost: it deletes its store at its next contact."
        ),
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke one device token at once (a lost or stolen phone)."""
    log = _log(data_dir, database_url)
    found = find_device_token(log.engine, token_id)
    if found is None:
        raise ValidationError("token_id", f"no device token {token_id!r}")
    revoke_token(log.engine, token_id, lost=lost)
    said = " (reported lost: it wipes itself at its next contact)" if lost else ""
    print_text(f"revoked the token of device {found.device}{said}")
