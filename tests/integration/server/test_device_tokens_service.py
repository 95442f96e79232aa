"""Device tokens through their service, on SQLite and PostgreSQL: authorised, then audited.

The routes of ``/api/v1/auth/device-token(s)`` used to do this themselves; the service now
decides who may issue, list and revoke, and writes the audit entries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from demo_login import DEMO_PASSWORD
from goldenhour.adapters.passwords import Argon2Passwords
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.queries import SqlUserAccounts
from goldenhour.adapters.storage.tables import audit_log
from goldenhour.adapters.storage.tokens import SqlTokens
from goldenhour.domain.access import Principal
from goldenhour.services.audit import ReadAudit
from goldenhour.services.auth import LoginLimiter
from goldenhour.services.device_tokens import (
    DeviceTokens,
    NoSuchDeviceToken,
    NotPermitted,
    PasswordLocked,
    PasswordRefused,
)

NOW = datetime.now(UTC)


def _service(engine: Engine, *, attempts: int = 5) -> DeviceTokens:
    return DeviceTokens(
        accounts=SqlUserAccounts(engine), passwords=Argon2Passwords(), tokens=SqlTokens(engine),
        limiter=LoginLimiter(attempts=attempts, window_seconds=300),
        audits=ReadAudit(SqlEventLog(engine)), ttl=timedelta(days=30),
    )  # fmt: skip


def _principal(engine: Engine, username: str) -> Principal:
    principal = SqlTokens(engine).principal_of_user(username, device="test-laptop")
    assert principal is not None
    return principal


def _audited(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.username, audit_log.c.action, audit_log.c.detail)
            .where(audit_log.c.action.like("device_token%"))
            .order_by(audit_log.c.seq)
        ).all()  # fmt: skip
    return [(row.username, row.action, row.detail) for row in rows]


def test_a_user_gets_a_token_for_their_password_and_the_issue_is_audited_with_the_device(
    seeded: Engine,
) -> None:
    service, medic = _service(seeded), _principal(seeded, "medic")
    device = "phone\x00" + "x" * 200  # stored cut to 128 characters, NUL written \x00
    issued = service.issue(
        medic, by_login_token=True, username=None, password=DEMO_PASSWORD, device=device,
        address="10.0.0.1", now=NOW,
    )  # fmt: skip
    assert issued.user.username == "medic"
    _, tokens = service.listed(medic, username=None, now=NOW)
    assert [t.device for t in tokens] == ["phone\\x00" + "x" * 119]
    token_id = tokens[0].token_id
    assert _audited(seeded) == [("medic", "device_token_issued", f"{token_id} {tokens[0].device}")]
    service.revoke(medic, token_id, lost=True, now=NOW)
    assert _audited(seeded)[-1] == (
        "medic", "device_token_revoked", f"{token_id} {tokens[0].device} reported lost"
    )  # fmt: skip


def test_refusals_name_their_field_and_issue_nothing(seeded: Engine) -> None:
    service = _service(seeded, attempts=2)
    medic, admin = _principal(seeded, "medic"), _principal(seeded, "admin")
    asks = {"username": None, "device": "phone", "address": "10.0.0.2", "now": NOW}
    with pytest.raises(NotPermitted) as from_device:
        service.issue(medic, by_login_token=False, password=DEMO_PASSWORD, **asks)  # type: ignore[arg-type]
    assert from_device.value.field == "authorization"
    with pytest.raises(PasswordRefused, match="give your password"):
        service.issue(medic, by_login_token=True, password=None, **asks)  # type: ignore[arg-type]
    for _ in range(2):
        with pytest.raises(PasswordRefused, match="wrong password"):
            service.issue(medic, by_login_token=True, password="not it", **asks)  # type: ignore[arg-type]
    with pytest.raises(PasswordLocked) as locked:
        service.issue(medic, by_login_token=True, password=DEMO_PASSWORD, **asks)  # type: ignore[arg-type]
    assert locked.value.retry_after >= 1
    with pytest.raises(NotPermitted, match="only an administrator"):
        service.listed(medic, username="coordinator", now=NOW)
    # An administrator names another user: no password of theirs is asked.
    issued = service.issue(
        admin, by_login_token=True, username="coordinator", password=None, device="laptop",
        address="10.0.0.3", now=NOW,
    )  # fmt: skip
    assert issued.user.username == "coordinator"
    _, tokens = service.listed(admin, username="coordinator", now=NOW)
    with pytest.raises(NoSuchDeviceToken):
        service.revoke(medic, tokens[0].token_id, lost=False, now=NOW)
    assert [action for _, action, _ in _audited(seeded)] == ["device_token_issued"]
