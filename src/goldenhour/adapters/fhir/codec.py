"""The FHIR R4 bundle format as ``services.handoff.BundleCodec``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from goldenhour.adapters.fhir.bundle_import import MAX_BUNDLE_BYTES, read_bundle
from goldenhour.adapters.fhir.export import export_bundle
from goldenhour.domain.casualty.events import CasualtyEvent

__all__ = ["FhirBundles"]


class FhirBundles:
    """FHIR R4 transaction Bundles (docs/fhir.md maps their resources)."""

    @property
    def max_bytes(self) -> int:
        """Return the size of the largest bundle ``read`` accepts."""
        return MAX_BUNDLE_BYTES

    def export(self, events: Iterable[CasualtyEvent], *, casualty_id: UUID) -> dict[str, Any]:
        """Return the casualty's card and full history as a Bundle; see ``export_bundle``."""
        return export_bundle(events, casualty_id=casualty_id)

    def read(self, data: bytes) -> list[CasualtyEvent]:
        """Return the events a Bundle carries; see ``read_bundle``."""
        return read_bundle(data)
