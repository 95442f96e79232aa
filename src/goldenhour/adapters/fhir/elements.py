"""FHIR R4 data types as JSON-ready dicts: instants, codings, references, identifiers, ids."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any
from uuid import UUID, uuid5

from goldenhour.adapters.fhir.terminology import (
    EVENT_IDENTIFIER,
    SNOMED,
    UCUM,
    gh_extension,
    gh_system,
)
from goldenhour.domain.medevac.from_card import label

JSON = dict[str, Any]

#: Namespace of every resource id the export derives (UUID 5), so re-exports reuse the ids.
RESOURCE_NAMESPACE = UUID("0b7e8a52-57c4-5d0e-9a55-6f0d1c3e2b41")


def resource_id(*parts: object) -> str:
    """Return the stable id of a resource made from ``parts`` (event ids, a role name)."""
    return str(uuid5(RESOURCE_NAMESPACE, "/".join(str(part) for part in parts)))


def reference(resource: JSON) -> JSON:
    """Return a reference to a resource of the bundle, by its ``urn:uuid`` full URL."""
    return {"reference": f"urn:uuid:{resource['id']}"}


def instant(moment: datetime) -> str:
    """Return a time as a FHIR instant in UTC (R4 §2.24.0.1: offsets stop at ±14:00)."""
    text = moment.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def coding(system: str, code: str, display: str | None = None) -> JSON:
    """Return a Coding."""
    result: JSON = {"system": system, "code": code}
    if display:
        result["display"] = display
    return result


def snomed(pair: tuple[str, str]) -> JSON:
    """Return a SNOMED CT Coding from ``(code, display)``."""
    return coding(SNOMED, pair[0], pair[1])


def own(system: str, value: Enum | str) -> JSON:
    """Return a Coding in one of Golden Hour's code systems, its display the words of the code."""
    code = value.value if isinstance(value, Enum) else value
    return coding(gh_system(system), str(code), label(str(code)))


def concept(*codings: JSON, text: str | None = None) -> JSON:
    """Return a CodeableConcept with the codings given and a text for people."""
    result: JSON = {}
    if codings:
        result["coding"] = list(codings)
    if text:
        result["text"] = text
    return result


def quantity(value: float, *, unit: str, ucum: str | None) -> JSON:
    """Return a Quantity, UCUM-coded when the unit has a UCUM code."""
    result: JSON = {"value": value}
    if unit.strip():
        result["unit"] = unit
    if ucum is not None:
        result.update(system=UCUM, code=ucum)
    return result


def event_identifier(event_id: UUID) -> JSON:
    """Return the identifier naming the Golden Hour event a resource was made from."""
    return {"system": EVENT_IDENTIFIER, "value": str(event_id)}


def extension(name: str, **value: Any) -> JSON:
    """Return a Golden Hour extension, e.g. ``extension("unit", valueString="A1234")``."""
    return {"url": gh_extension(name), **value}


def actor(name: str) -> JSON:
    """Return a reference to a person known only by name (the event's author)."""
    return {"display": name}


def compact(resource: JSON) -> JSON:
    """Return ``resource`` without the keys whose value is ``None`` or empty (FHIR forbids them)."""
    return {key: value for key, value in resource.items() if value not in (None, [], {}, "")}
