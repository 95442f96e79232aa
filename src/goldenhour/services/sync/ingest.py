"""Take a batch of events from a device or node: each is accepted, a duplicate, or refused.

Answers per event (issue 3): ``accepted`` (stored now), ``duplicate`` (same id and content as a
stored event: safe to retry), ``conflict`` (same id, other content: refused and kept for review),
``invalid`` (a field is impossible, or contradicts the record's history; the answer names it),
``not_found`` (the record the event is about, or one it names in a field such as
``request_ids[0]``, does not exist or is outside the caller's scope: both get the same answer,
so a refusal never reveals that a record exists) or ``forbidden`` (the caller's role may not
write this kind of event). One batch is one transaction: the answers are given only after it
committed, so an acknowledged event survives a crash; a refused event changes nothing.

The author recorded is the caller, whatever the event's ``author`` says (an accepted event
whose author was replaced says so, with ``field="author"``); a device token may name a user of
its unit, who is then recorded as the author, with the token holder as ``submitted_by`` and in
the audit entry (``goldenhour.domain.access.Attribution``). A person's login may send a casualty
entry that a peer (a user of the same unit, who may write that kind) wrote on another phone and
handed over by QR code: the peer stays its author, the sender is ``submitted_by`` and named in
the audit entry, and the peer's own upload of it later is a duplicate, not a conflict.

Conflicts and invalid events are also kept in ``rejected_events`` for review: they are data
from the field with something wrong in it. A ``not_found`` or ``forbidden`` answer is about the
caller's access, or a record that has not synced yet, not about the data: the device keeps the
event and can send it again once the record it names has arrived (the web app's outbox offers
a retry), so the server keeps no copy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from goldenhour.domain.access import (
    CREW_MISSION_STATUSES,
    Attribution,
    Principal,
    can_read_stream,
    can_write_kind,
    unit_in_subtree,
)
from goldenhour.domain.casualty import limits
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.codec import decode_event, encode_event
from goldenhour.domain.errors import EventConflictError, InvalidEventError, ValidationError
from goldenhour.domain.event import DomainEvent, check_arriving_text, check_timing
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    MissionAssigned,
    MissionStatusChanged,
    UnitRegistered,
    UserRegistered,
)
from goldenhour.domain.operations.facility import check_receiving
from goldenhour.domain.operations.state import fold_stream
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import AuditEntry, EventLog, LogWriter, NamedUser

__all__ = ["Outcome", "SubmissionResult", "content_hash", "submit_events"]


class Outcome(Enum):
    """What happened to one submitted event."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionResult:
    """The answer for one event of a batch, by its position in the batch."""

    index: int
    event_id: str | None
    outcome: Outcome
    seq: int | None = None
    field: str | None = None
    reason: str | None = None
    #: Every field refused, each with its reason (the first is ``field``, ``reason``).
    problems: tuple[tuple[str, str], ...] = ()


