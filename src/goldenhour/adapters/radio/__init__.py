"""Radio and SMS forms of a 9-line with MIST: a compact binary message and its text forms.

``encode_compact`` / ``decode_compact`` write and read the binary message (mesh radio, at most
200 bytes for the reference 9-line with two ZMISTs); ``encode_sms`` / ``decode_sms`` the text
form for SMS, and ``voice_readback`` the words to read it out on a voice net.
"""

from __future__ import annotations

from goldenhour.adapters.radio.compact import (
    DESIGN_BUDGET,
    FORMAT_VERSION,
    MESHTASTIC_MAX_PAYLOAD,
    decode_compact,
    encode_compact,
)
from goldenhour.adapters.radio.errors import CompactError
from goldenhour.adapters.radio.model import (
    CasualtyHandover,
    CompactMessage,
    LastVitals,
    TourniquetTime,
)
from goldenhour.adapters.radio.sms import SmsParts, decode_sms, encode_sms, sms_parts
from goldenhour.adapters.radio.voice import voice_readback

__all__ = [
    "DESIGN_BUDGET",
    "FORMAT_VERSION",
    "MESHTASTIC_MAX_PAYLOAD",
    "CasualtyHandover",
    "CompactError",
    "CompactMessage",
    "LastVitals",
    "SmsParts",
    "TourniquetTime",
    "decode_compact",
    "decode_sms",
    "encode_compact",
    "encode_sms",
    "sms_parts",
    "voice_readback",
]
