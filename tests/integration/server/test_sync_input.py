"""What an arriving event may hold: its text, its dates, its author; and the stream's cursor.

Control characters (other than tab, line feed, carriage return) and dates before the server's
floor are refused naming the field; the author recorded is who the token speaks for. On SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from demo_login import DEMO_PASSWORD
from goldenhour.adapters.passwords import hash_password
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.queries import user_by_name
from goldenhour.adapters.storage.tables import audit_log, events
from goldenhour.adapters.storage.tokens import issue_token
from goldenhour.api.app import create_app
from goldenhour.config import Settings
from goldenhour.demo.scenario import DEMO_USERS
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services.admin import add_user

from postgres import free_port

Login = Callable[[str], dict[str, str]]


def _registration(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "kind": "casualty_registered", "event_id": str(uuid4()), "casualty_id": str(uuid4()),
        "occurred_at": now, "recorded_at": now, "author": "medic", "device": "medic-phone",
        **changes,
    }  # fmt: skip


def _note(casualty_id: str, **changes: Any) -> dict[str, Any]:
    return _registration(kind="note_added", casualty_id=casualty_id, **{"text": "ok", **changes})


def _post(client: TestClient, headers: dict[str, str], *events: dict[str, Any]) -> list[Any]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


class TestControlCharacters:
    @pytest.mark.parametrize("control", ["\x00", "\x1b", "\x07", "\x7f\x1f"])
    def test_a_note_holding_a_control_character_is_refused_naming_the_field(
        self, client: TestClient, login: Login, control: str
    ) -> None:
        """NUL, ESC, BEL, US: refused as invalid, naming ``text``; the registration is stored."""
        registration = _registration()
        note = _note(registration["casualty_id"], text=f"bleeding{control}[31m")
        accepted, refused = _post(client, login("medic"), registration, note)
        assert accepted["outcome"] == "accepted"
        assert (refused["outcome"], refused["field"]) == ("invalid", "text")
        assert "control character" in refused["reason"]

    def test_a_nested_field_is_named_by_its_path(self, client: TestClient, login: Login) -> None:
        """A control character in the identity is refused as ``identity.name_last``."""
        [refused] = _post(client, login("medic"), _registration(identity={"name_last": "Pe\x1b"}))
        assert (refused["outcome"], refused["field"]) == ("invalid", "identity.name_last")

    def test_tab_newline_and_carriage_return_are_text(
        self, client: TestClient, login: Login
    ) -> None:
        """What a keyboard types in a note is kept as typed."""
        registration = _registration()
        note = _note(registration["casualty_id"], text="line 1\r\n\tline 2")
        results = _post(client, login("medic"), registration, note)
        assert [r["outcome"] for r in results] == ["accepted", "accepted"]


class TestEarliestDate:
    def test_an_event_dated_1900_is_refused_naming_the_field(
        self, client: TestClient, login: Login
    ) -> None:
        """``occurred_at`` in 1900 is a device clock never set: refused, naming the field."""
        [refused] = _post(client, login("medic"), _registration(occurred_at="1900-01-01T00:00Z"))
        assert (refused["outcome"], refused["field"]) == ("invalid", "occurred_at")
        assert "2000-01-01" in refused["reason"]

    def test_an_injury_time_before_the_floor_is_refused_naming_it(
        self, client: TestClient, login: Login
    ) -> None:
        """Every date an event carries is held to the floor, not only its own times."""
        early = _registration(injured_at="1999-12-31T23:59:00+00:00")
        [refused] = _post(client, login("medic"), early)
        assert (refused["outcome"], refused["field"]) == ("invalid", "injured_at")

    def test_the_floor_is_a_setting(self, settings: Settings, seeded: Engine, login: Login) -> None:
        """``GOLDENHOUR_EARLIEST_EVENT_DATE`` moves the floor: a week ago is refused below it."""
        floor = datetime.now(UTC) - timedelta(days=1)
        moved = settings.model_copy(update={"earliest_event_date": floor})
        week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat()
        with TestClient(create_app(moved)) as other:
            token = other.post(
                "/api/v1/auth/token",
                data={"username": "medic", "password": "demo-password-for-tests"},
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            [refused] = _post(other, headers, _registration(occurred_at=week_ago))
        assert (refused["outcome"], refused["field"]) == ("invalid", "occurred_at")


def test_the_earliest_date_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The floor is configured like every setting, with the ``GOLDENHOUR_`` prefix."""
    monkeypatch.setenv("GOLDENHOUR_EARLIEST_EVENT_DATE", "2020-02-01T00:00:00Z")
    assert Settings().earliest_event_date == datetime(2020, 2, 1, tzinfo=UTC)


