"""Events to and from plain JSON-ready dicts: the wire and storage form of the log.

The form is flat: ``{"kind": "tourniquet_applied", "event_id": "…", "occurred_at": "…Z", …}``.
Times are ISO 8601 with a zone, ids are UUID strings, enums their values, sets sorted lists.
Decoding is strict: an unknown kind or field, a missing field or a value of the wrong type is
refused with an ``EventCodecError`` naming the field; impossible values with ``InvalidEventError``.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, Field, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import TriageAssessed, category_type
from goldenhour.domain.errors import EventCodecError, ValidationError
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.registry import ALL_EVENT_TYPES
from goldenhour.domain.triage.categories import TriageSystem

__all__ = ["decode_event", "encode_card", "encode_event", "encode_value"]


def encode_event(event: DomainEvent) -> dict[str, Any]:
    """Encode an event as a JSON-ready dict, ``kind`` first.

    The dict is the caller's to add keys to; the lists and records inside it are not to be
    changed (an event encoded again right after shares them).
    """
    global _last_encoded
    last = _last_encoded
    if last is not None and last[0] is event:
        return dict(last[1])
    encoded: dict[str, Any] = {"kind": event.kind}
    encoded.update(_encode_fields(event))
    _last_encoded = (event, encoded)
    return dict(encoded)


#: The event encoded last, and its encoding. Ingest encodes each event to hash it, and the log
#: encodes the same event again to store it, right after: the second time is a copy. Events are
#: frozen, so the same object always has the same encoding; the pair is replaced in one step, so
#: a thread that finds another thread's event there simply encodes its own.
_last_encoded: tuple[DomainEvent, dict[str, Any]] | None = None


def _encode_fields(value: Any) -> dict[str, Any]:
    return {name: encode_value(getattr(value, name)) for name in _field_names(type(value))}


def _field_names(dataclass_type: type) -> tuple[str, ...]:
    # Every event of a batch is encoded twice or more: look its fields up once per type.
    names = _FIELD_NAMES.get(dataclass_type)
    if names is None:
        names = _FIELD_NAMES[dataclass_type] = tuple(item.name for item in fields(dataclass_type))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def encode_value(value: Any) -> Any:
    """Encode one field value in its JSON-ready wire form."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset):
        return sorted(encode_value(item) for item in value)
    if isinstance(value, tuple):
        return [encode_value(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _encode_fields(value)
    raise EventCodecError("value", f"{type(value).__name__} cannot be encoded")


def decode_event(data: Any) -> DomainEvent:
    """Decode a dict made by ``encode_event`` (or sent by a device) into an event.

    Raises ``EventCodecError`` for a malformed dict and ``InvalidEventError`` for an impossible
    value; both name the field.

    >>> decode_event({"kind": "note_added", "event_id": "…"})  # doctest: +SKIP
    """
    if not isinstance(data, dict):
        raise EventCodecError("event", f"expected an object, found {type(data).__name__}")
    kind = data.get("kind")
    cls = ALL_EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        allowed = ", ".join(sorted(ALL_EVENT_TYPES))
        raise EventCodecError("kind", f"{kind!r} is not an event kind; allowed: {allowed}")
    body = {key: value for key, value in data.items() if key != "kind"}
    if cls is TriageAssessed:
        return _decode_triage(body)
    event: DomainEvent = _decode_dataclass(cls, body, prefix="")
    return event


def _decode_triage(body: dict[str, Any]) -> DomainEvent:
    system = _decode_value("system", body.get("system"), TriageSystem)
    categories = category_type(system)
    overrides = {"category": categories, "suggested": categories | None}
    event: DomainEvent = _decode_dataclass(TriageAssessed, body, prefix="", overrides=overrides)
    return event


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _decode_dataclass(
    cls: type[Any], body: Any, *, prefix: str, overrides: dict[str, Any] | None = None
) -> Any:
    if not isinstance(body, dict):
        raise EventCodecError(prefix.rstrip(".") or "event", "expected an object")
    known = _fields_by_name(cls)
    if not body.keys() <= known.keys():
        unknown = sorted(str(key) for key in set(body) - set(known))
        raise EventCodecError(prefix + unknown[0], f"unknown field in {_kind_of(cls)}")
    hints = _hints(cls)
    arguments: dict[str, Any] = {}
    for name, item in known.items():
        path = prefix + name
        if name not in body:
            if item.default is MISSING and item.default_factory is MISSING:
                raise EventCodecError(path, f"is required in {_kind_of(cls)}")
            continue
        target = (overrides or {}).get(name, hints[name])
        arguments[name] = _decode_value(path, body[name], target)
    try:
        return cls(**arguments)
    except ValidationError:
        raise
    except (TypeError, ValueError) as error:
        raise EventCodecError(prefix.rstrip(".") or "event", str(error)) from error


def _fields_by_name(cls: type) -> dict[str, Field[Any]]:
    # Looked up once per type: ``dataclasses.fields`` builds its answer anew on every call.
    found = _FIELDS_BY_NAME.get(cls)
    if found is None:
        found = _FIELDS_BY_NAME[cls] = {item.name: item for item in fields(cls)}
    return found


_FIELDS_BY_NAME: dict[type, dict[str, Field[Any]]] = {}


def _kind_of(cls: type) -> str:
    return str(getattr(cls, "kind", cls.__name__))


def _decode_value(path: str, raw: Any, target: Any) -> Any:
    origin = typing.get_origin(target)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(target)
        if raw is None:
            if type(None) in options:
                return None
            raise EventCodecError(path, "may not be null")
        errors: list[EventCodecError] = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _decode_value(path, raw, option)
            except EventCodecError as error:
                errors.append(error)
        raise errors[0] if len(errors) == 1 else EventCodecError(path, f"{raw!r} is not valid")
    if origin is tuple:
        item_type = typing.get_args(target)[0]
        if not isinstance(raw, list):
            raise EventCodecError(path, f"expected a list, found {type(raw).__name__}")
        return tuple(_decode_value(f"{path}[{i}]", item, item_type) for i, item in enumerate(raw))
    if origin is frozenset:
        (item_type,) = typing.get_args(target)
        if not isinstance(raw, list):
            raise EventCodecError(path, f"expected a list, found {type(raw).__name__}")
        return frozenset(
            _decode_value(f"{path}[{i}]", item, item_type) for i, item in enumerate(raw)
        )
    return _decode_scalar(path, raw, target)


def _decode_scalar(path: str, raw: Any, target: Any) -> Any:
    if raw is None:
        raise EventCodecError(path, "may not be null")
    if isinstance(target, type) and issubclass(target, Enum):
        try:
            return target(raw)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in target)
            raise EventCodecError(path, f"{raw!r} is not one of: {allowed}") from None
    if target is UUID:
        if not isinstance(raw, str):
            raise EventCodecError(path, f"expected a UUID string, found {type(raw).__name__}")
        try:
            return UUID(raw)
        except ValueError:
            raise EventCodecError(path, f"{raw!r} is not a UUID") from None
    if target is datetime or target is date:
        return _decode_time(path, raw, target)
    if target is bool:
        if not isinstance(raw, bool):
            raise EventCodecError(path, f"expected true or false, found {raw!r}")
        return raw
    if target is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise EventCodecError(path, f"expected a whole number, found {raw!r}")
        return raw
    if target is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise EventCodecError(path, f"expected a number, found {raw!r}")
        return float(raw)
    if target is str:
        if not isinstance(raw, str):
            raise EventCodecError(path, f"expected text, found {type(raw).__name__}")
        return raw
    if isinstance(target, type) and is_dataclass(target):
        return _decode_dataclass(target, raw, prefix=path + ".")
    raise EventCodecError(path, f"cannot decode into {target!r}")


def _decode_time(path: str, raw: Any, target: type) -> Any:
    if not isinstance(raw, str):
        raise EventCodecError(path, f"expected an ISO 8601 string, found {type(raw).__name__}")
    try:
        if target is date:
            return date.fromisoformat(raw)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise EventCodecError(path, f"{raw!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise EventCodecError(path, f"{raw!r} has no time zone; add Z or an offset")
    return moment


def encode_card(card: Card) -> dict[str, Any]:
    """Encode a derived card as a JSON-ready dict (events inside it in their wire form)."""
    encoded: dict[str, Any] = {}
    for item in fields(card):
        value = getattr(card, item.name)
        if item.name == "triage":
            encoded[item.name] = {system.value: encode_event(e) for system, e in value.items()}
        elif isinstance(value, tuple):
            encoded[item.name] = [
                encode_event(v) if isinstance(v, DomainEvent) else encode_value(v) for v in value
            ]
        elif isinstance(value, DomainEvent):
            encoded[item.name] = encode_event(value)
        else:
            encoded[item.name] = encode_value(value)
    encoded["status"] = card.status.value
    encoded["mechanisms"] = sorted(m.value for m in card.mechanisms)
    encoded["lesion_types"] = sorted(t.value for t in card.lesion_types)
    return encoded
