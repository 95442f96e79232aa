"""Casualty cards: the list, one card with its history, its tourniquet clocks, 9-line and MIST."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status

from goldenhour.api.deps import PrincipalDep, StateDep, not_found
from goldenhour.api.errors import CASUALTY_NOT_FOUND, UNAUTHORISED, Responses, refusal
from goldenhour.api.schemas import (
    MAX_SEQ,
    CardPublic,
    CasualtiesPublic,
    TextAndData,
    TourniquetsPublic,
)
from goldenhour.api.state import AppState
from goldenhour.domain.access import Principal
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import encode_event, encode_value
from goldenhour.domain.errors import CasualtyNotFoundError, NineLineError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.from_card import mist_from_card, nine_line_from_cards
from goldenhour.domain.medevac.mist import encode_mist
from goldenhour.domain.medevac.nine_line import normalise_free_text, normalise_frequency
from goldenhour.domain.medevac.nine_line_json import nine_line_to_json
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.domain.ports import CardFilter
from goldenhour.services.cards import card_report, list_card_page, pickup_point, read_card

router = APIRouter(prefix="/api/v1/casualties", tags=["casualties"])

_NOT_A_UUID = ("casualty_id", "Input should be a valid UUID, invalid character: found `x` at 0")
#: What every read of one casualty's record may answer besides 200.
RECORD: Responses = {
    401: UNAUTHORISED,
    404: CASUALTY_NOT_FOUND,
    422: refusal("The casualty id is not a UUID", {"Not a UUID": _NOT_A_UUID}),
}
_LIST: Responses = {
    401: UNAUTHORISED,
    422: refusal(
        "A filter is invalid",
        {
            "West east of east": ("bbox", "west <= east within ±180, south <= north within ±90"),
            "Not four numbers": ("bbox", "give four numbers: west,south,east,north"),
            "Unknown status": (
                "status",
                "String should match pattern "
                "'^(at_point_of_injury|awaiting_evacuation|handed_over|closed)$'",
            ),
        },
    ),
}
_NINE_LINE: Responses = {
    **RECORD,
    409: refusal(
        "The card cannot fill a 9-line request yet: no position or pickup point, or no one to "
        "evacuate (the dead are not MEDEVAC patients)",
        {
            "No pickup point": ("pickup", "the card has no position or pickup point yet"),
            "No one to evacuate": (
                "line 3",
                "found 'A0 B0 C0 D0 E0'; allowed: at least one patient in total",
            ),
        },
    ),
    422: refusal(
        "The casualty id is not a UUID, or line 2's frequency or call sign cannot be read",
        {
            "Not a UUID": _NOT_A_UUID,
            "Unreadable frequency": (
                "frequency",
                "found 'channel five'; allowed: a positive number with an optional unit MHZ or "
                "KHZ, e.g. 38.900 MHZ (or a bare channel number such as 5)",
            ),
        },
    ),
}


def bbox_filter(text: str | None) -> tuple[float, float, float, float] | None:
    """Return the ``bbox`` parameter as numbers, or a 422 naming it when it is not four."""
    if text is None:
        return None
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[{"field": "bbox", "reason": "give four numbers: west,south,east,north"}],
        ) from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[
                {"field": "bbox", "reason": "west <= east within ±180, south <= north within ±90"}
            ],
        )
    return west, south, east, north


@router.get("", response_model=CasualtiesPublic, responses=_LIST)
def list_casualties(
    state: StateDep,
    principal: PrincipalDep,
    unit: Annotated[
        UUID | None, Query(description="Only casualties of this unit and below")
    ] = None,
    status_: Annotated[
        str | None,
        Query(
            alias="status", pattern="^(at_point_of_injury|awaiting_evacuation|handed_over|closed)$"
        ),
    ] = None,
    precedence: Annotated[str | None, Query(pattern="^[A-E]$")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    updated_since: Annotated[int | None, Query(ge=0, le=MAX_SEQ, description="Log cursor")] = None,
    before: Annotated[
        int | None,
        Query(ge=0, le=MAX_SEQ, description="Page cursor: the next_cursor of the page before"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> CasualtiesPublic:
    """List the casualties the caller may see, with filters; newest change first, a page at a time
    (``more`` says whether another page follows: ask for it with ``before=next_cursor``)."""
    filters = CardFilter(
        unit_id=unit, status=status_, precedence=precedence, bbox=bbox_filter(bbox),
        updated_since_seq=updated_since, before_seq=before, limit=limit,
    )  # fmt: skip
    page = list_card_page(state.records, state.audits, principal, filters, now=datetime.now(UTC))
    return CasualtiesPublic(
        casualties=page.cards, count=len(page.cards), more=page.more, next_cursor=page.next_cursor
    )


def _card(
    state: AppState, principal: Principal, casualty_id: UUID, action: str
) -> tuple[Card, list[CasualtyEvent]]:
    try:
        found = read_card(
            state.records, state.audits, principal, casualty_id, action=action,
            now=datetime.now(UTC),
        )  # fmt: skip
    except CasualtyNotFoundError:
        raise not_found("casualty", casualty_id) from None
    return found.card, found.history


@router.get("/{casualty_id}", response_model=CardPublic, responses=RECORD)
def get_casualty(state: StateDep, principal: PrincipalDep, casualty_id: UUID) -> CardPublic:
    """Return one card with its tourniquet clocks, triage decisions and full event history."""
    card, history = _card(state, principal, casualty_id, "read")
    return CardPublic(
        card=card_report(card, now=datetime.now(UTC)),
        history=[encode_event(event) for event in history],
    )


@router.get("/{casualty_id}/tourniquets", response_model=TourniquetsPublic, responses=RECORD)
def get_tourniquets(
    state: StateDep, principal: PrincipalDep, casualty_id: UUID
) -> TourniquetsPublic:
    """Return the casualty's tourniquet clocks as of now."""
    card, _ = _card(state, principal, casualty_id, "read_tourniquets")
    report = card_report(card, now=datetime.now(UTC))
    return TourniquetsPublic(
        casualty_id=str(casualty_id), tourniquet_clocks=report["tourniquet_clocks"]
    )