@pytest.fixture
def served(settings: Settings, seeded: Engine) -> Iterator[str]:
    """Serve the app over real HTTP (uvicorn, in a thread): the stream needs a real client."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=free_port(), log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start within 30 s"
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


class TestLastEventId:
    @pytest.mark.parametrize("value", ["abc", "-1", "12.5", "99999999999999999999", "1e3", "0x10"])
    def test_an_unreadable_last_event_id_is_refused_naming_it(
        self, served: str, value: str
    ) -> None:
        """A cursor that is not a log position answers 400 instead of replaying from the start."""
        token = httpx.post(
            f"{served}/api/v1/auth/token",
            data={"username": "medic", "password": "demo-password-for-tests"},
            timeout=60,
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Last-Event-ID": value}
        with (
            httpx.Client(timeout=httpx.Timeout(10.0)) as http,
            http.stream("GET", f"{served}/api/v1/stream", headers=headers) as response,
        ):
            assert response.status_code == 400  # before the fix: 200, streaming from 0
            response.read()
        [item] = response.json()["detail"]
        assert item["field"] == "last-event-id"
        assert "is not a position in the log" in item["reason"]


def _stored(engine: Engine, event_id: str) -> tuple[str, str | None]:
    """Return the author an event was recorded with, and the user whose token sent it."""
    with engine.connect() as connection:
        row = connection.execute(
            select(events.c.payload, events.c.submitted_by).where(events.c.event_id == event_id)
        ).one()
    author: str = json.loads(row.payload)["author"]
    return author, row.submitted_by


def _device_headers(engine: Engine, username: str) -> dict[str, str]:
    """A device token of ``username``'s, as a shared tablet of their unit holds."""
    [user] = [u for u in DEMO_USERS if u.username == username]
    token, _ = issue_token(
        engine, user_id=user.user_id, kind="device", device="platoon-tablet",
        ttl=timedelta(days=1), now=datetime.now(UTC),
    )  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def _user_id(username: str) -> str:
    return str(next(u.user_id for u in DEMO_USERS if u.username == username))


class TestAuthor:
    @pytest.mark.parametrize(("caller", "claimed"), [("medic", "admin"), ("coordinator", "medic")])
    def test_a_persons_login_is_the_author_whatever_the_event_says(
        self, client: TestClient, seeded: Engine, login: Login, caller: str, claimed: str
    ) -> None:
        """A medic's event saying ``"author": "admin"`` is recorded, and shown, as the medic's."""
        event = _registration(author=claimed)
        [result] = _post(client, login(caller), event)
        assert result["outcome"] == "accepted"
        assert (result["field"], result["reason"]) == (
            "author",
            f"recorded as {caller}, who sent it",
        )
        assert _stored(seeded, event["event_id"]) == (caller, _user_id(caller))
        shown = client.get(f"/api/v1/casualties/{event['casualty_id']}", headers=login(caller))
        assert [e["author"] for e in shown.json()["history"]] == [caller]

    def test_a_shared_device_may_name_a_user_of_its_unit_and_that_is_recorded(
        self, client: TestClient, seeded: Engine
    ) -> None:
        """The battalion's tablet names the company medic: the medic is the author, the
        tablet's token holder is who sent it, and the audit entry says the device named him."""
        event = _registration(author="medic")
        [result] = _post(client, _device_headers(seeded, "coordinator"), event)
        assert (result["outcome"], result["field"]) == ("accepted", None)
        assert _stored(seeded, event["event_id"]) == ("medic", _user_id("coordinator"))
        with seeded.connect() as connection:
            details = connection.execute(
                select(audit_log.c.detail, audit_log.c.username).where(
                    audit_log.c.target_id == event["casualty_id"], audit_log.c.action == "write"
                )
            ).all()
        assert [tuple(row) for row in details] == [
            (f"casualty_registered {event['event_id']} by medic, named on coordinator's "
             "shared device", "coordinator")
        ]  # fmt: skip

    @pytest.mark.parametrize("claimed", ["facility", "admin", "nobody-of-that-name"])
    def test_a_shared_device_may_not_name_anyone_outside_its_unit(
        self, client: TestClient, seeded: Engine, claimed: str
    ) -> None:
        """Another unit's user, a user above the unit or no user: the token's holder is recorded."""
        event = _registration(author=claimed)
        [result] = _post(client, _device_headers(seeded, "coordinator"), event)
        assert (result["outcome"], result["field"]) == ("accepted", "author")
        assert _stored(seeded, event["event_id"]) == ("coordinator", _user_id("coordinator"))

    def test_a_retry_of_an_event_recorded_under_another_name_is_a_duplicate(
        self, client: TestClient, login: Login
    ) -> None:
        """The author is decided before the content is compared: a device's retry is safe."""
        event = _registration(author="admin")
        headers = login("medic")
        assert _post(client, headers, event)[0]["outcome"] == "accepted"
        assert _post(client, headers, event)[0]["outcome"] == "duplicate"


