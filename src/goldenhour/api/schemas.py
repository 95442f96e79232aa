"""Request and response bodies of the API (Pydantic), separate from domain types and tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import BaseModel, ConfigDict, Field, create_model

from goldenhour.api.read_models import (
    CardListed,
    CardReport,
    FacilityRecord,
    MissionRecord,
    PointRecord,
    RecordsPage,
    RequestRecord,
    ThreatRecord,
    TourniquetClock,
    UnitRecord,
    VehicleRecord,
)
from goldenhour.api.wire import CasualtyEventWire, UuidText
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import decode_event, encode_card
from goldenhour.domain.operations.state import fold_stream
from goldenhour.services.cards import card_report

#: The largest log position a cursor can name: both engines store it as a signed 64-bit integer,
#: and a larger one must be refused as input, not overflow the database driver (a 500).
MAX_SEQ = 2**63 - 1


#: One story runs through the examples: a medic's phone sends a tourniquet on a casualty's left
#: leg, the server stores it at log position 1042, and the card shows its clock.
_CASUALTY = "7b7d9c1e-1111-4222-8333-944455566677"
_TOURNIQUET = {
    "kind": "tourniquet_applied", "event_id": "2f1d0f52-6c1e-4d7a-9d55-0a1b2c3d4e5f",
    "casualty_id": _CASUALTY, "occurred_at": "2022-06-14T12:32:00+00:00",
    "recorded_at": "2022-06-14T12:33:00+00:00", "author": "medic", "device": "medic-phone-07",
    "limb": "left_leg", "category": "extremity", "location": "above the knee",
    "tourniquet_type": "CAT",
}  # fmt: skip
_STORED_TOURNIQUET = {
    **_TOURNIQUET, "received_at": "2022-06-14T12:40:05.120000+00:00", "supersedes": None
}  # fmt: skip
_CLOCK = {
    "application_id": _TOURNIQUET["event_id"], "limb": "left_leg", "location": "above the knee",
    "applied_at": "2022-06-14T12:32:00+00:00", "ended_at": None, "elapsed_minutes": 38,
    "alert": "ok", "next_alert_at": "2022-06-14T13:32:00+00:00",
}  # fmt: skip
_POINT = {"type": "Point", "coordinates": [38.2297, 48.9172]}
#: The card that one tourniquet makes, as the API serves it 38 minutes later.
_CARD = fold(UUID(_CASUALTY), [cast(CasualtyEvent, decode_event(_STORED_TOURNIQUET))])
_CARD_REPORT = card_report(_CARD, now=datetime(2022, 6, 14, 13, 10, tzinfo=UTC))
_CARD_LISTED = {**encode_card(_CARD), "updated_seq": 1042, "precedence": None}


def _examples(*examples: Any) -> ConfigDict:
    # An unknown field is refused, not ignored (issue 3); examples go into the OpenAPI schema.
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


class _Strict(BaseModel):
    # An unknown field is refused, not ignored (issue 3).
    model_config = ConfigDict(extra="forbid")


class ProblemItem(_Strict):
    """One thing wrong with a request: the field, parameter or header, and why."""

    field: str = Field(
        description="Where: a body field as a path (`events[3].pulse`), a parameter (`bbox`), "
        "a header (`authorization`), or `request` for the request as a whole",
        examples=["events[0].limb"],
    )
    reason: str = Field(description="Why, in plain words", examples=["Field required"])


class Problem(_Strict):
    """A refusal: every 4xx answer, and the 503 of a database fault, has this body."""

    model_config = _examples(
        {"detail": [{"field": "limit", "reason": "Input should be less than or equal to 1000"}]}
    )

    detail: list[ProblemItem]


class TokenPublic(_Strict):
    """A bearer token from the OAuth2 password flow."""

    model_config = _examples(
        {
            "access_token": "olr73leHB7kx2a5PNiEQujOhr9FALfcnJ-4WWGZmOoQ",
            "token_type": "bearer",
            "expires_at": "2022-06-14T20:33:00Z",
            "username": "medic",
            "role": "medic",
            "unit_id": "a0a1b09d-57d3-5e35-b19d-b6730d21b1ac",
        }
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    username: str
    role: str
    unit_id: str


class DeviceTokenCreate(_Strict):
    """A phone or laptop asking for a long-lived token to sync with while offline.

    A user gives their password now; an administrator may name a user of their units instead.
    """

    device: str = Field(min_length=1, max_length=128, examples=["medic-phone-07"])
    password: str | None = Field(
        default=None, max_length=1024, description="The caller's password, given now"
    )
    username: str | None = Field(
        default=None, max_length=64,
        description="Administrators only: the user (of their units) the token is for",
    )  # fmt: skip


_DEVICE_TOKEN = {
    "token_id": "9f2c7d0b5a4e3f1c8b6a2d4e6f8a0c2e4b6d8f0a1c3e5a7b9d1f3e5a7c9b1d3f",
    "username": "medic", "device": "medic-phone-07", "issued_at": "2022-06-14T06:00:00Z",
    "expires_at": "2022-07-14T06:00:00Z", "revoked": False, "lost": False,
}  # fmt: skip


class DeviceTokenPublic(_Strict):
    """A device token as listed: its id (to revoke it by), never the token itself."""

    model_config = _examples(_DEVICE_TOKEN)

    token_id: str
    username: str
    device: str
    issued_at: datetime
    expires_at: datetime
    revoked: bool
    lost: bool = Field(description="Revoked because the phone was reported lost: it wipes itself")


class DeviceTokensPublic(_Strict):
    """A user's device tokens that have not expired."""

    model_config = _examples({"records": [_DEVICE_TOKEN]})

    records: list[DeviceTokenPublic]


