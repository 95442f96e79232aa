"""The error a printed card raises when it cannot be drawn, or its QR code cannot be read."""

from __future__ import annotations

from goldenhour.domain.errors import ValidationError


class PrintingError(ValidationError):
    """A card cannot be printed or its QR code read: no font, no QR in the image, bad payload.

    ``field`` names what was wrong (``font``, ``qr``, ``image``, ``payload``) and ``reason``
    says why and, where it helps, which Debian package supplies what is missing.
    """