class TestHandoff:
    """Issue 13 item 13: entries handed over by QR code from a peer's phone, sent by the peer
    who received them. The author stays who wrote them; the sender is kept beside them (the
    ``submitted_by`` column and the audit entry); the first phone's own upload later is a
    duplicate, not a conflict."""

    @pytest.fixture
    def second_medic(self, seeded: Engine) -> str:
        [medic] = [u for u in DEMO_USERS if u.username == "medic"]
        add_user(
            SqlEventLog(seeded), username="medic2", password_hash=hash_password(DEMO_PASSWORD),
            role=Role.MEDIC, unit_id=medic.unit_id, now=datetime.now(UTC),
        )  # fmt: skip
        return "medic2"

    def test_entries_from_a_peers_phone_keep_their_author_and_name_who_sent_them(
        self, client: TestClient, seeded: Engine, login: Login, second_medic: str
    ) -> None:
        registration = _registration(author="medic", device="medic-phone")
        note = _note(registration["casualty_id"], author="medic", device="medic-phone")
        receipt = _note(registration["casualty_id"], author=second_medic, device="medic2-device",
                        text="Received by QR code from medic")  # fmt: skip
        results = _post(client, login(second_medic), registration, note, receipt)
        assert [(r["outcome"], r["field"]) for r in results] == [("accepted", None)] * 3
        second = _user_id_of(seeded, second_medic)
        assert _stored(seeded, registration["event_id"]) == ("medic", second)
        assert _stored(seeded, note["event_id"]) == ("medic", second)
        assert _stored(seeded, receipt["event_id"]) == (second_medic, second)
        with seeded.connect() as connection:
            details = connection.execute(
                select(audit_log.c.detail, audit_log.c.username)
                .where(
                    audit_log.c.target_id == registration["casualty_id"],
                    audit_log.c.action == "write",
                )
                .order_by(audit_log.c.seq)
            ).all()
        assert [tuple(row) for row in details][:2] == [
            (f"casualty_registered {registration['event_id']} by medic, written on medic-phone "
             "and handed over to medic2", "medic2"),
            (f"note_added {note['event_id']} by medic, written on medic-phone and handed over "
             "to medic2", "medic2"),
        ]  # fmt: skip
        # The first phone comes online: its upload of the same entries changes nothing.
        again = _post(client, login("medic"), registration, note)
        assert [r["outcome"] for r in again] == ["duplicate", "duplicate"]

    @pytest.mark.parametrize(
        ("claimed", "device"),
        [("medic", "medic2-device"), ("coordinator", "coordinator-laptop"), ("admin", "x")],
    )
    def test_only_a_peer_of_the_unit_on_another_phone_is_kept_as_author(
        self, client: TestClient, seeded: Engine, login: Login, second_medic: str,
        claimed: str, device: str,
    ) -> None:  # fmt: skip
        """Written on the sender's own phone, or by someone of another unit: the sender's."""
        event = _registration(author=claimed, device=device)
        [result] = _post(client, login(second_medic), event)
        assert (result["outcome"], result["field"]) == ("accepted", "author")
        assert _stored(seeded, event["event_id"])[0] == second_medic


def _user_id_of(engine: Engine, username: str) -> str:
    user = user_by_name(engine, username)
    assert user is not None
    return str(user.user_id)
