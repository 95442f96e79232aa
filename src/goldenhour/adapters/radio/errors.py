"""The error a compact radio or SMS message raises when it cannot be written or read."""

from __future__ import annotations

from goldenhour.domain.errors import ValidationError


class CompactError(ValidationError):
    """A compact (binary or SMS) message is refused: bad version, checksum, length or content.

    ``field`` names what was wrong (``version``, ``checksum``, ``length``, ``line 3``,
    ``casualty 2.zap``...) and ``reason`` says why. A message that raises this was not decoded
    at all: nothing from it may be used.
    """
