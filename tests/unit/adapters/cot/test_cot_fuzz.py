"""Fuzzing the CoT and TAK protobuf readers, and round trips of generated MEDEVAC markers."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenhour.adapters.cot import (
    CotError,
    CotEvent,
    CotPoint,
    MedevacMarker,
    ZMist,
    decode_cot,
    decode_tak_proto,
    encode_cot,
    encode_tak_proto,
)
from goldenhour.domain.geo.mgrs import to_mgrs
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line import NineLineRequest

from cot_samples import CAPTURED_FILES, OWN_FILES
from strategies_nine_line import nine_line_requests

# Mutation seeds: the project's own messages, and the ATAK captures when they are beside it.
REFERENCES = [path.read_bytes() for path in [*OWN_FILES, *CAPTURED_FILES]]
xml_ish = st.text(alphabet=st.sampled_from(list("<>/='\" &;#!?[]-_:.abcdeilnoptvxyz0123456789")))


@given(text=xml_ish | st.text())
def test_arbitrary_xml_ish_text_raises_only_cot_error(text: str) -> None:
    try:
        decode_cot(text)
    except CotError:
        pass


@given(data=st.binary())
def test_arbitrary_bytes_raise_only_cot_error(data: bytes) -> None:
    try:
        decode_cot(data)
    except CotError:
        pass


@given(
    reference=st.sampled_from(REFERENCES),
    edits=st.lists(st.tuples(st.integers(0, 2000), st.binary(max_size=3)), min_size=1, max_size=6),
)
def test_mutated_reference_events_raise_only_cot_error(
    reference: bytes, edits: list[tuple[int, bytes]]
) -> None:
    data = bytearray(reference)
    for position, replacement in edits:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    try:
        event = decode_cot(bytes(data))
    except CotError:
        return
    try:
        encode_cot(event)
    except CotError:
        pass


@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_cot_error_from_takproto(data: bytes) -> None:
    for framed in (data, b"\xbf\x01\xbf" + data):
        try:
            decode_tak_proto(framed)
        except CotError:
            pass


single_spaced = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9 ,./:>%-]{0,20}[A-Za-z0-9]\Z")
zmists = st.builds(
    Mist,
    zap=single_spaced,
    mechanism=st.lists(single_spaced, max_size=2).map(tuple),
    injuries=st.lists(single_spaced, max_size=2).map(tuple),
    signs=st.lists(single_spaced, max_size=3).map(tuple),
    treatment=st.lists(single_spaced, max_size=2).map(tuple),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    request=nine_line_requests(),
    mists=st.lists(zmists, max_size=3),
    lat=st.floats(-79.9, 83.9),
    lon=st.floats(-180.0, 180.0),
    casevac=st.booleans(),
)
def test_generated_medevac_markers_survive_xml_and_protobuf(
    request: NineLineRequest, mists: list[Mist], lat: float, lon: float, casevac: bool
) -> None:
    """What we write, we read back as written; the 9-line's location is the point's grid."""
    now = datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)
    event = CotEvent(
        uid="gh-1",
        type="b-r-f-h-c",
        time=now,
        start=now,
        stale=now,
        point=CotPoint(lat=lat, lon=lon),
        callsign=request.call_sign,
        meaning=MedevacMarker(
            nine_line=request,
            casevac=casevac,
            mists=tuple(ZMist(title=f"ZMIST{n}", mist=m) for n, m in enumerate(mists, 1)),
        ),
    )
    first = decode_cot(encode_cot(event))
    assert decode_cot(encode_cot(first)) == first
    assert decode_tak_proto(encode_tak_proto(first)) == first
    marker = first.meaning
    assert isinstance(marker, MedevacMarker) and marker.nine_line is not None
    assert marker.nine_line.location == to_mgrs(lat, lon)
    assert marker.nine_line.patients_by_precedence == request.patients_by_precedence
    assert marker.nine_line.nbc == request.nbc
    assert marker.casevac is casevac
    assert tuple(entry.mist for entry in marker.mists) == tuple(mists)


def test_a_roster_number_reads_back_with_the_spaces_it_was_sent_with() -> None:
    """Found by the test above: a zap of "0  0" came back "0 0" (the reader collapsed runs of
    spaces in the number only, never in the MIST's other lines)."""
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    mists = (ZMist(title="ZMIST1", mist=Mist(zap="AB  1234", injuries=("GSW  left thigh",))),)
    sent = CotEvent(
        uid="gh-2", type="b-r-f-h-c", time=now, start=now, stale=now,
        point=CotPoint(lat=48.9, lon=38.2), callsign="KALYNA 21",
        meaning=MedevacMarker(nine_line=None, casevac=False, mists=mists),
    )  # fmt: skip
    for read in (decode_cot(encode_cot(sent)), decode_tak_proto(encode_tak_proto(sent))):
        assert isinstance(read.meaning, MedevacMarker)
        assert [z.mist.zap for z in read.meaning.mists] == ["AB  1234"]