class StreamTicketPublic(_Strict):
    """A single-use ticket for ``GET /api/v1/stream?ticket=``, valid for seconds."""

    model_config = _examples(
        {
            "ticket": "pX0n6v4cKk8uJ2b1yY5rQ7wE3tZ9aS0dF4gH6jK8lM",
            "expires_at": "2022-06-14T12:33:30Z",
        }
    )

    ticket: str
    expires_at: datetime


class PrincipalPublic(_Strict):
    """Who the caller is."""

    model_config = _examples(
        {
            "user_id": "2e5f3c1a-8b9d-5c4e-a1f2-3b4c5d6e7f80",
            "username": "medic",
            "role": "medic",
            "unit_id": "a0a1b09d-57d3-5e35-b19d-b6730d21b1ac",
            "facility_id": None,
            "device": "medic-phone-07",
        }
    )

    user_id: str
    username: str
    role: str
    unit_id: str
    facility_id: str | None
    device: str


class EventBatch(_Strict):
    """A batch of events from a device, each as ``goldenhour.domain.codec`` encodes it."""

    #: Items are not checked here: one that is not an event (not even an object) is answered
    #: ``invalid`` on its own, and the others of the batch are stored all the same.
    events: list[Any] = Field(min_length=1, examples=[[_TOURNIQUET]])


class FieldProblemPublic(_Strict):
    """One field of a refused event and why it was refused."""

    model_config = _examples(
        {"field": "pulse", "reason": "400 /min is impossible; allowed 0 to 300 /min"}
    )

    field: str
    reason: str


