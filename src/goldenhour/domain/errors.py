"""The Golden Hour error tree: every error the domain raises, each also a fitting built-in.

    GoldenHourError
    ├── ValidationError (ValueError)            a value is impossible or malformed; names the field
    │   ├── InvalidEventError                   an event (or one of its fields) is refused
    │   ├── NineLineError                       a 9-line request line is bad; names the line
    │   ├── MistError                           a MIST handover line is bad
    │   ├── MgrsError                           an MGRS reference or a coordinate is bad
    │   └── EventCodecError                     an event's serialised form cannot be read
    ├── EventConflictError (ValueError)         the same event id arrived with other content
    └── CasualtyNotFoundError (LookupError)     no such casualty

Adapters add their own subclasses in their package. Errors carry structured fields so that the
API and the CLI can say which field was wrong and why without parsing a message.
"""

from __future__ import annotations


class GoldenHourError(Exception):
    """Root of every error raised by Golden Hour code."""


class ValidationError(GoldenHourError, ValueError):
    """A value is impossible or malformed.

    ``field`` names the offending field (a dotted path such as ``vitals.pulse``) and ``reason``
    says why in words a medic understands. ``problems`` lists every field found wrong, each with
    its reason, the first being ``field`` and ``reason``: a form corrects them all at once.
    """

    def __init__(
        self, field: str, reason: str, *, problems: tuple[tuple[str, str], ...] = ()
    ) -> None:
        self.field = field
        self.reason = reason
        self.problems = problems or ((field, reason),)
        extra = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{field}: {reason}{extra}")


class InvalidEventError(ValidationError):
    """A casualty event, or one of its fields, is refused (raised at construction or append)."""


class EventCodecError(ValidationError):
    """An event's serialised (JSON) form cannot be read into an event."""


class MgrsError(ValidationError):
    """An MGRS reference cannot be parsed, or a coordinate is outside the valid range."""


class NineLineError(ValidationError):
    """A line of a 9-line MEDEVAC request is missing or malformed.

    ``line`` is the line number (1-9, or 0 for the request as a whole), ``found`` the text that
    was read and ``allowed`` what the line may hold.
    """

    def __init__(self, line: int, found: str, allowed: str) -> None:
        self.line = line
        self.found = found
        self.allowed = allowed
        where = f"line {line}" if line else "request"
        super().__init__(where, f"found {found!r}; allowed: {allowed}")


class MistError(ValidationError):
    """A line of a MIST handover is missing or malformed."""


class EventConflictError(GoldenHourError, ValueError):
    """An event arrived with the id of a stored event but different content.

    The stored event is kept; the newcomer is refused and kept for review by the caller.
    """

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(f"event {event_id} already exists with different content")


class CasualtyNotFoundError(GoldenHourError, LookupError):
    """No casualty with this id is known (or visible to the caller)."""

    def __init__(self, casualty_id: str) -> None:
        self.casualty_id = casualty_id
        super().__init__(f"casualty {casualty_id} not found")
