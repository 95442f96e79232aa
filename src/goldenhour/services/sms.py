"""An SMS received by the gateway: who it speaks for, its events filed, each receipt audited.

The text form of the 9-line + MIST is an adapter's (``adapters.radio``); the SMS webhook
(``POST /api/v1/sms/gateway``) checks the gateway's signature, reads the body and hands the SMS
to ``receive_sms`` with the ``SmsCodec`` the wiring builds (``api.app``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from uuid import UUID

from goldenhour.domain.access import Principal
from goldenhour.domain.codec import encode_event
from goldenhour.domain.errors import GoldenHourError, ValidationError
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.ports import AuditEntry, AuditRecorder, EventLog, RecordReader, TokenStore
from goldenhour.services.sync import Outcome, SubmissionResult, submit_events

__all__ = ["IncomingSms", "SmsCodec", "UnknownSender", "receive_sms"]


class UnknownSender(GoldenHourError, PermissionError):
    """The sender's number is not mapped to an enabled user (``GOLDENHOUR_SMS_SENDERS``)."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"{number} is not a number this server knows")


class SmsCodec(Protocol):
    """Reads an SMS's text into the events it stands for."""

    def message_key(self, sender: str, text: str) -> str:
        """Return the key of one SMS: the same text from the same sender has the same key."""
        ...

    def request_id(self, key: str) -> UUID:
        """Return the id of the request the SMS of ``key`` files."""
        ...

    def events(
        self, text: str, *, key: str, sender: str, author: str, unit_id: UUID,
        received_at: datetime,
    ) -> list[DomainEvent]:  # fmt: skip
        """Return the casualty events, then the filed request, that the text stands for.

        Raises ``ValidationError`` naming the field when the text is not a request.
        """
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingSms:
    """One SMS as the gateway reported it: the sender's number, its text, when it came."""

    sender: str
    text: str
    received_at: datetime


def receive_sms(
    codec: SmsCodec, log: EventLog, records: RecordReader, tokens: TokenStore,
    audits: AuditRecorder, sms: IncomingSms, *, senders: Mapping[str, str], now: datetime,
    max_skew: timedelta, earliest: datetime,
) -> tuple[Principal, Sequence[SubmissionResult]]:  # fmt: skip
    """File the SMS's events as the user its number maps to; return that user and each answer.

    Raises ``UnknownSender`` (audited with no user, so an administrator sees who tried) when the
    number is nobody's, and ``ValidationError`` (audited as ``sms_refused``) when the text is not
    a request; nothing is stored then. The same SMS again is dated as when it first came, so it
    makes the very same events and is stored once.
    """
    username = senders.get(sms.sender)
    device = f"sms:{sms.sender}"
    principal = tokens.principal_of_user(username, device=device) if username is not None else None
    if principal is None:
        audits.record(
            AuditEntry(
                at=now,
                user_id=None,
                username="(unknown sender)",
                role="none",
                unit_id=None,
                device=device[:128],
                action="sms_refused",
                target_kind="request",
                target_id="sms",
                detail=f"{sms.sender}: not mapped to a user"[:4000],
            )  # fmt: skip
        )
        raise UnknownSender(sms.sender)
    try:
        key = codec.message_key(sms.sender, sms.text)
        stored = records.stream_events("request", codec.request_id(key))
        received_at = stored[0].recorded_at if stored else min(sms.received_at.astimezone(UTC), now)
        events = codec.events(
            sms.text, key=key, sender=sms.sender, author=principal.username,
            unit_id=principal.unit_id, received_at=received_at,
        )  # fmt: skip
    except ValidationError as error:  # the codec's CompactError is one
        _audit(audits, principal, now, "sms_refused", f"{sms.sender}: {error.field}")
        raise
    results = submit_events(
        log, principal, [encode_event(event) for event in events], now=now, max_skew=max_skew,
        earliest=earliest,
    )  # fmt: skip
    accepted = sum(r.outcome is Outcome.ACCEPTED for r in results)
    duplicates = sum(r.outcome is Outcome.DUPLICATE for r in results)
    _audit(
        audits, principal, now, "sms_received",
        f"{sms.sender}: {accepted} accepted, {duplicates} duplicate, "
        f"{len(results) - accepted - duplicates} refused",
    )  # fmt: skip
    return principal, results


def _audit(
    audits: AuditRecorder, principal: Principal, now: datetime, action: str, detail: str
) -> None:
    audits.record(
        AuditEntry(
            at=now,
            user_id=principal.user_id,
            username=principal.username,
            role=principal.role.value,
            unit_id=principal.unit_id,
            device=principal.device,
            action=action,
            target_kind="request",
            target_id="sms",
            detail=detail[:4000],
        )  # fmt: skip
    )
