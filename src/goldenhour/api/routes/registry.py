"""The trauma registry: its figures and its de-identified export (docs/registry.md).

Analysts and administrators only; every query is audited, refused ones included. The analyst's
figures have cells under 5 casualties suppressed.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import Response
from pydantic import BeforeValidator

from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.errors import UNAUTHORISED, Responses, refusal
from goldenhour.services.registry import (
    EXPORT_COLUMNS,
    NotARegistryReader,
    RegistryQuery,
    RegistryUnitNotFound,
    registry_export,
    registry_summary,
    summary_json,
)

router = APIRouter(prefix="/api/v1/registry", tags=["registry"])

_NOT_A_READER = ("role", "the registry is for analysts and administrators")
_RESPONSES: Responses = {
    401: UNAUTHORISED,
    403: refusal(
        "The caller's role does not read the registry: only analysts and administrators do",
        {"A medic, coordinator or facility clinician": _NOT_A_READER},
    ),
    404: refusal(
        "No such unit, or not one the caller may see (the two are not told apart)",
        {"A unit not yours": ("unit", "no unit 5f0c… that you may see")},
    ),
    422: refusal(
        "A filter is invalid",
        {
            "Unknown population": (
                "population",
                "String should match pattern '^(military|civilian)$'",
            ),
            "Backwards range": ("until", "the end of the time range must be after its start"),
        },
    ),
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _date_time_text(value: object) -> object:
    # Pydantic reads a bare number as Unix seconds; the schema says an ISO 8601 date-time.
    if isinstance(value, str) and not _DATE.match(value):
        raise ValueError("an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z")
    return value


Since = Annotated[
    datetime | None,
    BeforeValidator(_date_time_text),
    Query(description="Injuries from this time (with its zone), included"),
]
Until = Annotated[
    datetime | None,
    BeforeValidator(_date_time_text),
    Query(description="Injuries before this time, excluded"),
]
Unit = Annotated[UUID | None, Query(description="A unit: it and every unit below it")]
Area = Annotated[
    str | None,
    Query(
        pattern="^[0-9A-Za-z]{1,7}$",
        description="A 10 km MGRS square (37UDQ08) or a prefix of one (37UDQ)",
    ),
]
Population = Annotated[
    str | None,
    Query(
        pattern="^(military|civilian)$",
        description="military or civilian (unrecorded matches neither)",
    ),
]


def _query(
    since: datetime | None, until: datetime | None, unit: UUID | None, area: str | None,
    population: str | None,
) -> RegistryQuery:  # fmt: skip
    return RegistryQuery(since=since, until=until, unit_id=unit, area=area, population=population)


def _refused(refused: NotARegistryReader | RegistryUnitNotFound) -> HTTPException:
    code = (
        status.HTTP_403_FORBIDDEN
        if isinstance(refused, NotARegistryReader)
        else status.HTTP_404_NOT_FOUND
    )
    return HTTPException(
        status_code=code, detail=[{"field": refused.field, "reason": refused.reason}]
    )


@router.get("/summary", responses=_RESPONSES)
def get_summary(
    state: StateDep, principal: PrincipalDep, since: Since = None, until: Until = None,
    unit: Unit = None, area: Area = None, population: Population = None,
) -> dict[str, Any]:  # fmt: skip
    """Return the registry's figures over the casualties the filters select.

    Counts (wounded, KIA, DOW, RTD, in care, unknown outcome); CFR, %KIA and %DOW with their
    numerators, denominators and Wilson 95 % intervals; the time-to-care chain as median, p90
    and count per step; tourniquet times; over- and under-triage; mechanisms and body regions;
    counts per day. Every figure says how many records lack its data (`missing`) and the age of
    its newest input (`newest_input_age_s`). Cells under 5 casualties are `null` with
    `suppressed: true` for an analyst.
    """
    try:
        summary = registry_summary(
            state.registry, state.audits, principal,
            _query(since, until, unit, area, population), now=datetime.now(UTC),
        )  # fmt: skip
    except (NotARegistryReader, RegistryUnitNotFound) as refused:
        raise _refused(refused) from None
    return summary_json(summary)


@router.get(
    "/export",
    responses={
        **_RESPONSES,
        200: {"description": "One de-identified line per casualty", "content": {"text/csv": {}}},
    },
    response_class=Response,
)
def get_export(
    state: StateDep, principal: PrincipalDep, since: Since = None, until: Until = None,
    unit: Unit = None, area: Area = None, population: Population = None,
    format: Annotated[str, Query(pattern="^csv$", description="csv")] = "csv",  # noqa: A002
) -> Response:  # fmt: skip
    """Return the de-identified export as CSV (docs/registry.md, "The export").

    No names, service numbers, free text, device or record ids; the 10 km square; minutes from
    the injury; the ISO week; a random key per casualty, the same in every export.
    """
    try:
        lines = registry_export(
            state.registry, state.audits, principal,
            _query(since, until, unit, area, population), now=datetime.now(UTC),
        )  # fmt: skip
    except (NotARegistryReader, RegistryUnitNotFound) as refused:
        raise _refused(refused) from None
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    return Response(
        content=text.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="registry.csv"'},
    )