def content_hash(event: DomainEvent) -> str:
    """Return a hash of what makes an event itself (everything but its receive time)."""
    # The same as encoding ``event.content()``, without building (and checking) a copy.
    encoded = encode_event(event)
    encoded["received_at"] = None
    body = json.dumps(encoded, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _same_content(stored_payload: dict[str, Any], digest: str) -> bool:
    """Tell whether a stored event, read with today's codec, hashes to ``digest``.

    The stored hash was computed by the version that stored the event: a field added since
    (encoded empty) changes the hash of the same content, and a phone re-sending its event after
    an upgrade must still be answered ``duplicate``. Only reached when the hashes differ.
    """
    try:
        return content_hash(decode_event(stored_payload)) == digest
    except ValidationError:
        return False


class _Named(Enum):
    """How an accepted event's author relates to the caller who sent it."""

    AS_SENT = "as sent"  # the caller's own entry (or the command line's, trusted as written)
    ON_SHARED_DEVICE = "on a shared device"  # a device token named a user of its unit
    HANDED_OVER = "handed over"  # a peer's entry from their phone, received by QR code
    REPLACED = "replaced"  # named someone it may not: the caller is recorded instead


class _Refused(Exception):
    def __init__(self, outcome: Outcome, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.outcome, self.field, self.reason = outcome, field, reason


def _not_found(field: str, what: str, identifier: UUID) -> _Refused:
    # One wording whether the record is absent or outside the caller's scope.
    return _Refused(Outcome.NOT_FOUND, field, f"no {what} {identifier} in your scope")


# Fields that name another record or event: an event refused for one of them, or refused as
# ``not_found``, gets a second pass, in case what it names comes later in the same batch.
_REFERENCES = frozenset(
    {"application_id", "supersedes", "target", "parent_id", "casualty_ids", "request_ids",
     "vehicle_id", "destination_id", "unit_id"}
)  # fmt: skip

# Operation events whose stream is created by them; others need their stream to exist.
_CREATES = frozenset(
    {"unit_registered", "user_registered", "vehicle_registered", "facility_registered",
     "point_registered", "threat_area_drawn", "evacuation_request_filed", "mission_assigned"}
)  # fmt: skip


def submit_events(
    log: EventLog,
    principal: Principal,
    batch: Sequence[Any],
    *,
    now: datetime,
    max_skew: timedelta,
    earliest: datetime = limits.EARLIEST_EVENT_DATE,
) -> list[SubmissionResult]:
    """Store a batch of events in one transaction and answer for each one, in batch order.

    An arriving event is refused (``invalid``, naming the field) for a date before ``earliest``
    or text holding a control character other than tab, line feed and carriage return.
    """
    results: dict[int, SubmissionResult] = {}
    with log.writer() as writer:
        writer.prefetch(_ids(batch, "event_id"), casualty_ids=_ids(batch, "casualty_id"))
        session = _Batch(writer, principal, now=now, max_skew=max_skew, earliest=earliest)
        pending = list(enumerate(batch))
        # Two passes: an event that names another later in the same batch (a removal sent
        # before its application) gets a second chance once the rest is in.
        for attempt in (1, 2):
            retry: list[tuple[int, Any]] = []
            for index, raw in pending:
                result = session.submit(index, raw, final=attempt == 2)
                if result is None:
                    retry.append((index, raw))
                else:
                    results[index] = result
            pending = retry
    return [results[index] for index in sorted(results)]


def _echo(text: str | None) -> str | None:
    """Return text from the device fit to answer with: a lone surrogate as its escape.

    The answer repeats the event's id and the field refused, as sent; a lone surrogate in them
    (a JavaScript string cut inside an emoji) cannot be written as UTF-8 in the answer.
    """
    return None if text is None else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _ids(batch: Sequence[Any], name: str) -> set[UUID]:
    # One look-up for the whole batch instead of one per event; malformed ids are refused later.
    found: set[UUID] = set()
    for raw in batch:
        value = raw.get(name) if isinstance(raw, dict) else None
        if isinstance(value, str):
            try:
                found.add(UUID(value))
            except ValueError:
                continue
    return found


class _Batch:
    def __init__(
        self, writer: LogWriter, principal: Principal, *, now: datetime, max_skew: timedelta,
        earliest: datetime,
    ) -> None:  # fmt: skip
        self.writer, self.principal, self.now, self.max_skew = writer, principal, now, max_skew
        self.earliest = earliest
        self.histories: dict[UUID, CasualtyHistory] = {}
        # A batch names the same few authors again and again: look each up once.
        self.named_users: dict[str, NamedUser | None] = {}

    def submit(self, index: int, raw: Any, *, final: bool) -> SubmissionResult | None:
        event_id = raw.get("event_id") if isinstance(raw, dict) else None
        event_id = event_id if isinstance(event_id, str) else None
        try:
            event = decode_event(raw)
            check_timing(event, now=self.now, max_skew=self.max_skew, earliest=self.earliest)
            check_arriving_text(event)
            return self._store(index, event)
        except _Refused as refused:
            if not final and refused.outcome is Outcome.NOT_FOUND:
                return None
            return self._refuse(
                index, event_id, raw, refused.outcome, refused.field, refused.reason
            )
        except EventConflictError as error:
            return self._refuse(index, event_id, raw, Outcome.CONFLICT, "event_id", str(error))
        except ValidationError as error:
            if not final and error.field.split("[")[0] in _REFERENCES:
                return None
            return self._refuse(
                index, event_id, raw, Outcome.INVALID, error.field, error.reason,
                problems=error.problems,
            )  # fmt: skip

    def _refuse(
        self, index: int, event_id: str | None, raw: Any, outcome: Outcome,
        field: str | None, reason: str, *, problems: tuple[tuple[str, str], ...] = (),
    ) -> SubmissionResult:  # fmt: skip
        if outcome in (Outcome.CONFLICT, Outcome.INVALID):
            self.writer.reject(
                event_id=event_id, outcome=outcome.value, field=field, reason=reason,
                payload=raw, submitted_by=self.principal.user_id, device=self.principal.device,
                received_at=self.now,
            )  # fmt: skip
        if not problems and field is not None:
            problems = ((field, reason),)
        return SubmissionResult(
            index=index, event_id=_echo(event_id), outcome=outcome, field=_echo(field),
            reason=_echo(reason),
            problems=tuple((_echo(name) or "", _echo(why) or "") for name, why in problems),
        )  # fmt: skip

    def _store(self, index: int, event: DomainEvent) -> SubmissionResult:
        author, named = self._author(event)
        if author != event.author:
            event = event.by(author)
        digest = content_hash(event)
        stored = self.writer.find(event.event_id)
        if stored is not None:
            if stored.content_hash != digest and not _same_content(stored.payload, digest):
                raise EventConflictError(str(event.event_id))
            return SubmissionResult(
                index=index, event_id=str(event.event_id), outcome=Outcome.DUPLICATE,
                seq=stored.seq,
            )  # fmt: skip
        if not can_write_kind(self.principal.role, event.kind):
            raise _Refused(
                Outcome.FORBIDDEN, "kind",
                f"a {self.principal.role.value} may not write {event.kind} events",
            )  # fmt: skip
        if (
            self.principal.role is Role.CREW
            and isinstance(event, MissionStatusChanged)
            and event.status.value not in CREW_MISSION_STATUSES
        ):
            raise _Refused(
                Outcome.FORBIDDEN, "status",
                f"a crew reports its mission's steps, not {event.status.value}",
            )  # fmt: skip
        scope_unit = self._scope_for(event)
        if isinstance(event, CasualtyEvent):
            self._check_casualty(event)
        self._check_references(event)
        seq = self.writer.append(
            event, scope_unit=scope_unit, content_hash=digest,
            submitted_by=self.principal.user_id, received_at=self.now,
        )  # fmt: skip
        if isinstance(event, CasualtyEvent):
            self.writer.audit(self._audit("write", event, named=named))
        return SubmissionResult(
            index=index, event_id=str(event.event_id), outcome=Outcome.ACCEPTED, seq=seq,
            field="author" if named is _Named.REPLACED else None,
            reason=f"recorded as {author}, who sent it" if named is _Named.REPLACED else None,
        )  # fmt: skip

    def _author(self, event: DomainEvent) -> tuple[str, _Named]:
        """Return the author to record, and how the caller came to send another's entry."""
        principal = self.principal
        if principal.attribution is Attribution.AS_GIVEN or event.author == principal.username:
            return event.author, _Named.AS_SENT
        if event.author not in self.named_users:
            self.named_users[event.author] = self.writer.named_user(event.author)
        named = self.named_users[event.author]
        if (
            named is not None
            and not named.disabled
            and can_write_kind(Role(named.role), event.kind)
        ):
            if principal.attribution is Attribution.UNIT_DEVICE and unit_in_subtree(
                named.unit_path, principal.unit_path
            ):
                return event.author, _Named.ON_SHARED_DEVICE
            if (
                principal.attribution is Attribution.CALLER
                and isinstance(event, CasualtyEvent)
                and event.device != principal.device
                and named.unit_path == principal.unit_path
            ):
                return event.author, _Named.HANDED_OVER
        return principal.username, _Named.REPLACED

    def _scope_for(self, event: DomainEvent) -> UUID | None:
        existing = self.writer.stream_scope(event.stream, event.stream_id)
        if existing is not None:
            if not can_read_stream(
                self.principal, stream=event.stream, scope_path=existing.scope_path,
                facility_ids=existing.facility_ids,
            ) or not self._may_write_in(existing.scope_path, existing.facility_ids):  # fmt: skip
                raise _not_found(event.stream_field, event.stream, event.stream_id)
            return existing.scope_unit
        if not isinstance(event, CasualtyEvent) and event.kind not in _CREATES:
            raise _not_found(event.stream_field, event.stream, event.stream_id)
        owner = self._owner_of_new(event)
        path = self.writer.unit_path(owner)
        if path is None and not isinstance(event, UnitRegistered):
            raise _not_found("unit_id", "unit", owner)
        if path is not None and not self._may_write_in(path, frozenset()):
            raise _not_found("unit_id", "unit", owner)
        return owner

    def _owner_of_new(self, event: DomainEvent) -> UUID:
        if isinstance(event, UnitRegistered):
            if event.parent_id is not None and self.writer.unit_path(event.parent_id) is None:
                raise _not_found("parent_id", "unit", event.parent_id)
            return event.unit_id
        if isinstance(event, UserRegistered):
            return event.unit_id
        owner = getattr(event, "unit_id", None)
        return owner if isinstance(owner, UUID) else self.principal.unit_id

    def _may_write_in(self, scope_path: str | None, facilities: frozenset[UUID]) -> bool:
        role = self.principal.role.value
        if role == "admin":
            return True
        if role == "facility":
            if self.principal.facility_id in facilities:
                return True
            return unit_in_subtree(scope_path, self.principal.unit_path)
        if role == "crew" and self.principal.unit_id in facilities:
            return True  # a mission its vehicle is on, and what that mission carries
        return unit_in_subtree(scope_path, self.principal.unit_path)

    def _check_casualty(self, event: CasualtyEvent) -> None:
        history = self.histories.get(event.casualty_id)
        if history is None:
            stored = self.writer.load_stream("casualty", event.casualty_id)
            history = CasualtyHistory(
                event.casualty_id, [e for e in stored if isinstance(e, CasualtyEvent)]
            )
            self.histories[event.casualty_id] = history
        history.append(event)

    def _check_references(self, event: DomainEvent) -> None:
        if isinstance(event, CasualtyEvent):
            return
        if event.supersedes is not None:
            # Only an event of the same record can be corrected; one of another record is
            # answered like an absent one, so that ids elsewhere in the log are not revealed.
            replaced = self.writer.find(event.supersedes)
            if replaced is None or (replaced.stream, replaced.stream_id) != (
                event.stream, event.stream_id
            ):  # fmt: skip
                raise InvalidEventError(
                    "supersedes", f"no event {event.supersedes} in this {event.stream}'s history"
                )
        if isinstance(event, EvacuationRequestFiled):
            for index, casualty in enumerate(event.casualty_ids):
                self._require(f"casualty_ids[{index}]", casualty, "casualty")
        elif isinstance(event, MissionAssigned):
            self._require("vehicle_id", event.vehicle_id, "vehicle")
            for index, request in enumerate(event.request_ids):
                self._require(f"request_ids[{index}]", request, "request")
            self._require("destination_id", event.destination_id, "facility", "point")
            # A diverting or closed facility takes no casualties, whoever assigns them.
            check_receiving(fold_stream(self.writer.load_stream("facility", event.destination_id)))

    def _require(self, field: str, stream_id: UUID, *streams: str) -> None:
        """Refuse as ``not_found`` unless ``stream_id`` is a record of one of ``streams`` in scope.

        An absent record and one outside the caller's scope get the same answer.
        """
        for stream in streams:
            scope = self.writer.stream_scope(stream, stream_id)
            if scope is not None and can_read_stream(
                self.principal, stream=stream, scope_path=scope.scope_path,
                facility_ids=scope.facility_ids,
            ):  # fmt: skip
                return
        raise _not_found(field, " or ".join(streams), stream_id)

    def _audit(self, action: str, event: CasualtyEvent, *, named: _Named) -> AuditEntry:
        principal = self.principal
        detail = f"{event.kind} {event.event_id}"
        if named is _Named.ON_SHARED_DEVICE:
            # The token is the device's; the entry is the named user's: keep both on record.
            detail += f" by {event.author}, named on {principal.username}'s shared device"
        elif named is _Named.HANDED_OVER:
            # Written on a peer's phone, carried here by QR code: who wrote it and who sent it.
            detail += (
                f" by {event.author}, written on {event.device} and handed over to "
                f"{principal.username}"
            )
        return AuditEntry(
            at=self.now, user_id=principal.user_id, username=principal.username,
            role=principal.role.value, unit_id=principal.unit_id, device=principal.device,
            action=action, target_kind="casualty", target_id=str(event.casualty_id),
            detail=detail,
        )  # fmt: skip
