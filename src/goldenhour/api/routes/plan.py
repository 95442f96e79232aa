"""The evacuation plan for the live situation: what each idle vehicle should do now, and why."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field

from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.errors import UNAUTHORISED, Responses, refusal
from goldenhour.domain.triage.categories import Precedence, StartCategory
from goldenhour.planning.live_situation import PlannedCasualty
from goldenhour.services.live_plan import (
    ServerDeferral,
    ServerExplanation,
    ServerPlan,
    ServerSuggestion,
)
from goldenhour.services.manual_eta import NoEta, manual_eta
from goldenhour.services.plan import NotADispatcher, current_plan

router = APIRouter(prefix="/api/v1", tags=["planning"])

_CATEGORY: dict[StartCategory, Literal["immediate", "delayed", "minor"]] = {
    StartCategory.IMMEDIATE: "immediate",
    StartCategory.DELAYED: "delayed",
    StartCategory.MINOR: "minor",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PositionPublic(_Strict):
    """A WGS84 position in decimal degrees."""

    lat: float
    lon: float


class PlannedCasualtyPublic(_Strict):
    """A casualty a suggestion picks up, as the planner saw them."""

    casualty_id: str
    label: str
    category: Literal["immediate", "delayed", "minor"]
    precedence: Precedence
    request_id: str | None


class ExplanationPublic(_Strict):
    """The facts of a suggestion's reason, for a client to word in its own language."""

    casualty_label: str = Field(
        description="Who of those aboard loses most by waiting: their call sign, else "
        "`casualty` and the first block of their id (as in `reason`)",
        examples=["Lys"],
    )
    tourniquet_min: float | None = Field(
        description="How long their tourniquet has been on, in minutes; null without one",
        examples=[42.0],
    )
    p_now: float = Field(
        description="Their chance of survival if this trip delivers them", examples=[0.031]
    )
    p_later: float = Field(
        description="Their chance of survival if they wait: served after `after_labels`, or "
        "on a later trip when that is empty",
        examples=[0.012],
    )
    after_labels: list[str] = Field(
        description="Who the vehicle's next trip would pick up (call signs or labels) if this "
        "one did not go first; empty when the alternative is a later trip",
        examples=[["Vovk", "casualty 9d1c07e2"]],
    )
    sets_off_in_min: float | None = Field(
        description="Minutes the vehicle waits before it sets off, until the threat areas on "
        "its way and at the pickup are closed; null when it sets off now",
        examples=[25.0],
    )


class SuggestionPublic(_Strict):
    """Send this vehicle for these casualties to this destination, now."""

    vehicle_id: str
    call_sign: str
    casualties: list[PlannedCasualtyPublic]
    request_ids: list[str]
    pickup: PositionPublic
    pickup_point_id: str | None
    destination_id: str
    destination_name: str
    destination_kind: Literal["facility", "exchange_point"]
    depart_at: datetime
    pickup_at: datetime = Field(
        description="When the vehicle is planned to reach its last pickup",
        examples=["2022-06-14T10:46:00+00:00"],
    )
    delivery_at: datetime
    expected_gain: float
    reason: str = Field(
        description="Why, in English: the words of `explanation`, with call signs for ids",
        examples=["KALYNA 21 to Lys first: tourniquet on for 42 min, p falls from 0.031 to "
                  "0.012 if left to a later trip; sets off in 25 min, when the threat areas on "
                  "its way and at the pickup are closed"],
    )  # fmt: skip
    explanation: ExplanationPublic = Field(
        description="The facts of `reason`, for a client to word in its own language"
    )


LeftOutCode = Literal[
    "on_mission", "dead", "expectant", "no_position", "not_registered", "no_vehicle_position",
    "unavailable", "busy_elsewhere", "other",
]  # fmt: skip


class LeftOutPublic(_Strict):
    """A casualty or vehicle the plan did not consider, and why."""

    kind: Literal["casualty", "vehicle"]
    id: str
    reason: str = Field(description="Why, in English")
    code: LeftOutCode = Field(
        default="other",
        description="Why, as a code for a client to word in its own language (`other`: read "
        "`reason`)",
    )


class DeferredPublic(_Strict):
    """A waiting casualty the plan does not collect now, and why (docs/planning.md)."""

    casualty: PlannedCasualtyPublic
    reason: Literal["later_trip", "low_chance", "others_first", "unreachable"] = Field(
        description="later_trip: planned for a vehicle's later trip; low_chance: a trip now "
        "would raise their chance only from p_later to p_now (the plan gives them up for "
        "others; see the server's plan_immediate_floor); others_first: the vehicles go to "
        "casualties who gain more; unreachable: no vehicle can bring them to care within the "
        "plan's horizon"
    )
    vehicle_id: str | None
    call_sign: str | None
    delivery_at: datetime | None
    p_now: float | None
    p_later: float | None
    text: str = Field(description="The reason in English, with call signs for ids")


