"""Live updates as Server-Sent Events: resume with ``Last-Event-ID`` and miss nothing.

Each event is sent with ``id:`` set to its place in the log, so a client that reconnects with
``Last-Event-ID`` (browsers do this themselves) gets exactly the events after it, in order,
narrowed to what it may see.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse

from goldenhour.api.deps import CredentialDep, StateDep, StreamCredentialDep, audit_read
from goldenhour.api.errors import UNAUTHORISED, refusal
from goldenhour.api.schemas import MAX_SEQ, StreamTicketPublic
from goldenhour.api.state import AppState
from goldenhour.domain.ports import Credential, StoredEvent, TokenRefusal

router = APIRouter(prefix="/api/v1", tags=["live"])

#: How often a stream looks at the log even without a wake-up (events written by another
#: process, e.g. a second server on the same PostgreSQL).
POLL_SECONDS = 0.5
#: A comment line this often keeps proxies and phones from closing an idle stream.
KEEPALIVE_SECONDS = 15.0
_PAGE = 500
#: The last event of a stream whose token or user no longer stands.
SESSION_ENDED = "session_ended"


@dataclass(frozen=True, slots=True)
class _Page:
    """What a stream delivers next: events and the cursor after them, or why it ends."""

    events: Sequence[StoredEvent] = ()
    cursor: int = 0
    ended: TokenRefusal | None = None
    credential: Credential | None = None


def _next_page(state: AppState, credential: Credential, cursor: int, *, recheck: bool) -> _Page:
    """Read the next page; re-check the token before delivering anything, or when due."""
    principal = credential.principal
    found, next_cursor = state.records.events_visible_after(principal, after=cursor, limit=_PAGE)
    if found or recheck:
        checked = state.tokens.check(credential.token_id, now=datetime.now(UTC))
        if not isinstance(checked, Credential):
            return _Page(ended=checked)
        credential = checked
        if checked.principal != principal:  # moved to another unit or role: read as they are now
            principal = checked.principal
            found, next_cursor = state.records.events_visible_after(
                principal, after=cursor, limit=_PAGE
            )
    casualties = sorted({str(e.stream_id) for e in found if e.stream == "casualty"})
    if casualties:
        audit_read(
            state, principal, target_kind="casualty", target_id=f"{len(casualties)} casualties",
            action="stream", detail=" ".join(casualties)[:4000],
        )  # fmt: skip
    return _Page(events=found, cursor=next_cursor, credential=credential)


def _ended(reason: TokenRefusal) -> bytes:
    # A final event the client can tell from a dropped connection: log in again, do not retry.
    data = json.dumps({"reason": reason.value, "action": "log in again"})
    return f"event: {SESSION_ENDED}\ndata: {data}\n\n".encode()


def _not_a_position(text: str) -> str:
    return f"{text[:40]!r} is not a position in the log (a whole number from 0 to {MAX_SEQ})"


def _log_position(last_event_id: str) -> int:
    """Read ``Last-Event-ID`` as a log position, or answer 400 naming the header."""
    text = last_event_id.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_SEQ:
        raise HTTPException(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail=[{"field": "last-event-id", "reason": _not_a_position(text)}],
        )
    return int(text)


async def _events(
    request: Request, state: AppState, credential: Credential, cursor: int
) -> AsyncIterator[bytes]:
    waiter = state.notifier.subscribe()
    idle = 0.0
    recheck_every = state.settings.stream_recheck_seconds
    checked_at = time.monotonic()
    try:
        yield b"retry: 1000\n\n"
        while not await request.is_disconnected():
            waiter.clear()
            recheck = time.monotonic() - checked_at >= recheck_every
            page = await to_thread.run_sync(
                partial(_next_page, state, credential, cursor, recheck=recheck)
            )
            if page.ended is not None:
                yield _ended(page.ended)
                return
            if page.credential is not credential and page.credential is not None:
                credential, checked_at = page.credential, time.monotonic()
            for event in page.events:
                message = {"seq": event.seq, "stream": event.stream,
                           "stream_id": str(event.stream_id), "kind": event.kind,
                           "event": event.payload}  # fmt: skip
                if event.withheld_casualties:
                    message["withheld_casualties"] = event.withheld_casualties
                data = json.dumps(message, ensure_ascii=False)
                yield f"id: {event.seq}\nevent: {event.kind}\ndata: {data}\n\n".encode()
            moved = page.cursor != cursor
            cursor = page.cursor
            if moved:
                idle = 0.0
                continue
            try:
                await asyncio.wait_for(waiter.wait(), timeout=POLL_SECONDS)
            except TimeoutError:
                idle += POLL_SECONDS
                if idle >= KEEPALIVE_SECONDS:
                    idle = 0.0
                    yield b": keepalive\n\n"
    finally:
        state.notifier.unsubscribe(waiter)


@router.post(
    "/stream/ticket",
    response_model=StreamTicketPublic,
    responses={401: UNAUTHORISED},
)
def stream_ticket(state: StateDep, credential: CredentialDep) -> StreamTicketPublic:
    """Get a single-use ticket to open the live stream with ``?ticket=`` (for EventSource).

    The ticket is valid for seconds (``GOLDENHOUR_STREAM_TICKET_SECONDS``) and once; the stream
    it opens lives as long as the token that asked for it.
    """
    ticket, expires = state.tokens.issue_stream_ticket(
        parent=credential, now=datetime.now(UTC),
        ttl=timedelta(seconds=state.settings.stream_ticket_seconds),
    )  # fmt: skip
    return StreamTicketPublic(ticket=ticket, expires_at=expires)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-Sent Events, each with its log position as `id`; a final "
            "`session_ended` event when the token expires or is revoked or its user disabled",
            "content": {
                "text/event-stream": {
                    "schema": {"type": "string"},
                    "example": 'retry: 1000\n\nid: 1042\nevent: tourniquet_applied\ndata: {"seq": '
                    '1042, "stream": "casualty", "stream_id": "7b7d9c1e-1111-4222-8333-'
                    '944455566677", "kind": "tourniquet_applied", "event": {...}}\n\n',
                }
            },
        },
        400: refusal(
            "The `Last-Event-ID` header is not a position in the log (an `id:` this stream "
            "sent): resuming from it would replay or skip events",
            {"Not a log position": ("last-event-id", _not_a_position("abc"))},
        ),
        401: refusal(
            "No valid bearer token or ticket, or a token in the URL",
            {
                "No valid token": ("authorization", "a valid bearer token is required"),
                "Ticket spent": ("ticket", "the ticket is unknown, spent or expired"),
                "Token in the URL": (
                    "access_token",
                    "a token is not accepted in the URL; get a ticket from POST "
                    "/api/v1/stream/ticket",
                ),
            },
            headers=UNAUTHORISED["headers"],
        ),
        422: refusal(
            "The `after` position is out of range",
            {
                "Past the log's range": (
                    "after",
                    "Input should be less than or equal to 9223372036854775807",
                )
            },
        ),
    },
)
async def stream(
    request: Request,
    state: StateDep,
    credential: StreamCredentialDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ, description="Start after this log position")
    ] = None,
) -> StreamingResponse:
    """Stream every event the caller may see as it is stored, from a position in the log.

    Authorise with the bearer header, or with a single-use ``?ticket=`` where the client cannot
    send headers (a browser's ``EventSource``); a token in the URL (``?access_token=``) is
    refused. The token is checked again before each delivery and at least every
    ``GOLDENHOUR_STREAM_RECHECK_SECONDS``: once it has expired or been revoked, or its user is
    disabled, the stream sends a final ``session_ended`` event and closes.
    """
    cursor = after or 0
    if last_event_id is not None and last_event_id.strip():
        cursor = _log_position(last_event_id)
    return StreamingResponse(
        _events(request, state, credential, cursor),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
