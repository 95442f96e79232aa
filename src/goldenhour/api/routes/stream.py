"""Live updates as Server-Sent Events: resume with ``Last-Event-ID`` and miss nothing.

Each event is sent with ``id:`` set to its place in the log, so a client that reconnects with
``Last-Event-ID`` (browsers do this themselves) gets exactly the events after it, in order,
narrowed to what it may see.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse

from goldenhour.adapters.storage.queries import events_visible_after
from goldenhour.api.deps import StateDep, StreamPrincipalDep, audit_read
from goldenhour.api.errors import UNAUTHORISED, refusal
from goldenhour.api.schemas import MAX_SEQ
from goldenhour.api.state import AppState
from goldenhour.domain.access import Principal
from goldenhour.domain.ports import StoredEvent

router = APIRouter(prefix="/api/v1", tags=["live"])

#: How often a stream looks at the log even without a wake-up (events written by another
#: process, e.g. a second server on the same PostgreSQL).
POLL_SECONDS = 0.5
#: A comment line this often keeps proxies and phones from closing an idle stream.
KEEPALIVE_SECONDS = 15.0
_PAGE = 500


def _next_page(
    state: AppState, principal: Principal, cursor: int
) -> tuple[Sequence[StoredEvent], int]:
    found, next_cursor = events_visible_after(state.engine, principal, after=cursor, limit=_PAGE)
    casualties = sorted({str(e.stream_id) for e in found if e.stream == "casualty"})
    if casualties:
        audit_read(
            state, principal, target_kind="casualty", target_id=f"{len(casualties)} casualties",
            action="stream", detail=" ".join(casualties)[:4000],
        )  # fmt: skip
    return found, next_cursor


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
    request: Request, state: AppState, principal: Principal, cursor: int
) -> AsyncIterator[bytes]:
    waiter = state.notifier.subscribe()
    idle = 0.0
    try:
        yield b"retry: 1000\n\n"
        while not await request.is_disconnected():
            waiter.clear()
            found, next_cursor = await to_thread.run_sync(_next_page, state, principal, cursor)
            for event in found:
                message = {"seq": event.seq, "stream": event.stream,
                           "stream_id": str(event.stream_id), "kind": event.kind,
                           "event": event.payload}  # fmt: skip
                if event.withheld_casualties:
                    message["withheld_casualties"] = event.withheld_casualties
                data = json.dumps(message, ensure_ascii=False)
                yield f"id: {event.seq}\nevent: {event.kind}\ndata: {data}\n\n".encode()
            moved = next_cursor != cursor
            cursor = next_cursor
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


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-Sent Events, each with its log position as `id`",
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
        401: UNAUTHORISED,
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
    principal: StreamPrincipalDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ, description="Start after this log position")
    ] = None,
) -> StreamingResponse:
    """Stream every event the caller may see as it is stored, from a position in the log.

    Authorise with the bearer header, or with ``?access_token=`` where the client cannot send
    headers (a browser's ``EventSource``).
    """
    cursor = after or 0
    if last_event_id is not None and last_event_id.strip():
        cursor = _log_position(last_event_id)
    return StreamingResponse(
        _events(request, state, principal, cursor),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
