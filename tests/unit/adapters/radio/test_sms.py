"""The SMS text form: readable, checksummed, GSM-7 where it can be, and exact on the way back."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_message import reference_message
from strategies_radio import compact_messages

from goldenhour.adapters.radio import (
    CompactError,
    CompactMessage,
    decode_sms,
    encode_sms,
    sms_parts,
)
from goldenhour.domain.medevac.nine_line_text import parse_nine_line

REFERENCE = reference_message()
TEXT = encode_sms(REFERENCE)


class TestReference:
    def test_the_reference_reads_as_labelled_lines(self) -> None:
        """The 9-line comes first, line by line, then each casualty's MIST."""
        lines = TEXT.splitlines()
        assert lines[:4] == ["GH1", "1 37UDQ4425519810", "2 38.9/BEREG3", "3 A2C1"]
        assert "7 E OTHER: IR strobe" in lines
        assert "S:Pulse Radial: Has Radial;Bleeding: Massive" in lines
        assert lines[-1].startswith("#") and len(lines[-1]) == 9

    def test_the_reference_is_gsm7_in_three_parts(self) -> None:
        """Its English text is all GSM-7: 316 septets, three concatenated parts of 153."""
        assert sms_parts(TEXT).encoding == "GSM-7"
        assert (sms_parts(TEXT).units, sms_parts(TEXT).parts) == (316, 3)

    def test_the_reference_round_trips(self) -> None:
        """Reading the text back gives the message."""
        assert decode_sms(TEXT) == REFERENCE

    def test_windows_line_endings_and_blank_lines_are_forgiven(self) -> None:
        """A gateway that rewrites line ends does not corrupt the message."""
        assert decode_sms("\r\n" + TEXT.replace("\n", "\r\n\r\n") + "\r\n") == REFERENCE


class TestCharacterSets:
    def test_a_short_gsm7_text_is_one_part(self) -> None:
        """160 septets fit one SMS."""
        assert sms_parts("A" * 160) == sms_parts("A" * 160).__class__(
            encoding="GSM-7", units=160, parts=1
        )

    def test_extension_characters_count_two_septets(self) -> None:
        """``[`` and ``|`` need an escape septet each (3GPP TS 23.038)."""
        assert sms_parts("[|").units == 4

    def test_cyrillic_makes_the_text_ucs2_with_70_character_parts(self) -> None:
        """Non-GSM characters are sent as UCS-2: 70 in one part, 67 per part after that."""
        assert sms_parts("Поранення" * 7).encoding == "UCS-2"
        assert sms_parts("Ж" * 70).parts == 1
        assert sms_parts("Ж" * 71).parts == 2

    def test_a_ukrainian_call_sign_round_trips(self) -> None:
        """Cyrillic is kept as typed, never transliterated."""
        request = parse_nine_line("1: 37UDQ4501990123\n2: 38.9 / Калина 21\n3: B1\n5: L1")
        message = CompactMessage(request=request)
        assert decode_sms(encode_sms(message)) == message


class TestCorruption:
    def test_a_changed_character_fails_the_checksum(self) -> None:
        """A grid digit changed in transit is caught."""
        changed = TEXT.replace("37UDQ4425519810", "37UDQ4425519817")
        assert changed != TEXT
        with pytest.raises(CompactError) as caught:
            decode_sms(changed)
        assert caught.value.field == "checksum"

    @pytest.mark.parametrize("cut", range(1, len(TEXT.splitlines())))
    def test_a_text_cut_after_any_line_is_refused(self, cut: int) -> None:
        """A missing last part (or lines) is refused, never read as a shorter request."""
        with pytest.raises(CompactError):
            decode_sms("\n".join(TEXT.splitlines()[:cut]))

    def test_an_unknown_form_is_refused(self) -> None:
        """Only GH1 is read."""
        with pytest.raises(CompactError):
            decode_sms(TEXT.replace("GH1", "GH9", 1))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(message=compact_messages)
def test_every_message_round_trips_through_sms_text(message: CompactMessage) -> None:
    assert decode_sms(encode_sms(message)) == message


@given(text=st.text(max_size=400))
def test_arbitrary_text_raises_only_compact_error(text: str) -> None:
    try:
        decode_sms(text)
    except CompactError:
        pass


@given(body=st.text(max_size=300))
def test_checksummed_arbitrary_text_raises_only_compact_error(body: str) -> None:
    """Text with a correct checksum reaches the 9-line and MIST readers; they refuse cleanly."""
    import zlib

    text = "GH1\n" + body
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    joined = "\n".join(lines)
    try:
        crc = zlib.crc32(joined.encode("utf-8", "surrogatepass"))
        decode_sms(f"{joined}\n#{crc:08X}")
    except CompactError:
        pass
