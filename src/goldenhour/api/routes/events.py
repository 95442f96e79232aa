"""The sync API: devices and nodes send batches of events and page through what they may see."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from goldenhour.api.deps import PrincipalDep, StateDep, audit_read
from goldenhour.api.errors import (
    UNAUTHORISED,
    UNREADABLE_BODY,
    Responses,
    refusal,
)
from goldenhour.api.schemas import (
    MAX_SEQ,
    BatchPublic,
    EventBatch,
    EventPublic,
    EventsPage,
    FieldProblemPublic,
    SubmissionPublic,
)
from goldenhour.services.sync import Outcome, SubmissionResult, submit_events

router = APIRouter(prefix="/api/v1/events", tags=["sync"])

_POST: Responses = {
    400: UNREADABLE_BODY,
    401: UNAUTHORISED,
    413: refusal(
        "The body is larger than the server allows (`GOLDENHOUR_MAX_BODY_BYTES`), or the batch "
        "has more events than it takes at once (`GOLDENHOUR_MAX_BATCH_EVENTS`); nothing was "
        "stored: send smaller batches",
        {
            "Body over the limit": ("body", "larger than 2000000 bytes"),
            "Too many events": ("events", "at most 1000 events per batch"),
        },
    ),
    422: refusal(
        "The body is not a batch: no events, or a field other than `events`; nothing was "
        "stored. (A bad event inside a good batch, even one that is not an object, is answered "
        "200, with its own outcome, and the others are stored.)",
        {
            "Empty batch": ("events", "List should have at least 1 item after validation, not 0"),
            "Unknown field": ("priority", "Extra inputs are not permitted"),
        },
    ),
    503: refusal(
        "The database failed while storing the batch; nothing was stored: send it again",
        {"Storage fault": ("request", "the database failed; nothing was stored")},
    ),
}
_GET: Responses = {
    401: UNAUTHORISED,
    422: refusal(
        "A query parameter is out of range",
        {
            "Cursor past the log's range": (
                "after",
                "Input should be less than or equal to 9223372036854775807",
            ),
            "Page too long": ("limit", "Input should be less than or equal to 1000"),
        },
    ),
}


@router.post("", response_model=BatchPublic, responses=_POST)
def post_events(state: StateDep, principal: PrincipalDep, batch: EventBatch) -> BatchPublic:
    """Store a batch of events; answer for each: accepted, duplicate, conflict, invalid, ...

    Accepted and duplicate are both safe outcomes to retry on. The answer comes only after the
    batch is durably stored.
    """
    settings = state.settings
    if len(batch.events) > settings.max_batch_events:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=[
                {
                    "field": "events",
                    "reason": f"at most {settings.max_batch_events} events per batch",
                }
            ],
        )
    results = submit_events(
        state.log, principal, batch.events, now=datetime.now(UTC),
        max_skew=timedelta(minutes=settings.clock_skew_minutes),
        earliest=settings.earliest_event_date,
    )  # fmt: skip
    if any(result.outcome is Outcome.ACCEPTED for result in results):
        state.notifier.notify()
    return batch_answer(results)


def batch_answer(results: Sequence[SubmissionResult]) -> BatchPublic:
    """Return the answer to a batch: each event's outcome in batch order, and the counts."""
    public = [
        SubmissionPublic(
            index=r.index,
            event_id=r.event_id,
            outcome=r.outcome.value,
            seq=r.seq,
            field=r.field,
            reason=r.reason,
            fields=[FieldProblemPublic(field=f, reason=why) for f, why in r.problems],
        )  # fmt: skip
        for r in results
    ]
    accepted = sum(r.outcome is Outcome.ACCEPTED for r in results)
    duplicates = sum(r.outcome is Outcome.DUPLICATE for r in results)
    return BatchPublic(
        results=public, accepted=accepted, duplicates=duplicates,
        refused=len(results) - accepted - duplicates,
    )  # fmt: skip


@router.get("", response_model=EventsPage, responses=_GET)
def get_events(
    state: StateDep,
    principal: PrincipalDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_SEQ, description="Cursor: the next_cursor of the last page")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> EventsPage:
    """Page through every event the caller may see, in log order, from a cursor."""
    found, cursor = state.records.events_visible_after(principal, after=after, limit=limit)
    casualties = sorted({str(e.stream_id) for e in found if e.stream == "casualty"})
    if casualties:
        audit_read(
            state, principal, target_kind="casualty", target_id=f"{len(casualties)} casualties",
            action="sync", detail=" ".join(casualties)[:4000],
        )  # fmt: skip
    return EventsPage(
        events=[
            EventPublic(
                seq=e.seq,
                stream=e.stream,
                stream_id=str(e.stream_id),
                kind=e.kind,
                event=e.payload,
                withheld_casualties=e.withheld_casualties or None,
            )  # fmt: skip
            for e in found
        ],
        next_cursor=str(cursor),
        has_more=cursor < state.log.last_seq(),
    )
