"""What every event in Golden Hour's log carries, whatever it is about.

An event is a frozen fact with a UUID made by the device that recorded it, the time it happened
(``occurred_at``), the time it was written down on the device (``recorded_at``), its author and
device, and the time a node received it (``received_at``, ``None`` until then). A correction is
a new event whose ``supersedes`` names the one it replaces; nothing is changed in place.

Each concrete event names its ``stream`` (what kind of thing it is about: a casualty, a vehicle)
and ``stream_id`` (which one), so one log can hold them all and one fold per stream derives the
current state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import ClassVar, Self
from uuid import UUID

from goldenhour.domain.casualty import limits
from goldenhour.domain.errors import InvalidEventError

__all__ = [
    "DomainEvent",
    "check_arriving_text",
    "check_member",
    "check_members",
    "check_timing",
    "check_uuid",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    """Fields every event carries; never instantiated on its own."""

    kind: ClassVar[str] = "event"
    stream: ClassVar[str] = "none"
    #: The field holding the id of the thing the event is about (set by each family).
    stream_field: ClassVar[str] = "event_id"

    event_id: UUID
    occurred_at: datetime
    recorded_at: datetime
    author: str
    device: str
    received_at: datetime | None = None
    supersedes: UUID | None = None

    def __post_init__(self) -> None:
        if self.kind in ("event", "casualty_event", "operation_event"):
            raise InvalidEventError("kind", f"a bare {type(self).__name__} is not an event")
        check_uuid("event_id", self.event_id)
        if self.supersedes is not None:
            check_uuid("supersedes", self.supersedes)
        if self.supersedes == self.event_id:
            raise InvalidEventError("supersedes", "an event cannot supersede itself")
        for name in ("occurred_at", "recorded_at", "received_at"):
            limits.check_aware(name, getattr(self, name))
        limits.check_text("author", self.author, required=True)
        limits.check_text("device", self.device, required=True)
        self._check_stream()
        self._check()

    def _check_stream(self) -> None:
        check_uuid(self.stream_field, getattr(self, self.stream_field))

    def _check(self) -> None:
        """Check the fields of a concrete event (overridden by events that have rules)."""

    @property
    def stream_id(self) -> UUID:
        """Return the id of the thing this event is about."""
        value: UUID = getattr(self, self.stream_field)
        return value

    def content(self) -> Self:
        """Return the event without its receive time: what makes two submissions the same event."""
        return self._copy("received_at", None)

    def received(self, at: datetime) -> Self:
        """Return the event as received at ``at`` (a time with a zone)."""
        limits.check_aware("received_at", at)
        return self._copy("received_at", at)

    def by(self, author: str) -> Self:
        """Return the event recorded as written by ``author``."""
        limits.check_text("author", author, required=True)
        return self._copy("author", author)

    def _copy(self, name: str, value: object) -> Self:
        """Return a copy with one field changed, the caller having checked the new value.

        ``dataclasses.replace`` builds the copy through ``__init__`` and so checks every field
        again; the other fields were checked when this event was made and cannot have changed
        since (it is frozen), so only the changed one needs a check. The ingest path copies
        every event it stores (author, receive time): re-checking them all cost more than
        storing them.
        """
        copy = object.__new__(type(self))
        for field_name in _field_names(type(self)):
            object.__setattr__(copy, field_name, getattr(self, field_name))
        object.__setattr__(copy, name, value)
        return copy

    def same_content(self, other: DomainEvent) -> bool:
        """Tell whether ``other`` is this event resubmitted (same id and content)."""
        return type(self) is type(other) and self.content() == other.content()


def _field_names(event_type: type) -> tuple[str, ...]:
    # Looked up once per type: ``dataclasses.fields`` builds its answer anew on every call.
    names = _FIELD_NAMES.get(event_type)
    if names is None:
        names = _FIELD_NAMES[event_type] = tuple(item.name for item in fields(event_type))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
#: Values that are leaves whatever their field: told apart at once from records and lists.
_LEAVES = (str, int, float, UUID, datetime, Enum)


def check_timing(
    event: DomainEvent,
    *,
    now: datetime,
    max_skew: timedelta = limits.DEFAULT_CLOCK_SKEW,
    earliest: datetime | None = None,
) -> None:
    """Refuse an event whose times lie in the future beyond the allowed clock skew.

    With ``earliest``, any date the event carries (when it happened, an injury time, an ETA)
    before it is refused too, naming the field.
    """
    if earliest is not None:
        for name, date in _dates(event, ""):
            limits.check_not_before(name, date, earliest)
    for name in ("occurred_at", "recorded_at"):
        moment: datetime = getattr(event, name)
        if moment > now + max_skew:
            raise InvalidEventError(
                name,
                f"{moment.isoformat()} is {_minutes(moment - now)} in the future; clocks may "
                f"differ by at most {_minutes(max_skew)}",
            )
    if event.occurred_at > event.recorded_at + max_skew:
        raise InvalidEventError(
            "occurred_at", "is after the time it was recorded: nothing can be recorded in advance"
        )


def check_arriving_text(event: DomainEvent) -> None:
    """Refuse an arriving event whose text holds a C0 control other than tab, LF or CR.

    Checked as events arrive, not when they are built: an event stored before this rule must
    still load, fold and be drawn (the TAK bridge escapes such characters on output).
    """
    for name, value in _texts(event, ""):
        limits.check_no_controls(name, value)


def _values(value: object, prefix: str) -> Iterator[tuple[str, object]]:
    """Yield every leaf value of an event with its field's name (``identity.name_last``)."""
    for field_name in _field_names(type(value)):
        if field_name == "received_at":
            continue  # set by the server that received the event, not by the device
        name, found = f"{prefix}{field_name}", getattr(value, field_name)
        if found is None or isinstance(found, _LEAVES):
            yield name, found
        elif is_dataclass(found) and not isinstance(found, type):
            yield from _values(found, f"{name}.")
        elif isinstance(found, tuple | list):
            yield from ((f"{name}[{index}]", part) for index, part in enumerate(found))
        else:
            yield name, found


def _texts(event: DomainEvent, prefix: str) -> Iterator[tuple[str, str]]:
    # Vocabulary values are enums of str: checked by their type, not read as free text.
    for name, value in _values(event, prefix):
        if isinstance(value, str) and not isinstance(value, Enum):
            yield name, value


def _dates(event: DomainEvent, prefix: str) -> Iterator[tuple[str, datetime]]:
    for name, value in _values(event, prefix):
        if isinstance(value, datetime):
            yield name, value


def _minutes(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 60:.0f} min"


def check_uuid(name: str, value: object) -> None:
    """Refuse a value that is not a UUID."""
    if not isinstance(value, UUID):
        raise InvalidEventError(name, f"{value!r} is not a UUID")


def check_members(name: str, values: frozenset[object], enum_type: type) -> None:
    """Refuse a value that is not a set of ``enum_type`` members."""
    if not isinstance(values, frozenset) or not all(isinstance(v, enum_type) for v in values):
        raise InvalidEventError(name, f"must be a set of {enum_type.__name__} values")


def check_member(name: str, value: object, enum_type: type, *, required: bool = False) -> None:
    """Refuse a value that is not an ``enum_type`` member (``None`` passes unless required)."""
    if value is None and not required:
        return
    if not isinstance(value, enum_type):
        raise InvalidEventError(name, f"{value!r} is not a {enum_type.__name__}")
