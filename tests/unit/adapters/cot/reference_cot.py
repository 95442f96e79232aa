"""Paths of the real ATAK-CIV 4.0.0.7 CoT events in shared/reference/cot/ (read, never copied)."""

from __future__ import annotations

from pathlib import Path

# CI clones the repository with shared/ beside it: repo root -> its parent -> shared.
REFERENCE_COT = Path(__file__).resolve().parents[4].parent / "shared" / "reference" / "cot"
REFERENCE_FILES = sorted(REFERENCE_COT.glob("*.xml"))
NINE_LINE_ZMIST = REFERENCE_COT / "atak-medevac-9line-zmist.xml"
MINIMAL_MARKER = REFERENCE_COT / "atak-medevac-marker-minimal.xml"
PLI = REFERENCE_COT / "atak-pli-sa.xml"
USER_ICON = REFERENCE_COT / "atak-marker-usericon.xml"
GEOCHAT = REFERENCE_COT / "atak-geochat-p2p.xml"
