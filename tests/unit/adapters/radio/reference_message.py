"""The project's 9-line with two ZMISTs (tests/data/cot/) as a compact message, for the tests."""

from __future__ import annotations

from goldenhour.adapters.cot import MedevacMarker, decode_cot
from goldenhour.adapters.radio import CasualtyHandover, CompactMessage

from cot_samples import NINE_LINE_ZMIST


def reference_message() -> CompactMessage:
    """Return the reference MEDEVAC marker's 9-line and MISTs as a compact message."""
    marker = decode_cot(NINE_LINE_ZMIST.read_bytes()).meaning
    assert isinstance(marker, MedevacMarker) and marker.nine_line is not None
    return CompactMessage(
        request=marker.nine_line,
        casualties=tuple(CasualtyHandover(mist=entry.mist) for entry in marker.mists),
        casevac=marker.casevac,
    )
