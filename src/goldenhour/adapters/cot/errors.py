"""The error a CoT event raises when it cannot be read or written, naming the element."""

from __future__ import annotations

from goldenhour.domain.errors import ValidationError


class CotError(ValidationError):
    """A CoT event (XML or TAK protobuf) is refused: malformed, hostile, too large or unusable.

    ``element`` names the element (``event``, ``point``, ``_medevac_``...) and ``attribute`` the
    attribute when one is at fault; ``field`` is ``element@attribute`` for the CLI and the API.
    """

    def __init__(self, element: str, reason: str, *, attribute: str | None = None) -> None:
        self.element = element
        self.attribute = attribute
        super().__init__(f"{element}@{attribute}" if attribute else element, reason)