class PlanPublic(_Strict):
    """The optimiser's current plan for what the caller may see."""

    generated_at: datetime
    horizon_min: float
    method: str
    solve_ms: float
    waiting: int
    idle_vehicles: int
    suggestions: list[SuggestionPublic]
    left_out: list[LeftOutPublic]
    deferred: list[DeferredPublic] = Field(
        default_factory=list, description="Every waiting casualty not collected now, and why"
    )


_EXAMPLE: dict[str, Any] = {
    "generated_at": "2022-06-14T09:40:00+00:00",
    "horizon_min": 480.0,
    "method": "cp-sat optimal",
    "solve_ms": 21.4,
    "waiting": 3,
    "idle_vehicles": 3,
    "suggestions": [
        {
            "vehicle_id": "05f2cc20-3f3b-5f40-bcb2-735e61601196",
            "call_sign": "KALYNA 21",
            "casualties": [
                {"casualty_id": "43350aa3-34c5-5724-973a-aa864727294e", "label": "Lys",
                 "category": "immediate", "precedence": "B",
                 "request_id": "78d42717-5e35-5017-b73e-0e955081c42a"},
            ],
            "request_ids": ["78d42717-5e35-5017-b73e-0e955081c42a"],
            "pickup": {"lat": 48.9172, "lon": 38.2297},
            "pickup_point_id": "70505e5b-6573-527b-b61f-c37f8cd72ee3",
            "destination_id": "998c709b-97da-510a-9fdc-410502557c3f",
            "destination_name": "Sloviansk hospital",
            "destination_kind": "facility",
            "depart_at": "2022-06-14T10:05:00+00:00",
            "pickup_at": "2022-06-14T10:46:00+00:00",
            "delivery_at": "2022-06-14T11:33:00+00:00",
            "expected_gain": 0.028,
            "reason": "KALYNA 21 to Lys first: tourniquet on for 42 min, p falls from 0.031 to "
            "0.012 if left to a later trip; sets off in 25 min, when the threat areas on its "
            "way and at the pickup are closed",
            # No null here: FastAPI leaves out the nulls of an example, and the rest of it
            # would no longer be a valid answer.
            "explanation": {
                "casualty_label": "Lys", "tourniquet_min": 42.0, "p_now": 0.031,
                "p_later": 0.012, "after_labels": [], "sets_off_in_min": 25.0,
            },
        }
    ],
    "left_out": [
        {"kind": "vehicle", "id": "a6a0c1d2-3e4f-5a6b-8c7d-9e0f1a2b3c4d", "reason": "unavailable",
         "code": "unavailable"}
    ],
    "deferred": [],
}  # fmt: skip

_NOT_A_DISPATCHER = ("role", "the plan is for coordinators and administrators")
_RESPONSES: Responses = {
    200: {
        "description": "The plan: one suggestion per idle vehicle sent now (none is an answer)",
        "content": {"application/json": {"example": _EXAMPLE}},
    },
    401: UNAUTHORISED,
    403: refusal(
        "The caller's role does not dispatch vehicles: only coordinators and administrators "
        "get the plan",
        {"A medic, facility clinician or analyst": _NOT_A_DISPATCHER},
    ),
}


@router.get("/plan", response_model=PlanPublic, responses=_RESPONSES)
def get_plan(state: StateDep, principal: PrincipalDep) -> PlanPublic:
    """Return the optimiser's current plan for the casualties and vehicles the caller may see.

    Built from the server's records at the moment of the call (docs/planning.md, "From the
    server"): each suggestion sends an idle vehicle for casualties now, with the destination,
    when it sets off, reaches the pickup and delivers, the expected survivors it gains against
    the alternative, and the reason: in English words, and as facts to word in any language.
    Coordinators and administrators only; the casualty records it reads are audited.
    """
    try:
        plan = current_plan(
            state.records, state.audits, principal, now=datetime.now(UTC),
            immediate_floor=state.settings.plan_immediate_floor,
            deadline_ms=state.settings.plan_deadline_ms,
        )  # fmt: skip
    except NotADispatcher as refused:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=[{"field": refused.field, "reason": refused.reason}],
        ) from None
    return _public(plan)