class SubmissionPublic(_Strict):
    """The answer for one event of a batch.

    ``field`` and ``reason`` say why an event was refused (the first problem found); ``fields``
    lists every field refused, each with its reason, so a form can mark them all at once. On an
    accepted event ``field`` and ``reason`` say that its ``author`` was recorded as the caller
    instead of the name it gave.
    """

    model_config = _examples(
        {"index": 0, "event_id": _TOURNIQUET["event_id"], "outcome": "accepted", "seq": 1042},
        {
            "index": 1,
            "event_id": "c9e1a3f0-5d2b-4c8e-9f71-2a3b4c5d6e7f",
            "outcome": "not_found",
            "field": "request_ids[0]",
            "reason": "no request 0b8f6c52-3e1d-4a7b-9c2e-5f6a7b8c9d0e in your scope",
            "fields": [
                {
                    "field": "request_ids[0]",
                    "reason": "no request 0b8f6c52-3e1d-4a7b-9c2e-5f6a7b8c9d0e in your scope",
                }
            ],
        },
    )

    index: int
    event_id: str | None
    outcome: Literal["accepted", "duplicate", "conflict", "invalid", "not_found", "forbidden"]
    seq: int | None = None
    field: str | None = None
    reason: str | None = None
    fields: list[FieldProblemPublic] = []


class BatchPublic(_Strict):
    """The answers for a batch, in batch order, with counts."""

    model_config = _examples(
        {
            "results": [
                {"index": 0, "event_id": _TOURNIQUET["event_id"], "outcome": "accepted",
                 "seq": 1042, "field": None, "reason": None},
                {"index": 1, "event_id": "8a4d2b6e-0c1f-4e3a-b5d7-9e8f7a6b5c4d",
                 "outcome": "invalid", "seq": None, "field": "pulse",
                 "reason": "400 /min is impossible; allowed 0 to 300 /min"},
            ],
            "accepted": 1,
            "duplicates": 0,
            "refused": 1,
        }
    )  # fmt: skip

    results: list[SubmissionPublic]
    accepted: int
    duplicates: int
    refused: int


class EventPublic(_Strict):
    """One event as the log holds it, with its place in the log."""

    model_config = _examples(
        {
            "seq": 1042,
            "stream": "casualty",
            "stream_id": _CASUALTY,
            "kind": "tourniquet_applied",
            "event": _STORED_TOURNIQUET,
        }
    )

    seq: int
    stream: str
    stream_id: str
    kind: str
    event: dict[str, Any]
    #: A filed request naming casualties the caller may not open: they are left out of the
    #: event's ``casualty_ids``, and counted here.
    withheld_casualties: int | None = None


class EventsPage(_Strict):
    """A page of the log: pass ``next_cursor`` as ``after`` to go on."""

    model_config = _examples(
        {
            "events": [
                {
                    "seq": 1042,
                    "stream": "casualty",
                    "stream_id": _CASUALTY,
                    "kind": "tourniquet_applied",
                    "event": _STORED_TOURNIQUET,
                }
            ],
            "next_cursor": "1042",
            "has_more": False,
        }
    )

    events: list[EventPublic]
    next_cursor: str
    has_more: bool


class CasualtiesPublic(_Strict):
    """Casualty cards, newest change first."""

    model_config = _examples({"casualties": [_CARD_LISTED], "count": 1})

    casualties: list[CardListed]  # type: ignore[valid-type]
    count: int
    more: bool = Field(
        default=False, description="More cards pass the filters: ask again with before=next_cursor"
    )
    next_cursor: int | None = Field(
        default=None, description="The next page's ``before``: the oldest change on this page"
    )


class CardPublic(_Strict):
    """One casualty's card with what is derived from it, and its full history."""

    model_config = _examples({"card": _CARD_REPORT, "history": [_STORED_TOURNIQUET]})

    card: CardReport  # type: ignore[valid-type]
    history: list[CasualtyEventWire]


class TourniquetsPublic(_Strict):
    """A casualty's tourniquet clocks as of now: time on, and when the next alert falls due."""

    model_config = _examples({"casualty_id": _CASUALTY, "tourniquet_clocks": [_CLOCK]})

    casualty_id: UuidText
    tourniquet_clocks: list[TourniquetClock]


