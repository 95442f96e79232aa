"""The error a FHIR bundle raises when it cannot be written or read back, naming the path."""

from __future__ import annotations

from goldenhour.domain.errors import ValidationError


class FhirError(ValidationError):
    """A FHIR bundle is refused: malformed, too large, altered, or without a Golden Hour history.

    ``path`` is where in the bundle (``Bundle.entry[3].resource``, a FHIRPath-like location) and
    ``resource`` the resource there when known (``Observation/…``); ``field`` is the path, for
    the CLI and the API.
    """

    def __init__(self, path: str, reason: str, *, resource: str | None = None) -> None:
        self.path = path
        self.resource = resource
        super().__init__(path, f"{resource}: {reason}" if resource else reason)