def _pickup(card: Card) -> Position:
    pickup = pickup_point(card)
    if pickup is None:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail=[{"field": "pickup", "reason": "the card has no position or pickup point yet"}],
        )
    return pickup


def _unreadable(parameter: str, error: NineLineError) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        detail=[{"field": parameter, "reason": error.reason}],
    )


def _check_line_2(frequency: str | None, call_sign: str | None) -> None:
    # Checked before the card is read, so that a bad parameter is named as the parameter. An
    # empty one means the server's, as below.
    if frequency:
        try:
            normalise_frequency(frequency)
        except NineLineError as error:
            raise _unreadable("frequency", error) from None
    if call_sign:
        try:
            normalise_free_text(call_sign, line=2, what="call sign")
        except NineLineError as error:
            raise _unreadable("call_sign", error) from None


@router.get("/{casualty_id}/nine-line", response_model=TextAndData, responses=_NINE_LINE)
def get_nine_line(
    state: StateDep,
    principal: PrincipalDep,
    casualty_id: UUID,
    frequency: Annotated[str | None, Query(max_length=32)] = None,
    call_sign: Annotated[str | None, Query(max_length=64)] = None,
) -> TextAndData:
    """Return the casualty's 9-line request, filled from the card, as text and JSON.

    Line 2 is the server's radio net unless ``frequency`` and ``call_sign`` name another.
    """
    _check_line_2(frequency, call_sign)
    card, _ = _card(state, principal, casualty_id, "read_nine_line")
    try:
        request = nine_line_from_cards(
            [card], pickup=_pickup(card),
            frequency=frequency or state.settings.radio_frequency,
            call_sign=call_sign or state.settings.radio_call_sign,
        )  # fmt: skip
    except NineLineError as error:
        # The request was sound; the card cannot make a 9-line (e.g. no one left to evacuate).
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail=[{"field": error.field, "reason": error.reason}],
        ) from None
    return TextAndData(text=encode_nine_line(request), data=nine_line_to_json(request))


@router.get("/{casualty_id}/mist", response_model=TextAndData, responses=RECORD)
def get_mist(state: StateDep, principal: PrincipalDep, casualty_id: UUID) -> TextAndData:
    """Return the casualty's MIST handover as text and JSON."""
    card, _ = _card(state, principal, casualty_id, "read_mist")
    mist = mist_from_card(card, now=datetime.now(UTC))
    data = {name: encode_value(getattr(mist, name)) for name in mist.__dataclass_fields__}
    return TextAndData(text=encode_mist(mist), data=data)
