"""Every CoT message other projects wrote (``../shared/reference/cot-peers/``) decodes as expected.

The corpus (139 messages from ten projects: ATAK-CIV, FreeTAKServer, taky, pytak, Meshtastic's
TAK SDK...) sits beside the repository, as in CI, and is never copied in: several are GPL-3.0.
Its README says, per file, what ``goldenhour cot decode`` did with it when the corpus was
gathered; that is the expected outcome here, except for the files whose reading issue 12 fixed
(``FIXED`` below). Without the directory the test is skipped, saying which directory is missing;
the same forms are tested on a bare clone with the project's own messages
(tests/unit/adapters/cot/test_peer_forms.py, test_medevac_lines.py, test_missing_times.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from goldenhour.adapters.cot import (
    ChatMessage,
    CircleArea,
    CotError,
    FreehandArea,
    MedevacMarker,
    PointMarker,
    PositionReport,
    ThreatShape,
)
from goldenhour.adapters.cot.tool import decode_event, unused_type_reason
from goldenhour.domain.medevac.nine_line_text import encode_nine_line

from shared_reference import missing_reason, shared_reference

_FOUND = shared_reference("cot-peers")
if _FOUND is None:
    pytest.skip(missing_reason("cot-peers"), allow_module_level=True)
PEERS: Path = _FOUND

_ROW = re.compile(r"^\| (?P<file>[a-z0-9-]+\.(?:xml|bin)) \|.*\| (?P<outcome>[^|]+) \|$")


def _recorded() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in (PEERS / "README.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows[match["file"]] = match["outcome"].strip()
    return rows


RECORDED = _recorded()

# What the decoder does now with the files issue 12 named (GAP and MISREAD in the README).
FIXED = {
    "atakciv-4.xml": "ok: freehand 1 stroke(s)",
    "cotshrink-6.xml": "ok: freehand 1 stroke(s)",
    "atakciv-13.xml": "ok: PointMarker",
    "atakciv-14.xml": "ok: PointMarker",
    "takpkt-13.xml": "ok: PointMarker",
    "commo-7.xml": "ok: PositionReport",
    # Dated when received (FreeTAKServer's way) instead of refused for a missing time.
    "hbc-1.xml": "ok: PointMarker",
    "hbc-2.xml": "ok: PointMarker",
    "hbc-4.xml": "refused: error: event: type 'b-a-o-tbl' is not one Golden Hour uses",
    "hbc-9.xml": "ok: MEDEVAC LINE 2: NO FREQUENCY / RECEIVER.1; LINE 3: A1 B2 C4 D3 E5; "
    "LINE 4: A; LINE 5: L0 A1; LINE 6: N; LINE 7: D; LINE 9: TERRAIN: NONE",
    "takpkt-5.xml": "ok: MEDEVAC LINE 2: 38.900 MHZ / Casevac-1; LINE 3: A2 B0 C1 D0 E0; "
    "LINE 4: B C; LINE 5: L2 A1; LINE 6: N; LINE 7: C; LINE 8: A2 B0 C1 D0 E0; "
    "LINE 9: TERRAIN: SLOPE NE, LOOSE",
    "nodecot-1.xml": "refused: error: event: type 'b-t-f-d' is a chat delivery or read "
    "receipt, not a message",
    "takpkt-6.xml": "refused: error: event: type 'b-t-f-d' is a chat delivery or read "
    "receipt, not a message",
    "nodecot-2.xml": "refused: error: event: type 'b-t-f-r' is a chat delivery or read "
    "receipt, not a message",
    "takpkt-7.xml": "refused: error: event: type 'b-t-f-r' is a chat delivery or read "
    "receipt, not a message",
    # Out of scope still, but for its type, no longer for hae="NaN".
    "nodecot-32.xml": "refused: error: event: type 'b-f-t-a' is not one Golden Hour uses",
}


def _expected(name: str) -> str:
    if name in FIXED:
        return FIXED[name]
    recorded = RECORDED[name]
    assert recorded.startswith(("ok: ", "refused (legit): ")), f"{name}: {recorded}"
    return recorded.replace("refused (legit): ", "refused: ", 1)


def outcome(data: bytes) -> str:
    """Say what the decoder makes of a message, in the README's words."""
    try:
        event = decode_event(data)
    except CotError as error:
        return f"refused: error: {error}"
    meaning = event.meaning
    if meaning is None:
        return f"refused: error: event: {unused_type_reason(event.type)}"
    if isinstance(meaning, MedevacMarker):
        if meaning.nine_line is None:
            return "ok: MEDEVAC marker without 9-line" + (" (remarks only)" * bool(event.remarks))
        lines = encode_nine_line(meaning.nine_line).splitlines()[1:]
        return "ok: MEDEVAC " + "; ".join(lines)
    if isinstance(meaning, ThreatShape):
        area = meaning.area
        if isinstance(area, CircleArea):
            return f"ok: circle/ellipse r={area.major_m:.0f} m"
        if isinstance(area, FreehandArea):
            return f"ok: freehand {len(area.strokes)} stroke(s)"
        shape = "Polygon" if area.closed else "LineString"
        return f"ok: {shape} {len(area.vertices)} vertices"
    assert isinstance(meaning, PositionReport | PointMarker | ChatMessage)
    return f"ok: {type(meaning).__name__}"


def test_the_readme_lists_every_file_of_the_corpus_once() -> None:
    on_disk = {path.name for path in PEERS.iterdir() if path.suffix in (".xml", ".bin")}
    assert set(RECORDED) == on_disk
    assert len(RECORDED) == 139
    assert set(FIXED) <= on_disk


@pytest.mark.parametrize("name", sorted(RECORDED), ids=str)
def test_each_message_decodes_as_expected(name: str) -> None:
    assert outcome((PEERS / name).read_bytes()) == _expected(name)