class TextAndData(_Strict):
    """A message in its standard text form and as structured data."""

    model_config = _examples(
        {
            "text": "MIST Z: AP4821\nAGE: 34\nTIME: 141230ZJUN22\nM: artillery\n"
            "I: left thigh (front): fragment, vascular\nS: 1245Z P 118 radial RR 24; triage T1\n"
            "T: TQ left leg above the knee 1232Z CAT, on 38 min",
            "data": {
                "zap": "AP4821",
                "age": 34,
                "time_of_injury": "2022-06-14T12:30:00+00:00",
                "mechanism": ["artillery"],
                "injuries": ["left thigh (front): fragment, vascular"],
                "signs": ["1245Z P 118 radial RR 24", "triage T1"],
                "treatment": ["TQ left leg above the knee 1232Z CAT, on 38 min"],
            },
        },
        {
            "text": "LINE 1: 37U DQ 4356 1853\nLINE 2: 38.900 MHZ / GOLDEN HOUR\n"
            "LINE 3: A0 B1 C0 D0 E0\nLINE 4: A\nLINE 5: L1 A0\nLINE 8: A1 B0 C0 D0 E0\n"
            "LINE 9: NONE\n",
            "data": {
                "location": "37UDQ43561853",
                "location_spaced": "37U DQ 4356 1853",
                "frequency": "38.900 MHZ",
                "call_sign": "GOLDEN HOUR",
                "patients_by_precedence": {"A": 0, "B": 1, "C": 0, "D": 0, "E": 0},
                "total_patients": 1,
                "equipment": [{"code": "A", "meaning": "none"}],
                "litter": 1,
                "ambulatory": 0,
                "security": None,
                "marking": None,
                "marking_detail": None,
                "patients_by_nationality": {"A": 1, "B": 0, "C": 0, "D": 0, "E": 0},
                "nbc": [],
                "terrain": None,
            },
        },
    )

    text: str
    data: dict[str, Any]


#: One casualty on the map, as the list and map examples show it.
_CASUALTY_FEATURES: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": _POINT,
            "properties": {
                "id": _CASUALTY, "status": "awaiting_evacuation", "precedence": "B",
                "updated_seq": 1042,
            },
        }
    ],
}  # fmt: skip


class FeatureCollection(_Strict):
    """A GeoJSON FeatureCollection (RFC 7946)."""

    model_config = _examples(_CASUALTY_FEATURES)

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[dict[str, Any]]


class MapPublic(_Strict):
    """The operational picture as GeoJSON layers."""

    model_config = _examples(
        {
            "casualties": _CASUALTY_FEATURES,
            "vehicles": {"type": "FeatureCollection", "features": []},
            "points": {"type": "FeatureCollection", "features": []},
            "facilities": {"type": "FeatureCollection", "features": []},
            "threats": {"type": "FeatureCollection", "features": []},
        }
    )

    casualties: FeatureCollection
    vehicles: FeatureCollection
    points: FeatureCollection
    facilities: FeatureCollection
    threats: FeatureCollection
    more: bool = Field(
        default=False,
        description="More casualties are in the viewport: ask again with before=next_cursor",
    )
    next_cursor: int | None = Field(
        default=None, description="The next page's ``before`` for the casualties layer"
    )
    casualty_cells: list[dict[str, float]] | None = Field(
        default=None,
        description="With zoom: every casualty in the viewport counted per cell (centre, count)",
    )


_UNIT = "a0a1b09d-57d3-5e35-b19d-b6730d21b1ac"
_FILED = {"occurred_at": "2022-06-14T06:00:00+00:00", "recorded_at": "2022-06-14T06:00:00+00:00",
          "author": "coordinator", "device": "coord-laptop-1"}  # fmt: skip


def _record(seq: int, event: dict[str, Any]) -> dict[str, Any]:
    # The example is what the fold really makes of one event: it cannot drift from the model.
    decoded = decode_event({**_FILED, "event_id": str(uuid5(NAMESPACE_URL, str(event))), **event})
    state = fold_stream([decoded])
    return {**state, "id": str(decoded.stream_id), "updated_seq": seq}


