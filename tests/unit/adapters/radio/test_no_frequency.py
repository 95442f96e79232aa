"""A request received without a frequency (an ATAK marker with freq="0.0") over radio and SMS.

Compact and SMS have no way to carry "no frequency": they refuse naming line 2 rather than
send a made-up one; the voice read-back says it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from reference_message import reference_message

from goldenhour.adapters.radio import (
    CompactError,
    CompactMessage,
    encode_compact,
    encode_sms,
    voice_readback,
)


def _without_frequency() -> CompactMessage:
    message = reference_message()
    # The reference is ATAK's capture, whose counts do not add up: kept as sent.
    request = replace(message.request, frequency=None, check_totals=False)
    return replace(message, request=request)


@pytest.mark.parametrize("encode", [encode_compact, encode_sms])
def test_compact_and_sms_refuse_a_request_without_a_frequency_naming_line_2(
    encode: Callable[[CompactMessage], object],
) -> None:
    message = _without_frequency()
    with pytest.raises(CompactError) as caught:
        encode(message)
    assert caught.value.field == "line 2"


def test_the_voice_read_back_says_there_is_no_frequency() -> None:
    message = _without_frequency()
    assert "NO FREQUENCY, CALL SIGN" in voice_readback(message)
