"""Issue 13 item 14: with signal but no data, the medic sends the request by SMS.

The medic's phone is offline (no data); "Send by SMS" gives an ``sms:`` link whose body is the
casualty's 9-line and MIST in the GH1 form, in one GSM-7 SMS. Posted to the server as the
Android SMS gateway posts a received SMS (signed), it files the same 9-line the phone shows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, expect

from conftest import (
    PHONE,
    PICKUP,
    SCREENSHOTS,
    WAIT_MS,
    Server,
    log_in,
    start_server,
    wait_for_service_worker,
)
from goldenhour.domain.medevac.nine_line_text import parse_nine_line

from medic_phone import open_section

KEY = "e2e-gateway-key"
MEDIC_PHONE = "+380501234567"


@pytest.fixture
def sms_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A demo server that knows the gateway's signing key and the medic's number."""
    monkeypatch.setenv("GOLDENHOUR_SMS_GATEWAY_SECRET", KEY)
    monkeypatch.setenv("GOLDENHOUR_SMS_SENDERS", json.dumps({MEDIC_PHONE: "medic"}))
    yield from start_server(tmp_path)


def test_the_medics_sms_decodes_on_the_server_to_the_same_nine_line(
    browser: Browser, sms_server: Server, server: Server
) -> None:
    """New casualty, tourniquet, then "Send by SMS" offline: one SMS, and the server files it."""
    del server  # builds the web app once for the session
    context = browser.new_context(
        base_url=sms_server.url, viewport=PHONE, locale="en-GB", timezone_id="Europe/Kyiv",
        geolocation=PICKUP, permissions=["geolocation"], service_workers="allow",
    )  # fmt: skip
    context.set_default_timeout(WAIT_MS)
    try:
        medic = context.new_page()
        log_in(medic, sms_server, "medic")
        wait_for_service_worker(medic)
        context.set_offline(True)  # signal, but no data
        medic.get_by_test_id("new-casualty").click()
        medic.wait_for_url(re.compile(r"#/medic/[0-9a-f-]{36}$"))
        medic.get_by_test_id("tq-left_leg").click()
        medic.get_by_test_id("tq-at-above_knee").click()
        expect(medic.get_by_test_id("tq-clock")).to_have_count(1)

        open_section(medic, "medevac")
        medic.get_by_test_id("sms-number").fill(MEDIC_PHONE.replace("+380", "+380 "))
        link = medic.get_by_test_id("sms-link")
        expect(link).to_have_attribute("href", re.compile(r"^sms:\+380501234567\?body="))
        expect(medic.get_by_test_id("sms-size")).to_contain_text("GSM-7, 1 SMS")
        medic.get_by_test_id("sms-send").screenshot(
            path=str(SCREENSHOTS / "medic-send-by-sms-phone-en.png")
        )
        href = str(link.get_attribute("href"))
        phone_nine_line = medic.get_by_test_id("nine-line").inner_text()
    finally:
        context.close()

    (body,) = parse_qs(urlsplit(href).query)["body"]
    assert len(body) <= 160 and "TQLL@" in body
    payload = json.dumps({
        "event": "sms:received", "deviceId": "gateway-phone", "id": "e2e-1",
        "payload": {"messageId": "m1", "message": body, "phoneNumber": MEDIC_PHONE,
                    "simNumber": 1, "receivedAt": datetime.now(UTC).isoformat()},
    }).encode()  # fmt: skip
    timestamp = str(int(time.time()))
    signature = hmac.new(KEY.encode(), payload + timestamp.encode(), hashlib.sha256).hexdigest()
    answer = httpx.post(
        f"{sms_server.url}/api/v1/sms/gateway", content=payload,
        headers={"X-Signature": signature, "X-Timestamp": timestamp,
                 "Content-Type": "application/json"}, timeout=60,
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.json()["refused"] == 0

    token = sms_server.token("medic")
    # Every page of the log the medic may read (the demo's weeks of history come first).
    events: list[dict[str, Any]] = []
    after = "0"
    while True:
        page = httpx.get(
            f"{sms_server.url}/api/v1/events", params={"limit": 1000, "after": after},
            headers={"Authorization": f"Bearer {token}"}, timeout=60,
        ).json()  # fmt: skip
        events += page["events"]
        after = page["next_cursor"]
        if not page["has_more"]:
            break
    (filed,) = [
        e["event"] for e in events
        if e["kind"] == "evacuation_request_filed" and e["event"]["device"] == f"sms:{MEDIC_PHONE}"
    ]  # fmt: skip
    assert filed["author"] == "medic"
    assert parse_nine_line(filed["nine_line"]) == parse_nine_line(phone_nine_line)