_RECORD_EXAMPLES: dict[str, dict[str, Any]] = {
    "unit": _record(
        1,
        {
            "kind": "unit_registered",
            "unit_id": _UNIT,
            "name": "1st Battalion",
            "unit_kind": "battalion",
        },
    ),
    "vehicle": _record(
        2,
        {
            "kind": "vehicle_registered",
            "vehicle_id": "3c9f1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
            "call_sign": "MEDEVAC 21",
            "vehicle_kind": "armoured_evacuation",
            "unit_id": _UNIT,
            "litter": 4,
            "seated": 2,
        },
    ),
    "facility": _record(
        3,
        {
            "kind": "facility_registered",
            "facility_id": "5d6e7f80-1a2b-4c3d-9e4f-5a6b7c8d9e0f",
            "name": "Role 2 Kramatorsk",
            "role": "role_2",
            "capabilities": [],
            "position": {"lat": 48.7389, "lon": 37.5844},
            "unit_id": _UNIT,
        },
    ),
    "point": _record(
        4,
        {
            "kind": "point_registered",
            "point_id": "6e7f8091-2b3c-4d4e-8f5a-6b7c8d9e0f1a",
            "point_kind": "ambulance_exchange",
            "name": "AXP Birch",
            "position": {"lat": 48.85, "lon": 37.9},
            "unit_id": _UNIT,
        },
    ),
    "threat": _record(
        5,
        {
            "kind": "threat_area_drawn",
            "area_id": "7f8091a2-3c4d-4e5f-9a6b-7c8d9e0f1a2b",
            "threat_kind": "shelling",
            "unit_id": _UNIT,
            "starts_at": "2022-06-14T06:00:00+00:00",
            "centre": {"lat": 48.95, "lon": 38.3},
            "radius_m": 3000.0,
        },
    ),
    "request": {
        **_record(
            1043,
            {
                "kind": "evacuation_request_filed",
                "request_id": "78d42717-5e35-5017-b73e-0e955081c42a",
                "unit_id": _UNIT,
                "casualty_ids": [_CASUALTY],
                "pickup": {"lat": 48.9172, "lon": 38.2297},
                "precedence": "B",
            },
        ),
        "withheld_casualties": 0,
    },
    "mission": _record(
        1050,
        {
            "kind": "mission_assigned",
            "mission_id": "8091a2b3-4d5e-4f6a-8b7c-8d9e0f1a2b3c",
            "vehicle_id": "3c9f1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
            "request_ids": ["78d42717-5e35-5017-b73e-0e955081c42a"],
            "destination_id": "5d6e7f80-1a2b-4c3d-9e4f-5a6b7c8d9e0f",
            "unit_id": _UNIT,
        },
    ),
}


def _page(name: str, record: type[BaseModel], doc: str, stream: str) -> type[RecordsPage]:
    example: dict[str, Any] = {"records": [_RECORD_EXAMPLES[stream]], "count": 1}
    config = ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})
    page: type[RecordsPage] = create_model(
        name, __base__=RecordsPage, __doc__=doc, records=(list[record], ...),  # type: ignore[valid-type]
    )  # fmt: skip
    page.model_config = config
    page.model_rebuild(force=True)
    return page


UnitsPublic = _page("UnitsPublic", UnitRecord, "Units of the tree.", "unit")
VehiclesPublic = _page("VehiclesPublic", VehicleRecord, "Vehicles.", "vehicle")
FacilitiesPublic = _page("FacilitiesPublic", FacilityRecord, "Facilities.", "facility")
PointsPublic = _page(
    "PointsPublic", PointRecord, "Pickup points, exchange points, landing zones.", "point"
)
ThreatsPublic = _page("ThreatsPublic", ThreatRecord, "Threat areas.", "threat")
MissionsPublic = _page("MissionsPublic", MissionRecord, "Missions.", "mission")
RequestsPublic = _page("RequestsPublic", RequestRecord, "Evacuation requests.", "request")


