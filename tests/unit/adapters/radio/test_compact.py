"""The compact binary message: small enough for one mesh packet, exact, and never misread."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_message import reference_message
from strategies_radio import compact_messages

from goldenhour.adapters.radio import (
    DESIGN_BUDGET,
    FORMAT_VERSION,
    CasualtyHandover,
    CompactError,
    CompactMessage,
    LastVitals,
    TourniquetTime,
    decode_compact,
    encode_compact,
)
from goldenhour.domain.casualty.vocabulary import Avpu, Limb
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line_text import parse_nine_line
from goldenhour.domain.triage.categories import NatoCategory

REFERENCE = reference_message()
ENCODED = encode_compact(REFERENCE)


def _with_crc(body: bytes) -> bytes:
    return body + zlib.crc32(body).to_bytes(4, "big")


class TestReference:
    def test_the_reference_9_line_with_zmist_fits_the_200_byte_budget(self) -> None:
        """As ATAK writes it, it is 1613 bytes of XML; the compact form is at most 200."""
        assert len(ENCODED) <= DESIGN_BUDGET

    def test_the_reference_decodes_to_exactly_what_was_encoded(self) -> None:
        """Every line, count and MIST item comes back."""
        assert decode_compact(ENCODED) == REFERENCE

    def test_the_message_starts_with_the_version_and_ends_with_its_crc32(self) -> None:
        """Byte 0 is the format version; the last four bytes are the CRC-32 of the rest."""
        assert ENCODED[0] == FORMAT_VERSION == 1
        assert int.from_bytes(ENCODED[-4:], "big") == zlib.crc32(ENCODED[:-4])

    def test_card_essentials_survive_the_trip(self) -> None:
        """Triage, tourniquet times and the last vitals decode as sent."""
        at = datetime(2022, 6, 14, 12, 32, tzinfo=UTC)
        handover = CasualtyHandover(
            mist=Mist(zap="PA4821", age=34, time_of_injury=at, mechanism=("artillery",)),
            triage=NatoCategory.T1,
            tourniquets=(TourniquetTime(limb=Limb.LEFT_LEG, applied_at=at),),
            vitals=LastVitals(taken_at=at, pulse=118, spo2=94, systolic=96, avpu=Avpu.ALERT),
        )
        message = CompactMessage(request=REFERENCE.request, casualties=(handover,), casevac=True)
        assert decode_compact(encode_compact(message)) == message


class TestCorruption:
    @pytest.mark.parametrize("bit", range(len(ENCODED) * 8))
    def test_every_single_flipped_bit_is_detected(self, bit: int) -> None:
        """A CRC-32 detects every single-bit error, so no flip decodes into other data."""
        corrupted = bytearray(ENCODED)
        corrupted[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(CompactError):
            decode_compact(bytes(corrupted))

    @pytest.mark.parametrize("length", range(len(ENCODED)))
    def test_every_truncation_is_refused(self, length: int) -> None:
        """A message cut short at any byte is refused."""
        with pytest.raises(CompactError):
            decode_compact(ENCODED[:length])

    def test_a_trailing_byte_is_refused(self) -> None:
        """Extra bytes after the CRC move it, and the checksum fails."""
        with pytest.raises(CompactError, match="checksum"):
            decode_compact(ENCODED + b"\x00")

    def test_another_version_is_refused_by_name(self) -> None:
        """A version this reader does not know is refused as such."""
        with pytest.raises(CompactError) as caught:
            decode_compact(_with_crc(bytes([2]) + ENCODED[1:-4]))
        assert caught.value.field == "version"

    def test_a_bad_checksum_is_refused_by_name(self) -> None:
        """The field of the error is ``checksum``."""
        with pytest.raises(CompactError) as caught:
            decode_compact(ENCODED[:-1] + bytes([ENCODED[-1] ^ 0xFF]))
        assert caught.value.field == "checksum"

    def test_trailing_text_inside_a_valid_crc_is_refused(self) -> None:
        """A well-checksummed message with an extra string is still refused."""
        request = parse_nine_line("1: 37UDQ4501990123\n2: 38.9 / Q\n3: B1\n5: L1")
        plain = encode_compact(CompactMessage(request=request))[:-4]
        assert not plain[1] & 0x80  # a one-letter call sign is stored, not deflated
        with pytest.raises(CompactError, match="trailing"):
            decode_compact(_with_crc(plain + b"\x01x"))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(message=compact_messages)
def test_every_message_round_trips(message: CompactMessage) -> None:
    assert decode_compact(encode_compact(message)) == message


@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_compact_error(data: bytes) -> None:
    try:
        decode_compact(data)
    except CompactError:
        pass


@given(body=st.binary(max_size=120))
def test_checksummed_garbage_raises_only_compact_error(body: bytes) -> None:
    """Bytes with a correct CRC and version reach the field readers; they refuse cleanly."""
    try:
        decode_compact(_with_crc(bytes([FORMAT_VERSION]) + body))
    except CompactError:
        pass


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(message=compact_messages, data=st.data())
def test_any_flipped_bit_of_any_message_is_detected(
    message: CompactMessage, data: st.DataObject
) -> None:
    encoded = bytearray(encode_compact(message))
    bit = data.draw(st.integers(0, len(encoded) * 8 - 1))
    encoded[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(CompactError):
        decode_compact(bytes(encoded))


def test_a_time_before_2000_is_refused_on_writing() -> None:
    early = datetime(1999, 12, 31, 23, 59, tzinfo=UTC)
    with pytest.raises(CompactError, match="2000"):
        TourniquetTime(limb=None, applied_at=early)
