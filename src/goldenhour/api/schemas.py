"""Request and response bodies of the API (Pydantic), separate from domain types and tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The largest log position a cursor can name: both engines store it as a signed 64-bit integer,
#: and a larger one must be refused as input, not overflow the database driver (a 500).
MAX_SEQ = 2**63 - 1


class _Strict(BaseModel):
    # An unknown field is refused, not ignored (issue 3).
    model_config = ConfigDict(extra="forbid")


class TokenPublic(_Strict):
    """A bearer token from the OAuth2 password flow."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    username: str
    role: str
    unit_id: str


class DeviceTokenCreate(_Strict):
    """A phone or laptop asking for a long-lived token to sync with while offline."""

    device: str = Field(min_length=1, max_length=128, examples=["medic-phone-07"])


class PrincipalPublic(_Strict):
    """Who the caller is."""

    user_id: str
    username: str
    role: str
    unit_id: str
    facility_id: str | None
    device: str


class EventBatch(_Strict):
    """A batch of events from a device, each as ``goldenhour.domain.codec`` encodes it."""

    events: list[dict[str, Any]] = Field(
        min_length=1,
        examples=[
            [
                {
                    "kind": "tourniquet_applied",
                    "event_id": "2f1d0f52-6c1e-4d7a-9d55-0a1b2c3d4e5f",
                    "casualty_id": "7b7d9c1e-1111-4222-8333-944455566677",
                    "occurred_at": "2022-06-14T12:32:00+00:00",
                    "recorded_at": "2022-06-14T12:33:00+00:00",
                    "author": "medic",
                    "device": "medic-phone-07",
                    "limb": "left_leg",
                    "category": "extremity",
                    "location": "above the knee",
                    "tourniquet_type": "CAT",
                }
            ]
        ],
    )


class SubmissionPublic(_Strict):
    """The answer for one event of a batch."""

    index: int
    event_id: str | None
    outcome: Literal["accepted", "duplicate", "conflict", "invalid", "not_found", "forbidden"]
    seq: int | None = None
    field: str | None = None
    reason: str | None = None


class BatchPublic(_Strict):
    """The answers for a batch, in batch order, with counts."""

    results: list[SubmissionPublic]
    accepted: int
    duplicates: int
    refused: int


class EventPublic(_Strict):
    """One event as the log holds it, with its place in the log."""

    seq: int
    stream: str
    stream_id: str
    kind: str
    event: dict[str, Any]


class EventsPage(_Strict):
    """A page of the log: pass ``next_cursor`` as ``after`` to go on."""

    events: list[EventPublic]
    next_cursor: str
    has_more: bool


class CasualtiesPublic(_Strict):
    """Casualty cards, newest change first."""

    casualties: list[dict[str, Any]]
    count: int


class CardPublic(_Strict):
    """One casualty's card with what is derived from it, and its full history."""

    card: dict[str, Any]
    history: list[dict[str, Any]]


class TextAndData(_Strict):
    """A message in its standard text form and as structured data."""

    text: str
    data: dict[str, Any]


class FeatureCollection(_Strict):
    """A GeoJSON FeatureCollection (RFC 7946)."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[dict[str, Any]]


class MapPublic(_Strict):
    """The operational picture as GeoJSON layers."""

    casualties: FeatureCollection
    vehicles: FeatureCollection
    points: FeatureCollection
    facilities: FeatureCollection
    threats: FeatureCollection


class RecordsPublic(_Strict):
    """Records of one operational stream (vehicles, facilities, requests, missions...)."""

    records: list[dict[str, Any]]
    count: int
