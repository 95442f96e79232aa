"""Every kind of event the log holds, by its wire name."""

from __future__ import annotations

from goldenhour.domain.casualty.events import EVENT_TYPES as CASUALTY_EVENT_TYPES
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import OPERATION_EVENT_TYPES

#: Wire name -> event class, for every event in Golden Hour's log.
ALL_EVENT_TYPES: dict[str, type[DomainEvent]] = {**CASUALTY_EVENT_TYPES, **OPERATION_EVENT_TYPES}

#: Stream name -> the event classes of that stream.
STREAMS: dict[str, tuple[type[DomainEvent], ...]] = {}
for _cls in ALL_EVENT_TYPES.values():
    STREAMS[_cls.stream] = (*STREAMS.get(_cls.stream, ()), _cls)
