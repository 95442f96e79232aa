"""TAK Protocol v1: every reference event survives protobuf, framed for mesh or stream."""

from __future__ import annotations

from pathlib import Path

import pytest
import takproto

from goldenhour.adapters.cot import CotError, decode_cot, decode_tak_proto, encode_tak_proto
from goldenhour.adapters.cot.proto_codec import TakFraming

from cot_samples import NINE_LINE_ZMIST, PLI, cot_files


@pytest.mark.parametrize("framing", list(TakFraming), ids=lambda f: f.value)
@pytest.mark.parametrize("path", cot_files())
def test_every_reference_event_round_trips_through_protobuf(
    path: Path, framing: TakFraming
) -> None:
    event = decode_cot(path.read_bytes())
    assert decode_tak_proto(encode_tak_proto(event, framing=framing)) == event


@pytest.mark.parametrize("path", cot_files())
def test_takproto_reads_what_we_write(path: Path) -> None:
    """takproto's own parser (the reference implementation we test against) reads our bytes."""
    event = decode_cot(path.read_bytes())
    message = takproto.parse_proto(bytearray(encode_tak_proto(event)))
    assert (message.cotEvent.uid, message.cotEvent.type) == (event.uid, event.type)


@pytest.mark.parametrize("path", cot_files())
def test_we_read_what_takproto_writes_with_the_same_meaning(path: Path) -> None:
    """takproto.xml2proto on a trusted fixture gives the event we read from the XML."""
    event = decode_cot(path.read_bytes())
    theirs = decode_tak_proto(bytes(takproto.xml2proto(path.read_bytes())))
    assert (theirs.uid, theirs.point, theirs.callsign, theirs.meaning) == (
        event.uid,
        event.point,
        event.callsign,
        event.meaning,
    )


def test_typed_fields_carry_the_pli_contact_group_and_track() -> None:
    message = takproto.parse_proto(bytearray(encode_tak_proto(decode_cot(PLI.read_bytes()))))
    detail = message.cotEvent.detail
    assert (detail.contact.callsign, detail.group.name, detail.status.battery) == (
        "BEREG3",
        "Cyan",
        71,
    )
    assert "<contact" not in detail.xmlDetail


STREAM = encode_tak_proto(decode_cot(NINE_LINE_ZMIST.read_bytes()), framing=TakFraming.STREAM)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "0xbf"),
        (b"<event/>", "0xbf"),
        (STREAM[:-1], "follow"),
        (STREAM + b"\x00", "follow"),
        (b"\xbf\xff", "length prefix"),
        (b"\xbf\x01\xbf\xff\xff", "not a TAK protobuf"),
        (b"\xbf\x01\xbf", "no cotEvent"),
    ],
)
def test_bad_framing_or_protobuf_raises_cot_error(data: bytes, reason: str) -> None:
    with pytest.raises(CotError, match=reason):
        decode_tak_proto(data)
