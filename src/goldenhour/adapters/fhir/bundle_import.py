"""A FHIR R4 Bundle made by ``export_bundle`` back into the Golden Hour events it was made from.

The events come from the bundle's history DocumentReference (every event, corrections and
retractions included), so the card folds exactly as before. The structured resources are then
checked against that history: the importer exports the events again and refuses a bundle whose
Golden Hour resources were added, removed or changed, since an edit made to one side only would
otherwise be lost without a word. Server bookkeeping (``meta``, the narrative ``text``) is
ignored.

Everything that is wrong raises ``FhirError`` naming the path (``Bundle.entry[4].resource…``);
JSON is read with the standard library and the bundle's size is limited.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any
from uuid import UUID

from goldenhour.adapters.fhir.errors import FhirError
from goldenhour.adapters.fhir.export import HISTORY_MEDIA_TYPE, export_bundle
from goldenhour.adapters.fhir.terminology import HISTORY_TYPE_CODE, HISTORY_TYPE_SYSTEM
from goldenhour.domain.casualty.card import unique_events
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import decode_event
from goldenhour.domain.errors import EventConflictError, ValidationError

__all__ = ["MAX_BUNDLE_BYTES", "import_bundle", "parse_bundle_json", "read_bundle"]

#: Largest bundle read, in bytes of JSON: a long card is a few hundred kilobytes.
MAX_BUNDLE_BYTES = 16 * 1024 * 1024
#: Bundle types that carry resources (R4 §3.1.0.1 Bundle.type); responses do not.
_CARRYING_TYPES = frozenset({"transaction", "batch", "collection"})
#: What a server may add to a stored resource without changing what it says.
_BOOKKEEPING = frozenset({"meta", "text"})


def read_bundle(data: str | bytes, *, max_bytes: int = MAX_BUNDLE_BYTES) -> list[CasualtyEvent]:
    """Read a bundle's JSON text and return the events it carries; see ``import_bundle``.

    Raises ``FhirError`` for text that is too large, not UTF-8, not JSON, or not such a bundle.

    >>> events = read_bundle(Path("bundle.json").read_bytes())  # doctest: +SKIP
    """
    return import_bundle(parse_bundle_json(data, max_bytes=max_bytes))


def _refuse_constant(name: str) -> Any:
    raise FhirError("Bundle", f"{name} is not a JSON number")


def _parse_json(data: bytes, path: str) -> Any:
    try:
        # FHIR JSON is UTF-8 (R4 §2.6.2); json.loads would guess UTF-16 and -32 from bytes.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FhirError(path, f"not UTF-8: {error.reason}") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise FhirError(path, "JSON nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and integers too long to read
        raise FhirError(path, f"not JSON: {error}") from None
    try:
        # A JSON escape can spell a lone surrogate (\ud800), which is no Unicode character.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise FhirError(path, "holds text that is not valid Unicode (a lone surrogate)") from None
    return value


def parse_bundle_json(data: str | bytes, *, max_bytes: int = MAX_BUNDLE_BYTES) -> Any:
    """Return the JSON value of ``data``; raise ``FhirError`` if too large or not JSON."""
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    except UnicodeEncodeError as error:
        raise FhirError("Bundle", f"not UTF-8 text: {error.reason}") from None
    if len(raw) > max_bytes:
        raise FhirError("Bundle", f"is {len(raw)} bytes; at most {max_bytes} are read")
    return _parse_json(raw, "Bundle")


def import_bundle(bundle: Any) -> list[CasualtyEvent]:
    """Return the events of a Golden Hour FHIR bundle (a parsed JSON value), history order.

    Raises ``FhirError`` naming the path when the value is not a Bundle, has no single Golden
    Hour history document, the history cannot be read, or a structured resource disagrees with
    the history.
    """
    entries = _entries(bundle)
    histories = [
        (index, resource)
        for index, resource in enumerate(entry["resource"] for entry in entries)
        if resource["resourceType"] == "DocumentReference" and _is_history(resource)
    ]
    if len(histories) != 1:
        raise FhirError(
            "Bundle.entry",
            f"expected one Golden Hour event history (DocumentReference typed "
            f"{HISTORY_TYPE_SYSTEM}|{HISTORY_TYPE_CODE}), found {len(histories)}",
        )
    index, document = histories[0]
    events = _history_events(f"Bundle.entry[{index}].resource", document)
    _check_structured(entries, events)
    return events


def _entries(bundle: Any) -> list[dict[str, Any]]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise FhirError("Bundle.resourceType", "expected a JSON object with resourceType Bundle")
    kind = bundle.get("type")
    if not isinstance(kind, str) or kind not in _CARRYING_TYPES:
        allowed = ", ".join(sorted(_CARRYING_TYPES))
        raise FhirError("Bundle.type", f"{kind!r}; allowed: {allowed}")
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        raise FhirError("Bundle.entry", "expected a non-empty list of entries")
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            raise FhirError(f"Bundle.entry[{index}].resource", "expected a resource object")
    return entries


def _is_history(resource: dict[str, Any]) -> bool:
    kind = resource.get("type")
    codings = kind.get("coding") if isinstance(kind, dict) else None
    return isinstance(codings, list) and any(
        isinstance(item, dict)
        and item.get("system") == HISTORY_TYPE_SYSTEM
        and item.get("code") == HISTORY_TYPE_CODE
        for item in codings
    )


def _attachment_data(path: str, document: dict[str, Any]) -> bytes:
    content = document.get("content")
    first = content[0] if isinstance(content, list) and content else None
    attachment = first.get("attachment") if isinstance(first, dict) else None
    where = f"{path}.content[0].attachment"
    if not isinstance(attachment, dict):
        raise FhirError(where, "expected the history as an attachment")
    media = attachment.get("contentType")
    if not isinstance(media, str) or media.split(";")[0].strip() != HISTORY_MEDIA_TYPE:
        raise FhirError(f"{where}.contentType", f"{media!r}; expected {HISTORY_MEDIA_TYPE}")
    data = attachment.get("data")
    if not isinstance(data, str):
        raise FhirError(f"{where}.data", "expected the history inline, in base64")
    try:
        payload = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise FhirError(f"{where}.data", "not base64") from None
    expected_hash = attachment.get("hash")
    if expected_hash is not None:
        actual = base64.b64encode(hashlib.sha1(payload).digest()).decode("ascii")
        if expected_hash != actual:
            raise FhirError(f"{where}.hash", "does not match the data (SHA-1, base64)")
    return payload


def _history_events(path: str, document: dict[str, Any]) -> list[CasualtyEvent]:
    where = f"{path}.content[0].attachment.data"
    raw = _parse_json(_attachment_data(path, document), where)
    if not isinstance(raw, list) or not raw:
        raise FhirError(where, "expected a non-empty JSON list of events")
    events: list[CasualtyEvent] = []
    for index, item in enumerate(raw):
        try:
            event = decode_event(item)
        except ValidationError as error:
            raise FhirError(f"{where}[{index}].{error.field}", error.reason) from error
        if not isinstance(event, CasualtyEvent):
            raise FhirError(f"{where}[{index}].kind", f"{event.kind} is not a casualty event")
        events.append(event)
    casualties: set[UUID] = {event.casualty_id for event in events}
    if len(casualties) != 1:
        raise FhirError(f"{where}", f"events of {len(casualties)} casualties; expected one")
    try:
        unique_events(events)
    except EventConflictError as error:
        raise FhirError(where, f"event {error.event_id} appears with two contents") from error
    return events


def _check_structured(entries: list[dict[str, Any]], events: list[CasualtyEvent]) -> None:
    expected = export_bundle(events, casualty_id=events[0].casualty_id)["entry"]
    wanted = {entry["fullUrl"]: entry for entry in expected}
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        resource = entry["resource"]
        name = f"{resource['resourceType']}/{resource.get('id')}"
        url = entry.get("fullUrl")
        if not isinstance(url, str) or url not in wanted:
            raise FhirError(
                f"Bundle.entry[{index}]", "is not part of this history's export", resource=name
            )
        if url in seen:
            raise FhirError(f"Bundle.entry[{index}]", "appears twice", resource=name)
        want = wanted[url]
        seen.add(url)
        difference = _difference(want["resource"], resource, "resource", top=True)
        if difference is None and "request" in entry:
            difference = _difference(want["request"], entry["request"], "request")
        if difference is not None:
            raise FhirError(
                f"Bundle.entry[{index}].{difference}",
                "differs from the event history the bundle carries",
                resource=name,
            )
    missing = [url for url in wanted if url not in seen]
    if missing:
        first = wanted[missing[0]]["resource"]
        raise FhirError(
            "Bundle.entry",
            f"{len(missing)} resources of this history's export are missing, "
            f"{first['resourceType']}/{first['id']} first",
        )


def _difference(want: Any, got: Any, path: str, *, top: bool = False) -> str | None:
    """Return the path of the first place where ``got`` says something other than ``want``."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return path
        keys = set(want) | set(got)
        if top:
            keys -= _BOOKKEEPING
        for key in sorted(keys, key=str):
            if key not in want or key not in got:
                return f"{path}.{key}"
            found = _difference(want[key], got[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return path
        for index, (a, b) in enumerate(zip(want, got, strict=True)):
            found = _difference(a, b, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(want, bool) or isinstance(got, bool):
        return None if type(want) is type(got) and want == got else path
    if isinstance(want, int | float) and isinstance(got, int | float):
        return None if want == got else path  # JSON writers differ on 500 and 500.0
    return None if type(want) is type(got) and want == got else path
