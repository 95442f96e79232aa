"""Pydantic models of the domain's wire forms, made from its dataclasses, for the API's schema.

An event, a card's record or a position goes over the wire as ``goldenhour.domain.codec``
encodes it: ids and times as strings, enums as their values, sets and tuples as lists, nested
dataclasses as objects. The models here describe exactly that form, field by field, from the
dataclasses' own type hints, so the OpenAPI schema (and the web's types generated from it)
follow the domain without a second hand-written copy. Strings stay strings: a response
validated against these models is served as the codec wrote it (a time keeps its ``+00:00``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal, Union
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from goldenhour.domain.casualty.events import EVENT_TYPES as CASUALTY_EVENT_TYPES
from goldenhour.domain.codec import encode_value
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.registry import ALL_EVENT_TYPES

__all__ = [
    "CasualtyEventWire",
    "EventWire",
    "TimeText",
    "UuidText",
    "state_model",
    "wire_model",
    "wire_type",
]

#: An id as the codec writes it.
UuidText = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
#: A moment with its zone, ISO 8601, as the codec writes it.
TimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
#: A calendar date, ISO 8601.
DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]

_MODELS: dict[type, type[BaseModel]] = {}


class _Wire(BaseModel):
    # A field the model does not name is refused: the model must describe the whole form.
    model_config = ConfigDict(extra="forbid")


class _Written(_Wire):
    # The codec writes every field of a dataclass, defaults included: an answer always has
    # them, so the schema of an answer says they are there (a request body never uses these).
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


def wire_type(hint: Any) -> Any:
    """Return the annotation of a value's wire form for a domain type hint."""
    origin = typing.get_origin(hint)
    if hint is type(None) or hint is None:
        return type(None)
    if hint in (bool, int, str):
        return hint
    if hint is float:
        # A whole number stays one on the wire (the codec writes 5, not 5.0).
        return Annotated[int | float, WithJsonSchema({"type": "number"})]
    if hint is UUID:
        return UuidText
    if hint is datetime:
        return TimeText
    if hint is date:
        return DateText
    if isinstance(hint, type) and issubclass(hint, Enum):
        return Literal[tuple(member.value for member in hint)]
    if origin in (frozenset, set, list) or (origin is tuple and len(typing.get_args(hint)) > 0):
        return list[wire_type(typing.get_args(hint)[0])]  # type: ignore[misc]
    if origin in (dict, Mapping):
        key, value = typing.get_args(hint)
        return dict[wire_type(key), wire_type(value)]  # type: ignore[misc]
    if origin in (Union, types.UnionType):
        arms = tuple(wire_type(arm) for arm in typing.get_args(hint))
        return Union[arms]  # noqa: UP007
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return wire_model(hint)
    raise TypeError(f"no wire form for {hint!r}")


def wire_model(cls: type) -> type[BaseModel]:
    """Return the model of a dataclass's wire form (an event's with its ``kind`` first)."""
    if cls in _MODELS:
        return _MODELS[cls]
    hints = typing.get_type_hints(cls)
    definitions: dict[str, Any] = {}
    if issubclass(cls, DomainEvent):
        definitions["kind"] = (Literal[cls.kind], ...)
    for item in dataclasses.fields(cls):
        definitions[item.name] = (wire_type(hints[item.name]), _default(item))
    doc = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
    model = create_model(cls.__name__, __base__=_Written, __doc__=doc, **definitions)
    _MODELS[cls] = model
    return model


def state_model(state: type, name: str, *, doc: str | None = None, **extra: Any) -> type[BaseModel]:
    """Return the model of a folded state (a ``TypedDict`` of wire forms) under ``name``.

    ``Annotated[str, X]`` in the state is X's wire form; a key that is not required is left
    out of the schema's ``required`` (and out of an answer that does not have it). ``extra``
    adds fields the state is served with (``name=(annotation, default)``).
    """
    hints = typing.get_type_hints(state, include_extras=True)
    definitions: dict[str, Any] = {}
    for key, hint in hints.items():
        # Read from the hint: ``__required_keys__`` misses ``NotRequired`` under postponed
        # annotations on Python 3.11.
        required = typing.get_origin(hint) is not typing.NotRequired
        annotation = _state_type(hint)
        definitions[key] = (annotation, Field(...) if required else Field(default=None))
    definitions.update(extra)
    text = (doc or state.__doc__ or name).strip().splitlines()[0]
    return create_model(name, __base__=_Wire, __doc__=text, **definitions)


def _state_type(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.NotRequired, typing.Required):
        return _state_type(typing.get_args(hint)[0])
    if origin is Annotated:
        _, marker = typing.get_args(hint)[:2]
        return wire_type(marker)
    if origin in (Union, types.UnionType):
        return Union[tuple(_state_type(arm) for arm in typing.get_args(hint))]  # noqa: UP007
    if origin is list:
        return list[_state_type(typing.get_args(hint)[0])]  # type: ignore[misc]
    if typing.is_typeddict(hint):
        return state_model(hint, hint.__name__)
    return wire_type(hint)


def _default(item: dataclasses.Field[Any]) -> Any:
    # The codec writes every field; one with a default may be missing from a form stored before
    # the field existed, and reads as that default (as the codec's decoder reads it).
    if item.default is not dataclasses.MISSING:
        return Field(default=encode_value(item.default))
    factory = item.default_factory
    if factory is not dataclasses.MISSING:
        return Field(default_factory=lambda: encode_value(factory()))
    return Field(...)


def _event_union(classes: Iterable[type[DomainEvent]]) -> Any:
    arms = tuple(wire_model(cls) for cls in sorted(classes, key=_kind))
    return Annotated[Union[arms], Field(discriminator="kind")]  # noqa: UP007


def _kind(cls: type[DomainEvent]) -> str:
    return cls.kind


#: Any event of the log in its wire form, told apart by ``kind``.
EventWire = _event_union(ALL_EVENT_TYPES.values())
#: A casualty's event (an entry of a card's history) in its wire form, told apart by ``kind``.
CasualtyEventWire = _event_union(CASUALTY_EVENT_TYPES.values())
