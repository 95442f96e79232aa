"""The SMS webhook: a medic's 9-line + MIST received as SMS by an Android SMS gateway.

The gateway is SMS Gateway for Android (capcom6/android-sms-gateway, Apache-2.0), registered for
its ``sms:received`` event with this URL. It signs each request: ``X-Signature`` is the hex
HMAC-SHA256, under the signing key set in the app, of the raw body followed by ``X-Timestamp``
(Unix seconds). The server checks both against ``GOLDENHOUR_SMS_GATEWAY_SECRET`` and refuses a
timestamp further than ``GOLDENHOUR_SMS_SIGNATURE_TOLERANCE_SECONDS`` from its clock (replays).

Who the SMS speaks for is the sender's number, mapped to a user by the administrator
(``GOLDENHOUR_SMS_SENDERS``): the events are filed as that user, in that user's unit and with
that user's role, through the same ingest as ``POST /api/v1/events``, and each receipt is
audited. The answer names what did not decode when the text is not a request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from goldenhour.api.deps import StateDep
from goldenhour.api.errors import Responses, refusal
from goldenhour.api.routes.events import batch_answer
from goldenhour.api.schemas import BatchPublic
from goldenhour.api.state import AppState
from goldenhour.domain.errors import ValidationError as DomainValidationError
from goldenhour.services.sms import IncomingSms, UnknownSender, receive_sms
from goldenhour.services.sync import Outcome

router = APIRouter(prefix="/api/v1/sms", tags=["sms"])
_log = logging.getLogger(__name__)


class ReceivedSms(BaseModel):
    """The ``payload`` of the gateway's ``sms:received`` event."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    message: str = Field(max_length=16_000)
    phone_number: str = Field(alias="phoneNumber", min_length=1, max_length=64)
    received_at: datetime = Field(alias="receivedAt")
    message_id: str | None = Field(default=None, alias="messageId", max_length=256)


class GatewayEvent(BaseModel):
    """The gateway's webhook body: which event, from which device, and its payload."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    event: str
    device_id: str | None = Field(default=None, alias="deviceId", max_length=256)
    payload: dict[str, Any]


_RESPONSES: Responses = {
    401: refusal(
        "No X-Signature/X-Timestamp, a signature that does not match the body, or a timestamp "
        "too far from the server's clock",
        {"Bad signature": ("x-signature", "does not match the body signed with the gateway key")},
    ),
    403: refusal(
        "The sender's number is not mapped to an enabled user (GOLDENHOUR_SMS_SENDERS)",
        {"Unknown sender": ("phoneNumber", "+380000000000 is not a number this server knows")},
    ),
    422: refusal(
        "The body is not a gateway event, or the SMS is not a Golden Hour request; the field "
        "names what did not decode, and nothing was stored",
        {"Garbled SMS": ("checksum", "does not match: the text is corrupted or truncated")},
    ),
    503: refusal(
        "The server has no gateway signing key (GOLDENHOUR_SMS_GATEWAY_SECRET)",
        {"Not set up": ("sms", "the SMS gateway is not set up on this server")},
    ),
}


def _refuse(code: int, field: str, reason: str) -> HTTPException:
    return HTTPException(status_code=code, detail=[{"field": field, "reason": reason}])


def signature_matches(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    """Return whether ``signature`` is the gateway's hex HMAC-SHA256 of body + timestamp."""
    expected = hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


@router.post(
    "/gateway",
    response_model=BatchPublic,
    responses=_RESPONSES,
    # The body is read raw (the signature covers its bytes), and documented here.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": GatewayEvent.model_json_schema()}},
        }
    },
)
async def receive_from_gateway(
    request: Request,
    state: StateDep,
    x_signature: Annotated[str | None, Header()] = None,
    x_timestamp: Annotated[str | None, Header()] = None,
) -> BatchPublic:
    """File the request and casualties of an SMS the gateway received; answer per event.

    The same SMS received twice is stored once (its events are answered ``duplicate``).
    """
    body = await request.body()
    # Storing and auditing block on the database: off the event loop.
    return await run_in_threadpool(_receive, state, body, x_signature, x_timestamp)


def _receive(
    state: AppState, body: bytes, x_signature: str | None, x_timestamp: str | None
) -> BatchPublic:
    settings = state.settings
    if not settings.sms_gateway_secret:
        raise _refuse(503, "sms", "the SMS gateway is not set up on this server")
    now = datetime.now(UTC)
    _check_signature(settings.sms_gateway_secret, body, x_signature, x_timestamp, now=now,
                     tolerance=settings.sms_signature_tolerance_seconds)  # fmt: skip
    sms = _received(body)
    try:
        _, results = receive_sms(
            state.sms, state.log, state.records, state.tokens, state.audits,
            IncomingSms(sender=sms.phone_number, text=sms.message, received_at=sms.received_at),
            senders=settings.sms_senders, now=now,
            max_skew=timedelta(minutes=settings.clock_skew_minutes),
            earliest=settings.earliest_event_date,
        )  # fmt: skip
    except UnknownSender as unknown:
        _log.warning("SMS from an unknown number refused: %s", unknown.number)
        raise _refuse(403, "phoneNumber", str(unknown)) from None
    except DomainValidationError as error:  # CompactError is one
        raise _refuse(422, error.field, error.reason) from None
    if any(result.outcome is Outcome.ACCEPTED for result in results):
        state.notifier.notify()
    return batch_answer(results)


def _check_signature(
    secret: str, body: bytes, signature: str | None, timestamp: str | None, *,
    now: datetime, tolerance: int,
) -> None:  # fmt: skip
    if not signature or not timestamp:
        raise _refuse(401, "x-signature", "X-Signature and X-Timestamp are required")
    try:
        signed_at = int(timestamp)
    except ValueError:
        raise _refuse(401, "x-timestamp", f"{timestamp[:40]!r} is not Unix seconds") from None
    if abs(now.timestamp() - signed_at) > tolerance:
        raise _refuse(401, "x-timestamp", f"more than {tolerance} s from the server's clock")
    if not signature_matches(secret, body, timestamp, signature):
        _log.warning("SMS webhook with a bad signature refused")
        raise _refuse(401, "x-signature", "does not match the body signed with the gateway key")


def _received(body: bytes) -> ReceivedSms:
    try:
        gateway = GatewayEvent.model_validate(json.loads(body))
    except (ValueError, ValidationError) as error:
        raise _refuse(422, "body", f"not a gateway event: {str(error)[:200]}") from None
    if gateway.event != "sms:received":
        raise _refuse(422, "event", f"{gateway.event[:40]!r} is not sms:received")
    try:
        return ReceivedSms.model_validate(gateway.payload)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in ("payload", *first["loc"]))
        raise _refuse(422, field, first["msg"]) from None
