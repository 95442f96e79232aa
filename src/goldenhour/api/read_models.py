"""The API's read models: a casualty's card, and each operational stream's record, as served.

They describe the folded states the projections hold (``goldenhour.domain.codec.encode_card``
and ``goldenhour.domain.operations.state``) field by field, made from the domain's own types
(``goldenhour.api.wire``), so that the OpenAPI schema, and the web's types generated from it,
say what a card or a record holds.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from goldenhour.api.wire import TimeText, UuidText, state_model, wire_model, wire_type
from goldenhour.domain.casualty.card import Card, CardStatus
from goldenhour.domain.casualty.vocabulary import LesionType, Mechanism
from goldenhour.domain.operations.state import (
    FacilityState,
    MissionState,
    PointState,
    RequestState,
    ThreatState,
    UnitState,
    VehicleState,
)
from goldenhour.domain.tourniquet.clock import TourniquetAlert
from goldenhour.domain.triage.categories import Precedence

__all__ = [
    "CardListed", "CardReport", "FacilityRecord", "MissionRecord", "PointRecord", "RecordsPage",
    "RequestRecord", "ThreatRecord", "TourniquetClock", "TriageDecision", "UnitRecord",
    "VehicleRecord",
]  # fmt: skip


class _Strict(BaseModel):
    # An unknown field is refused, not ignored: a model names every field it serves.
    model_config = ConfigDict(extra="forbid")


_ALERT: Any = wire_type(TourniquetAlert)


class TourniquetClock(_Strict):
    """A tourniquet's clock as of now: how long it has been on, and when the next alert falls."""

    application_id: UuidText
    limb: str | None
    location: str | None
    applied_at: TimeText
    ended_at: TimeText | None
    elapsed_minutes: int
    alert: _ALERT
    next_alert_at: TimeText | None


class TriageDecision(_Strict):
    """A card's triage in one system: the category that stands, and the device's suggestion."""

    category: str | None
    source: Literal["assessed", "suggested"]
    suggested: str = Field(description='The suggested category\'s code, or "none"')
    rule: str | None
    reason: str | None


#: The card as the log folds it (``goldenhour.domain.codec.encode_card``): its fields, and what
#: is derived from them.
_CARD_FIELDS: dict[str, Any] = {
    "status": (wire_type(CardStatus), ...),
    "mechanisms": (list[wire_type(Mechanism)], Field(default=[])),  # type: ignore[misc]
    "lesion_types": (list[wire_type(LesionType)], Field(default=[])),  # type: ignore[misc]
}
#: One casualty's card with its tourniquet clocks and triage decisions as of now.
CardReport = create_model(
    "CardReport", __base__=wire_model(Card), __doc__="A casualty's card, with what is derived.",
    tourniquet_clocks=(list[TourniquetClock], ...),
    triage_decisions=(dict[str, TriageDecision], ...),
    **_CARD_FIELDS,
)  # fmt: skip
#: A card as the list serves it: the stored card, its last change and its precedence.
CardListed = create_model(
    "CardListed", __base__=wire_model(Card), __doc__="A casualty's card as the list shows it.",
    updated_seq=(int, ...),
    precedence=(wire_type(Precedence | None), Field(default=None)),
    **_CARD_FIELDS,
)  # fmt: skip


_RECORD_SERVED: dict[str, Any] = {
    "id": (UuidText, Field(description="The record's id (its stream's)")),
    "updated_seq": (int, Field(description="The log position of its last change")),
}
#: Each operational stream's record: its folded state (``goldenhour.domain.operations.state``)
#: as served, with its id and last change.
UnitRecord = state_model(UnitState, "UnitRecord", **_RECORD_SERVED)
VehicleRecord = state_model(VehicleState, "VehicleRecord", **_RECORD_SERVED)
FacilityRecord = state_model(FacilityState, "FacilityRecord", **_RECORD_SERVED)
PointRecord = state_model(PointState, "PointRecord", **_RECORD_SERVED)
ThreatRecord = state_model(ThreatState, "ThreatRecord", **_RECORD_SERVED)
MissionRecord = state_model(MissionState, "MissionRecord", **_RECORD_SERVED)
RequestRecord = state_model(
    RequestState, "RequestRecord", **_RECORD_SERVED,
    withheld_casualties=(
        int | None,
        Field(default=None, description="Casualties on the request the caller may not open: "
              "left out of casualty_ids, and counted here"),
    ),
)  # fmt: skip


class RecordsPage(_Strict):
    """Records of one operational stream, oldest change first, a page at a time."""

    count: int
    more: bool = Field(
        default=False, description="More records changed since: ask again with after=next_cursor"
    )
    next_cursor: int | None = Field(
        default=None, description="The next page's ``after``: the last change on this page"
    )
