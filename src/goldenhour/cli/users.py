"""``goldenhour users``: add, list and disable user accounts; list and revoke device tokens."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import typer

from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir
from goldenhour.domain.operations.vocabulary import Role

users_app = typer.Typer(help="User accounts: each has a role and a unit.", no_args_is_help=True)


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
    from goldenhour.cli.wiring import user_admin
    from goldenhour.services.users import add_account

    def password() -> str:
        return os.environ.get(password_env) or getpass.getpass(f"Password for {username}: ")

    user_id = add_account(
        user_admin(data_dir, database_url), username=username, password=password, role=role,
        unit_id=unit, facility_id=facility, now=datetime.now(UTC),
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
    from goldenhour.cli.wiring import user_admin
    from goldenhour.services.users import list_accounts

    rows = list_accounts(user_admin(data_dir, database_url))
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
    from goldenhour.cli.wiring import user_admin
    from goldenhour.services.users import disable_account

    revoked = disable_account(
        user_admin(data_dir, database_url), username=username, reason=reason, now=datetime.now(UTC)
    )
    print_text(f"disabled {username}; revoked {revoked} tokens")


@users_app.command("tokens")
def tokens_command(
    username: Annotated[str, typer.Argument(help="Login name.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List a user's device tokens that have not expired (ids, never the tokens)."""
    from goldenhour.cli.wiring import user_admin
    from goldenhour.services.users import device_tokens

    found = device_tokens(
        user_admin(data_dir, database_url), username=username, now=datetime.now(UTC)
    )
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
    from goldenhour.cli.wiring import user_admin
    from goldenhour.services.users import revoke_device_token

    found = revoke_device_token(user_admin(data_dir, database_url), token_id=token_id, lost=lost)
    said = " (reported lost: it wipes itself at its next contact)" if lost else ""
    print_text(f"revoked the token of device {found.device}{said}")
