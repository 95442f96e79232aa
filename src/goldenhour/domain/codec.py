"""Events to and from plain JSON-ready dicts: the wire and storage form of the log.

The form is flat: ``{"kind": "tourniquet_applied", "event_id": "…", "occurred_at": "…Z", …}``.
Times are ISO 8601 with a zone, ids are UUID strings, enums their values, sets sorted lists.
Decoding is strict: an unknown kind or field, a missing field or a value of the wrong type is
refused with an ``EventCodecError`` naming the field; impossible values with ``InvalidEventError``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
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

__all__ = ["decode_event", "decode_stored_event", "encode_card", "encode_event", "encode_value"]


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


def decode_stored_event(data: dict[str, Any]) -> DomainEvent:
    """Decode an event the log itself stored, without checking again what was checked at ingest.

    Only for the server's own log: every stored event came in through ``decode_event`` and the
    event's own checks, and the log is append-only. Rebuilding the projections decodes the whole
    log, and the checks (each field's type, then every rule in ``__post_init__``) were most of
    that time. The fields are converted as ``decode_event`` converts them and set on the event
    directly. A kind with a field this path does not know how to convert, or a dict it cannot
    read (an unknown kind or field, a missing one), goes through ``decode_event``, which gives
    the same event or the same error. Events from outside must go through ``decode_event``.
    """
    kind = data.get("kind")
    build = _STORED_DECODERS.get(kind) if isinstance(kind, str) else None
    if build is None:
        if not isinstance(kind, str) or kind in _STORED_DECODERS:
            return decode_event(data)
        build = _STORED_DECODERS[kind] = _stored_decoder(ALL_EVENT_TYPES.get(kind))
        if build is None:
            return decode_event(data)
    try:
        event: DomainEvent = build(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return decode_event(data)
    return event


#: Per kind, the function that builds a stored event of it, or None: through ``decode_event``.
_STORED_DECODERS: dict[str, Callable[[dict[str, Any]], Any] | None] = {}
_ABSENT = object()


def _stored_decoder(cls: type[Any] | None) -> Callable[[dict[str, Any]], Any] | None:
    """Return the builder of a stored event or record of ``cls``, or None: not on this path."""
    if cls is None or cls is TriageAssessed:
        # TriageAssessed's category type depends on its system: decode_event knows how.
        return None
    hints = _hints(cls)
    steps: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
    for name, item in _fields_by_name(cls).items():
        convert = _stored_converter(hints[name])
        if convert is _UNSUPPORTED:
            return None
        default: Any = item.default
        if default is MISSING:
            default = item.default_factory if item.default_factory is not MISSING else _ABSENT
        else:
            default = _constant(default)
        steps.append((name, convert, default))
    allowed = {"kind", *(name for name, *_ in steps)}
    new, assign = object.__new__, object.__setattr__

    def build(data: dict[str, Any]) -> Any:
        if not data.keys() <= allowed:
            raise KeyError("unknown field")
        event = new(cls)
        for name, convert, default in steps:
            raw = data.get(name, _ABSENT)
            if raw is _ABSENT:
                if default is _ABSENT:
                    raise KeyError(name)
                assign(event, name, default())
            else:
                assign(event, name, raw if convert is None else convert(raw))
        return event

    return build


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _unsupported(raw: Any) -> Any:
    raise TypeError(raw)


#: The converter of a type the stored path leaves to ``decode_event``.
_UNSUPPORTED: Callable[[Any], Any] = _unsupported


def _stored_converter(target: Any) -> Callable[[Any], Any] | None:
    """Return how a stored field's JSON value becomes its value (None: as it is)."""
    origin = typing.get_origin(target)
    if origin in (types.UnionType, typing.Union):
        options = [option for option in typing.get_args(target) if option is not type(None)]
        if len(options) != 1:
            return _UNSUPPORTED
        inner = _stored_converter(options[0])
        if inner is None or inner is _UNSUPPORTED:
            return inner
        return lambda raw: None if raw is None else inner(raw)
    if origin is tuple or origin is frozenset:
        arguments = typing.get_args(target)
        if origin is tuple and (len(arguments) != 2 or arguments[1] is not Ellipsis):
            return _UNSUPPORTED
        item = _stored_converter(arguments[0])
        if item is _UNSUPPORTED:
            return _UNSUPPORTED
        collect: Callable[[Any], Any] = tuple if origin is tuple else frozenset
        if item is None:
            return collect
        return lambda raw: collect(map(item, raw))
    if origin is not None:
        return _UNSUPPORTED
    if target is bool or target is int or target is str:
        return None
    if target is float:
        return float
    if target is UUID:
        return UUID
    if target is datetime:
        return datetime.fromisoformat
    if target is date:
        return date.fromisoformat
    if isinstance(target, type) and issubclass(target, Enum):
        return target
    if isinstance(target, type) and is_dataclass(target):
        # A record inside an event (a position, an identity) was checked with it.
        record = _stored_decoder(target)
        return _UNSUPPORTED if record is None else record
    return _UNSUPPORTED


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
