"""One casualty's append-only history: events go in once, nothing is changed or taken out.

``CasualtyHistory.append`` answers whether an event was new or a resubmission, refuses a second
content under a known id (``EventConflictError``) and refuses an event that contradicts the
history (``InvalidEventError``): a correction of nothing, a tourniquet removed before it was
applied. What it accepted stays; a refused event changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import Enum
from uuid import UUID

from goldenhour.domain.casualty import limits
from goldenhour.domain.casualty.card import Card, canonical_order, fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    EntryRetracted,
    InjuryRecorded,
    TourniquetApplied,
    TourniquetConverted,
    TourniquetRemoved,
)
from goldenhour.domain.errors import EventConflictError, InvalidEventError
from goldenhour.domain.event import check_timing


class AppendOutcome(Enum):
    """What happened to an event handed to ``CasualtyHistory.append``."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"


class CasualtyHistory:
    """The events of one casualty, each stored once, in the order they happened."""

    def __init__(self, casualty_id: UUID, events: Iterable[CasualtyEvent] = ()) -> None:
        self.casualty_id = casualty_id
        self._events: dict[UUID, CasualtyEvent] = {}
        for event in events:
            self.append(event)

    def __len__(self) -> int:
        return len(self._events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._events

    def get(self, event_id: UUID) -> CasualtyEvent | None:
        """Return the stored event with this id, if any."""
        return self._events.get(event_id)

    @property
    def events(self) -> tuple[CasualtyEvent, ...]:
        """Return every stored event in the order they happened."""
        return tuple(sorted(self._events.values(), key=canonical_order))

    def append(
        self,
        event: CasualtyEvent,
        *,
        now: datetime | None = None,
        max_skew: timedelta = limits.DEFAULT_CLOCK_SKEW,
    ) -> AppendOutcome:
        """Add an event, or recognise it as already stored; refuse it if it contradicts the rest.

        With ``now``, events dated in the future beyond ``max_skew`` are refused too.
        Raises ``EventConflictError`` or ``InvalidEventError``; a refused event changes nothing.
        """
        known = self._events.get(event.event_id)
        if known is not None:
            if known.same_content(event):
                return AppendOutcome.DUPLICATE
            raise EventConflictError(str(event.event_id))
        if event.casualty_id != self.casualty_id:
            raise InvalidEventError(
                "casualty_id", f"{event.casualty_id} is not this casualty ({self.casualty_id})"
            )
        if now is not None:
            check_timing(event, now=now, max_skew=max_skew)
        self._check_references(event)
        self._check_tourniquet_times(event)
        self._check_burned_area(event)
        self._events[event.event_id] = event
        return AppendOutcome.ACCEPTED

    def card(self) -> Card:
        """Derive the current card from the history."""
        return fold(self.casualty_id, self._events.values())

    def _check_references(self, event: CasualtyEvent) -> None:
        if event.supersedes is not None:
            target = self._events.get(event.supersedes)
            if target is None:
                raise InvalidEventError(
                    "supersedes", f"no event {event.supersedes} in this casualty's history"
                )
            if type(target) is not type(event):
                raise InvalidEventError(
                    "supersedes",
                    f"a {event.kind} can only correct a {event.kind}, not a {target.kind}",
                )
        if isinstance(event, EntryRetracted) and event.target not in self._events:
            raise InvalidEventError("target", f"no event {event.target} in this history")
        if isinstance(event, TourniquetConverted | TourniquetRemoved):
            target = self._events.get(event.application_id)
            if not isinstance(target, TourniquetApplied):
                raise InvalidEventError(
                    "application_id", f"no tourniquet application {event.application_id}"
                )

    def _check_burned_area(self, event: CasualtyEvent) -> None:
        # The burns of all regions add up to the casualty's %TBSA: past 100 % one is a slip.
        # Checked on the card the event would produce, so a correction replaces what it corrects.
        if not isinstance(event, InjuryRecorded) or event.burn_tbsa_percent is None:
            return
        total = fold(self.casualty_id, [*self._events.values(), event]).burn_tbsa_total
        # A little slack for sums of decimals (33.3 + 33.3 + 33.4 is 100.00000000000001).
        if total is not None and total > limits.TBSA_RANGE[1] + 1e-6:
            raise InvalidEventError(
                "burn_tbsa_percent",
                f"{event.burn_tbsa_percent:g} % would make the burns of all regions "
                f"{total:g} % of the body surface; at most {limits.TBSA_RANGE[1]:g} %",
            )

    def _check_tourniquet_times(self, event: CasualtyEvent) -> None:
        # Check the new event against the card it would produce, so corrections of either
        # the application or the removal are held to the same rule.
        if not isinstance(event, TourniquetApplied | TourniquetConverted | TourniquetRemoved):
            return
        card = fold(self.casualty_id, [*self._events.values(), event])
        for record in card.tourniquets:
            for name in ("converted_at", "removed_at"):
                ended: datetime | None = getattr(record, name)
                if ended is not None and ended < record.applied_at:
                    what = "converted" if name == "converted_at" else "removed"
                    raise InvalidEventError(
                        "occurred_at",
                        f"tourniquet {what} at {ended.isoformat()} before it was applied at "
                        f"{record.applied_at.isoformat()}",
                    )
