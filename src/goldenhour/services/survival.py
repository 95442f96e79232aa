"""Closing the loop: the planner's survival models fitted from the record's outcomes and times.

Every casualty's history is folded into its card, and each card gives one observation
(``domain.survival.observations``); the fit itself is ``planning.survival_fit``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import decode_event
from goldenhour.domain.errors import EventCodecError, ValidationError
from goldenhour.domain.ports import EventLog
from goldenhour.domain.survival.observations import SurvivalObservation, observation_from_card
from goldenhour.planning.survival_fit import SurvivalFit, fit_classes

_PAGE = 5000


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordObservations:
    """What the record gave the fit: one observation per usable card, and the cards left out."""

    observations: tuple[SurvivalObservation, ...]
    casualties: int
    unclassified: int  # cards with no planner class assessed, or no time to count from


def observations_from_events(
    events: Iterable[CasualtyEvent], *, censor_at_care: bool = False
) -> RecordObservations:
    """Fold the events per casualty and return each card's observation.

    ``censor_at_care`` stops each casualty's clock at their handover to a facility
    (``domain.survival.observations.observation_from_card``).
    """
    by_casualty: dict[UUID, list[CasualtyEvent]] = {}
    for event in events:
        by_casualty.setdefault(event.casualty_id, []).append(event)
    found: list[SurvivalObservation] = []
    for casualty_id in sorted(by_casualty, key=str):
        card = fold(casualty_id, by_casualty[casualty_id])
        observation = observation_from_card(card, censor_at_care=censor_at_care)
        if observation is not None:
            found.append(observation)
    return RecordObservations(
        observations=tuple(found),
        casualties=len(by_casualty),
        unclassified=len(by_casualty) - len(found),
    )


def observations_from_log(log: EventLog, *, censor_at_care: bool = False) -> RecordObservations:
    """Read every casualty event in the log and return each card's observation."""
    events: list[CasualtyEvent] = []
    after, last = 0, log.last_seq()
    while after < last:
        page = log.read_after(after, limit=_PAGE)
        if not page:
            break
        for stored in page:
            if stored.stream == "casualty":
                event = decode_event(stored.payload)
                if isinstance(event, CasualtyEvent):
                    events.append(event)
        after = page[-1].seq
    return observations_from_events(events, censor_at_care=censor_at_care)


def observations_from_text(text: str, *, censor_at_care: bool = False) -> RecordObservations:
    """Read events from a JSON list or JSON lines (other kinds than casualty events skipped).

    Raises ``EventCodecError`` (or the event's own ``ValidationError``) naming the item.
    """
    items = _items(text)
    events: list[CasualtyEvent] = []
    for index, item in enumerate(items):
        try:
            event = decode_event(item)
        except ValidationError as error:
            raise type(error)(f"[{index}].{error.field}", error.reason) from error
        if isinstance(event, CasualtyEvent):
            events.append(event)
    return observations_from_events(events, censor_at_care=censor_at_care)


def fit_record(record: RecordObservations) -> SurvivalFit:
    """Fit the planner's class models from the record's observations."""
    return fit_classes(record.observations)


def _items(text: str) -> list[Any]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        parsed = None
    if isinstance(parsed, list):
        return parsed
    items: list[Any] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise EventCodecError("file", f"line {number}: not JSON: {error.msg}") from error
    if not items:
        raise EventCodecError("file", "expected a JSON list of events or one event per line")
    return items
