"""Logging in through the service, on fake users, passwords and tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goldenhour.adapters.memory import (
    InMemoryEventLog,
    InMemoryTokens,
    InMemoryUserAccounts,
    PlainPasswords,
)
from goldenhour.services.admin import disable_user
from goldenhour.services.auth import Authenticator, LoginLimiter, LoginLocked, LoginRefused
from world import PASSWORD, World

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)


@pytest.fixture
def auth(log: InMemoryEventLog, world: World) -> Authenticator:
    """Return the login service on the world's users."""
    return Authenticator(
        accounts=InMemoryUserAccounts(log), passwords=PlainPasswords(), tokens=InMemoryTokens(),
        limiter=LoginLimiter(attempts=3, window_seconds=300), bearer_ttl=timedelta(hours=12),
    )  # fmt: skip


def _login(auth: Authenticator, username: str, password: str = PASSWORD) -> str:
    session = auth.login(
        username=username, password=password, address="10.0.0.7", device="phone", now=NOW
    )
    return session.token


def test_the_right_password_gets_a_bearer_token_for_the_user(
    auth: Authenticator, world: World
) -> None:
    session = auth.login(
        username="medic", password=PASSWORD, address="10.0.0.7", device="phone", now=NOW
    )
    assert session.user.user_id == world.medic.user_id
    assert session.expires_at == NOW + timedelta(hours=12)
    tokens = auth.tokens
    assert isinstance(tokens, InMemoryTokens)
    [issued] = tokens.issued
    assert (issued.token, issued.kind, issued.device) == (session.token, "bearer", "phone")


def test_a_wrong_password_an_unknown_and_a_disabled_user_are_refused_alike(
    auth: Authenticator, log: InMemoryEventLog, world: World
) -> None:
    disable_user(log, user_id=world.other_medic.user_id, reason="left", now=NOW)
    reasons = []
    for username, password in (("medic", "wrong"), ("nobody", PASSWORD), ("medic2", PASSWORD)):
        with pytest.raises(LoginRefused) as refused:
            _login(auth, username, password)
        reasons.append(str(refused.value))
    assert reasons == ["wrong user name or password"] * 3


def test_an_unknown_name_costs_a_password_check_as_a_known_one(auth: Authenticator) -> None:
    passwords = auth.passwords
    assert isinstance(passwords, PlainPasswords)
    with pytest.raises(LoginRefused):
        _login(auth, "nobody")
    # Spent against a dummy hash, so the timing does not tell an unknown name apart.
    assert passwords.checks == 1


def test_failed_logins_lock_the_name_for_a_while(auth: Authenticator) -> None:
    for _ in range(3):
        with pytest.raises(LoginRefused):
            _login(auth, "medic", "wrong")
    with pytest.raises(LoginLocked) as locked:
        _login(auth, "medic")
    assert 1 <= locked.value.retry_after <= 301
    assert str(locked.value) == f"too many failed logins; retry in {locked.value.retry_after} s"