def _public(plan: ServerPlan) -> PlanPublic:
    return PlanPublic(
        generated_at=plan.generated_at, horizon_min=plan.horizon_min, method=plan.method,
        solve_ms=plan.solve_ms, waiting=plan.waiting, idle_vehicles=plan.idle_vehicles,
        suggestions=[_suggestion(s) for s in plan.suggestions],
        left_out=[
            LeftOutPublic(kind=x.kind, id=x.id, reason=x.reason, code=cast(LeftOutCode, x.code))
            for x in plan.left_out
        ],
        deferred=[_deferred(d) for d in plan.deferred],
    )  # fmt: skip


def _casualty(c: PlannedCasualty) -> PlannedCasualtyPublic:
    return PlannedCasualtyPublic(
        casualty_id=c.casualty_id, label=c.label, category=_CATEGORY[c.category],
        precedence=c.precedence, request_id=c.request_id,
    )  # fmt: skip


def _deferred(d: ServerDeferral) -> DeferredPublic:
    return DeferredPublic(
        casualty=_casualty(d.casualty), reason=d.reason, vehicle_id=d.vehicle_id,
        call_sign=d.call_sign, delivery_at=d.delivery_at, p_now=d.p_now, p_later=d.p_later,
        text=d.text,
    )  # fmt: skip


def _suggestion(s: ServerSuggestion) -> SuggestionPublic:
    return SuggestionPublic(
        vehicle_id=s.vehicle_id, call_sign=s.call_sign,
        casualties=[
            PlannedCasualtyPublic(
                casualty_id=c.casualty_id, label=c.label,
                category=_CATEGORY[c.category], precedence=c.precedence,
                request_id=c.request_id,
            )
            for c in s.casualties
        ],
        request_ids=list(s.request_ids),
        pickup=PositionPublic(lat=s.pickup.lat, lon=s.pickup.lon),
        pickup_point_id=s.pickup_point_id, destination_id=s.destination_id,
        destination_name=s.destination_name,
        destination_kind=s.destination_kind,
        depart_at=s.depart_at, pickup_at=s.pickup_at, delivery_at=s.delivery_at,
        expected_gain=s.expected_gain, reason=s.reason, explanation=_explanation(s.explanation),
    )  # fmt: skip


def _explanation(e: ServerExplanation) -> ExplanationPublic:
    return ExplanationPublic(
        casualty_label=e.casualty_label, tourniquet_min=e.tourniquet_min, p_now=e.p_now,
        p_later=e.p_later, after_labels=list(e.after_labels), sets_off_in_min=e.sets_off_in_min,
    )  # fmt: skip


class EtaPublic(_Strict):
    """A manual assignment's times, as the planner's travel model gives them (editable)."""

    depart_at: datetime = Field(description="When the vehicle sets off for the pickup")
    eta_pickup: datetime = Field(description="When it reaches the request's pickup")
    eta_destination: datetime = Field(description="When it reaches the destination")
    threat_wait_min: float = Field(
        description="Minutes it waits for threat areas on its way or at the pickup to close"
    )


_ETA_RESPONSES: Responses = {
    200: {"description": "The times of the trip if the vehicle is sent now"},
    401: UNAUTHORISED,
    403: _RESPONSES[403],
    404: {
        "description": "The vehicle, request or destination is not one the caller may see, or "
        "the planner cannot use it (no position, unavailable); `detail` names the field",
    },
}


@router.get("/plan/eta", response_model=EtaPublic, responses=_ETA_RESPONSES)
def get_manual_eta(
    state: StateDep,
    principal: PrincipalDep,
    vehicle_id: Annotated[str, Query(max_length=64, description="The vehicle to send")],
    request_id: Annotated[str, Query(max_length=64, description="The request it serves")],
    destination_id: Annotated[
        str, Query(max_length=64, description="The facility or exchange point it goes to")
    ],
) -> EtaPublic:
    """Return the ETAs of a vehicle sent now for a request to a destination.

    The same travel model as the plan's (docs/planning.md, "From the server"): the vehicle free
    now or after its current mission, each leg timed and held back while a threat window is
    open on it. The coordinator's manual assignment fills its ETAs from this and may change
    them. Coordinators and administrators only; no casualty record is read.
    """
    try:
        eta = manual_eta(
            state.records, state.audits, principal, now=datetime.now(UTC),
            vehicle_id=vehicle_id, request_id=request_id, destination_id=destination_id,
        )  # fmt: skip
    except NotADispatcher as refused:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=[{"field": refused.field, "reason": refused.reason}],
        ) from None
    except NoEta as missing:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=[{"field": missing.field, "reason": missing.reason}],
        ) from None
    return EtaPublic(
        depart_at=eta.depart_at, eta_pickup=eta.eta_pickup,
        eta_destination=eta.eta_destination, threat_wait_min=eta.threat_wait_min,
    )  # fmt: skip
