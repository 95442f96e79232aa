"""The SMS gateway's webhook files a medic's SMS request, on SQLite and PostgreSQL.

The body and headers are those of SMS Gateway for Android (capcom6/android-sms-gateway):
an ``sms:received`` event, signed with X-Signature = hex HMAC-SHA256(key, body + X-Timestamp).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from goldenhour.adapters.radio import CasualtyHandover, CompactMessage, TourniquetTime, encode_sms
from goldenhour.adapters.storage.tables import audit_log
from goldenhour.api.app import create_app
from goldenhour.config import Settings
from goldenhour.domain.casualty.vocabulary import Limb
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line
from goldenhour.domain.triage.categories import NatoCategory

KEY = "gateway-signing-key"
MEDIC_PHONE = "+380501234567"
NINE_LINE = "1 37UDQ4356118531\n2 38.9/KALYNA 21\n3 A1\n4 A\n5 L1A0\n6 E\n7 D\n9 NONE"


@pytest.fixture
def sms_client(settings: Settings, seeded: Engine) -> Iterator[TestClient]:
    """Return a client of a server that knows the gateway key and the medic's number."""
    configured = settings.model_copy(
        update={"sms_gateway_secret": KEY, "sms_senders": {MEDIC_PHONE: "medic"}}
    )
    with TestClient(create_app(configured)) as test_client:
        yield test_client


def sms_text(applied: datetime) -> str:
    """Return the GH1 SMS of one casualty with a tourniquet on the left leg."""
    message = CompactMessage(
        request=parse_nine_line(NINE_LINE, check_totals=False),
        casualties=(
            CasualtyHandover(
                mist=Mist(zap="KA-1234", mechanism=("artillery",)),
                triage=NatoCategory.T1,
                tourniquets=(TourniquetTime(limb=Limb.LEFT_LEG, applied_at=applied),),
            ),
        ),
    )
    return encode_sms(message)


def gateway_body(text: str, *, sender: str = MEDIC_PHONE) -> bytes:
    """Return the gateway's webhook body for an SMS received now."""
    return json.dumps(
        {
            "deviceId": "ffffffffceb0b1db0000018e937c815b",
            "event": "sms:received",
            "id": "Ey6ECgOkVVFjz3CL48B8C",
            "payload": {
                "messageId": "abc123",
                "message": text,
                "phoneNumber": sender,
                "simNumber": 1,
                "receivedAt": datetime.now(UTC).astimezone().isoformat(),
            },
            "webhookId": "wh-1",
        }
    ).encode()


def post(client: TestClient, body: bytes, *, key: str = KEY) -> Any:
    """Post a body as the gateway signs it."""
    timestamp = str(int(datetime.now(UTC).timestamp()))
    signature = hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/sms/gateway",
        content=body,
        headers={"X-Signature": signature, "X-Timestamp": timestamp,
                 "Content-Type": "application/json"},
    )  # fmt: skip


def medic_events(client: TestClient, kind: str) -> list[dict[str, Any]]:
    """Return the events of one kind the medic can read that came by SMS."""
    settings: Settings = client.app.state.goldenhour.settings  # type: ignore[attr-defined]
    token = client.post(
        "/api/v1/auth/token",
        data={"username": "medic", "password": settings.demo_password, "client_id": "phone"},
    ).json()["access_token"]
    page = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).json()
    return [
        e["event"]
        for e in page["events"]
        if e["kind"] == kind and e["event"]["device"].startswith("sms:")
    ]


def audits(engine: Engine) -> list[str]:
    """Return the action of every audit entry, oldest first."""
    with engine.connect() as connection:
        return list(
            connection.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars()
        )


def test_a_signed_sms_files_the_request_and_its_casualty_as_the_mapped_medic(
    sms_client: TestClient, seeded: Engine
) -> None:
    """The 9-line, the casualty and its tourniquet are stored, written by the medic, audited."""
    applied = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=12)
    answer = post(sms_client, gateway_body(sms_text(applied)))
    assert answer.status_code == 200, answer.text
    assert answer.json()["refused"] == 0
    assert answer.json()["accepted"] == len(answer.json()["results"]) >= 5
    (filed,) = medic_events(sms_client, "evacuation_request_filed")
    assert filed["nine_line"] == encode_nine_line(parse_nine_line(NINE_LINE, check_totals=False))
    assert filed["author"] == "medic" and filed["device"] == f"sms:{MEDIC_PHONE}"
    (tourniquet,) = medic_events(sms_client, "tourniquet_applied")
    assert tourniquet["limb"] == "left_leg"
    assert datetime.fromisoformat(tourniquet["occurred_at"]) == applied
    assert "sms_received" in audits(seeded)


def test_the_same_sms_twice_is_stored_once(sms_client: TestClient) -> None:
    """A re-delivered SMS (the gateway retries) is answered duplicate, event by event."""
    text = sms_text(datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5))
    first = post(sms_client, gateway_body(text))
    again = post(sms_client, gateway_body(text))
    assert again.status_code == 200, again.text
    assert again.json()["accepted"] == 0
    assert again.json()["duplicates"] == first.json()["accepted"]
    assert len(medic_events(sms_client, "evacuation_request_filed")) == 1


def test_a_bad_signature_is_refused_and_nothing_is_stored(sms_client: TestClient) -> None:
    """A body signed with another key is answered 401 naming the signature."""
    answer = post(sms_client, gateway_body(sms_text(datetime.now(UTC))), key="not-the-key")
    assert answer.status_code == 401
    assert answer.json()["detail"][0]["field"] == "x-signature"
    assert medic_events(sms_client, "evacuation_request_filed") == []


def test_a_garbled_sms_is_refused_naming_what_did_not_decode(
    sms_client: TestClient, seeded: Engine
) -> None:
    """A changed character breaks the checksum; a checksummed bad line is named by its number."""
    text = sms_text(datetime.now(UTC))
    garbled = text.replace("3 A1", "3 A7")
    answer = post(sms_client, gateway_body(garbled))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "checksum"
    body = "GH1\n1 37UDQ4356118531\n2 38.9/KALYNA 21\n3 A1\n5 LxA0\nZ:KA-1234"
    bad_line = f"{body}\n#{zlib.crc32(body.encode()):08X}"
    answer = post(sms_client, gateway_body(bad_line))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "line 5"
    assert medic_events(sms_client, "evacuation_request_filed") == []
    assert audits(seeded).count("sms_refused") == 2


def test_an_sms_from_an_unknown_number_is_refused(sms_client: TestClient, seeded: Engine) -> None:
    """Only numbers the administrator mapped to a user may file requests; the try is audited."""
    answer = post(sms_client, gateway_body(sms_text(datetime.now(UTC)), sender="+380999999999"))
    assert answer.status_code == 403
    assert answer.json()["detail"][0]["field"] == "phoneNumber"
    assert medic_events(sms_client, "evacuation_request_filed") == []
    assert "sms_refused" in audits(seeded)


def test_without_a_gateway_key_the_webhook_is_not_set_up(client: TestClient) -> None:
    """A server with no signing key refuses every SMS (503) rather than trust one unsigned."""
    answer = post(client, gateway_body(sms_text(datetime.now(UTC))))
    assert answer.status_code == 503
    assert answer.json()["detail"][0]["field"] == "sms"
