"""A casualty stored with control characters in its text is still drawn on TAK, escaped.

Control characters other than tab, line feed and carriage return are refused as events arrive,
but a record stored before that rule keeps its text. XML cannot carry those characters, so the
bridge writes each as a visible escape (``\\x1b``) instead of refusing the whole marker.
"""

from __future__ import annotations

from goldenhour.adapters.cot import decode_cot, encode_cot
from goldenhour.bridges.tak.outbound import casualty_marker, stream_uid
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyRegistered, NoteAdded
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.geo.position import Position

from builders import CASUALTY, at, make


def test_a_casualty_whose_callsign_holds_escape_and_nul_is_drawn_with_them_escaped() -> None:
    """The marker is sent and reads back, with ``\\x1b`` and ``\\x00`` written out."""
    events = [
        make(
            CasualtyRegistered,
            identity=Identity(callsign="VIPER\x1b[31m\x00"),
            position=Position(lat=48.85, lon=37.6),
        ),
        make(NoteAdded, minute=2, text="bell\x07"),
    ]
    card = fold(CASUALTY, events)
    marker = casualty_marker(card, uid=stream_uid("casualty", CASUALTY), now=at(5))
    assert marker is not None

    read = decode_cot(encode_cot(marker))

    assert read.callsign == "CAS VIPER\\x1b[31m\\x00"