# Accounts as an administrator manages them in the web app (issue 17): never a password or hash.
_ROLE = Literal["medic", "coordinator", "facility", "analyst", "admin", "crew"]
_USER = {
    "user_id": "5b8e2a3c-1d4f-4e6a-9b7c-0d2e4f6a8b1c", "username": "medic9", "role": "medic",
    "unit_id": "a0a1b09d-57d3-5e35-b19d-b6730d21b1ac", "facility_id": None, "disabled": False,
}  # fmt: skip


class UserPublic(_Strict):
    """An account as an administrator sees it."""

    model_config = _examples(_USER)

    user_id: str
    username: str
    role: str
    unit_id: str
    facility_id: str | None
    disabled: bool


class UsersPublic(_Strict):
    """Every account, by name."""

    model_config = _examples({"records": [_USER]})

    records: list[UserPublic]


class UserCreate(_Strict):
    """A new account: its name, first password, role and unit (and facility, for clinicians)."""

    model_config = _examples(
        {"username": "medic9", "password": "a-long-passphrase", "role": "medic",
         "unit_id": "a0a1b09d-57d3-5e35-b19d-b6730d21b1ac"}
    )  # fmt: skip

    username: str = Field(min_length=1, max_length=64, pattern=r"^\S+$")
    password: str = Field(min_length=1, max_length=1024)
    role: _ROLE
    unit_id: UUID
    facility_id: UUID | None = None


class UserAssignment(_Strict):
    """A user's role, unit and facility, all restated."""

    model_config = _examples(
        {"role": "coordinator", "unit_id": "a0a1b09d-57d3-5e35-b19d-b6730d21b1ac"}
    )

    role: _ROLE
    unit_id: UUID
    facility_id: UUID | None = None


class PasswordReset(_Strict):
    """The new password an administrator gives a user."""

    model_config = _examples({"password": "another-long-passphrase"})

    password: str = Field(min_length=1, max_length=1024)


class UserDisable(_Strict):
    """Why an account is disabled (optional)."""

    model_config = _examples({"reason": "left the unit"})

    reason: str | None = Field(default=None, max_length=500)


class TokensRevokedPublic(_Strict):
    """How many of the user's tokens were revoked with the change."""

    model_config = _examples({"revoked_tokens": 2})

    revoked_tokens: int


# Forward and rear nodes (issue 15, item 3): the links the coordinator's and facility's views show.


class PeerLinkPublic(_Strict):
    """The link to one other node, and how old the data from it is."""

    model_config = _examples(
        {"node": "fwd1", "link_up": True, "last_contact": "2026-12-07T18:40:02Z",
         "data_age_seconds": 0.0, "events_waiting": 0},
    )  # fmt: skip

    node: str = Field(description="The other node's name", examples=["rear"])
    link_up: bool = Field(description="Whether the leaf link to it is up, as last checked")
    last_contact: datetime | None = Field(
        description="When this server last heard from it: the link last seen up, or the last "
        "event received from it (`null`: not since this server started)"
    )
    data_age_seconds: float | None = Field(
        description="How old the data shown from that node is: 0 while linked, else the "
        "seconds since the last contact (`null`: unknown)"
    )
    events_waiting: int | None = Field(
        description="This node's events the other has not taken yet (`null`: unknown)"
    )


class NodeLinksPublic(_Strict):
    """This server's node and its links to the others (no node: `node` is `null`)."""

    model_config = _examples(
        {
            "node": "fwd1", "role": "forward", "nats_up": True,
            "checked_at": "2026-12-07T18:40:02Z",
            "peers": [
                {"node": "rear", "link_up": False, "last_contact": "2026-12-07T18:31:40Z",
                 "data_age_seconds": 502.0, "events_waiting": 37},
            ],
        },
        {"node": None, "role": None, "nats_up": False, "checked_at": None, "peers": []},
    )  # fmt: skip

    node: str | None
    role: str | None = Field(description="`forward` or `rear`")
    nats_up: bool = Field(description="Whether this node's own nats-server answers")
    checked_at: datetime | None = Field(description="When the links were last checked")
    peers: list[PeerLinkPublic]
