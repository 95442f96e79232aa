"""The reference 9-line with two ZMISTs (ATAK-CIV 4.0.0.7) as a compact message, for the tests."""

from __future__ import annotations

from pathlib import Path

from goldenhour.adapters.cot import MedevacMarker, decode_cot
from goldenhour.adapters.radio import CasualtyHandover, CompactMessage

# CI clones the repository with shared/ beside it: repo root -> its parent -> shared.
REFERENCE_COT = Path(__file__).resolve().parents[4].parent / "shared" / "reference" / "cot"
NINE_LINE_ZMIST = REFERENCE_COT / "atak-medevac-9line-zmist.xml"


def reference_message() -> CompactMessage:
    """Return the reference MEDEVAC marker's 9-line and MISTs as a compact message."""
    marker = decode_cot(NINE_LINE_ZMIST.read_bytes()).meaning
    assert isinstance(marker, MedevacMarker) and marker.nine_line is not None
    return CompactMessage(
        request=marker.nine_line,
        casualties=tuple(CasualtyHandover(mist=entry.mist) for entry in marker.mists),
        casevac=marker.casevac,
    )
