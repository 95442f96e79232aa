"""FHIR R4 handoff: a casualty's card as a transaction Bundle, and the bundle read back.

``export_bundle`` turns a casualty's events into a Bundle (a JSON-ready dict) of structured
resources plus the complete event history; ``read_bundle`` / ``import_bundle`` give the events
back, refusing anything malformed or altered with ``FhirError``. docs/fhir.md maps every field.
"""

from __future__ import annotations

from goldenhour.adapters.fhir.bundle_import import (
    MAX_BUNDLE_BYTES,
    import_bundle,
    parse_bundle_json,
    read_bundle,
)
from goldenhour.adapters.fhir.errors import FhirError
from goldenhour.adapters.fhir.export import HISTORY_MEDIA_TYPE, export_bundle

#: Media type of a FHIR resource in JSON (FHIR R4 §2.6.0 http.html#mime-type).
FHIR_JSON = "application/fhir+json"

__all__ = [
    "FHIR_JSON",
    "HISTORY_MEDIA_TYPE",
    "MAX_BUNDLE_BYTES",
    "FhirError",
    "export_bundle",
    "import_bundle",
    "parse_bundle_json",
    "read_bundle",
]
