"""The errors the TAK bridge raises, each also the fitting built-in.

TakBridgeError (GoldenHourError)
├── GoldenHourUnavailable (ConnectionError)   the Golden Hour server cannot be reached; retried
├── GoldenHourRefused (PermissionError)       the server refused the bridge's login; fatal
└── BridgeStateError (ValueError)             the state file cannot be read or written
"""

from __future__ import annotations

from goldenhour.domain.errors import GoldenHourError


class TakBridgeError(GoldenHourError):
    """Root of the errors raised by the TAK bridge."""


class GoldenHourUnavailable(TakBridgeError, ConnectionError):
    """The Golden Hour server did not answer, or answered with a server error; try again."""

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


class GoldenHourRefused(TakBridgeError, PermissionError):
    """The Golden Hour server refused the bridge's user name and password."""

    def __init__(self, username: str, reason: str) -> None:
        self.username = username
        self.reason = reason
        super().__init__(f"{username}: {reason}")


class BridgeStateError(TakBridgeError, ValueError):
    """The bridge's state file cannot be read or written; ``path`` names it."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")
