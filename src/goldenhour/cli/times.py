"""Reading the "now" a command reckons clocks at: the real clock unless a time is given."""

from __future__ import annotations

from datetime import UTC, datetime

from goldenhour.domain.errors import ValidationError


def resolve_now(text: str | None) -> datetime:
    """Return ``text`` as an aware datetime, or the current UTC time when it is ``None``."""
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError("--now", f"{text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValidationError("--now", f"{text!r} has no time zone; add Z or an offset")
    return moment
