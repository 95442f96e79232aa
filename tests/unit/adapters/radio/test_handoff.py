"""The phone-to-phone handoff codec: a casualty's whole history in QR codes, and back."""

from __future__ import annotations

import json
import random
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenhour.adapters.radio.errors import CompactError
from goldenhour.adapters.radio.handoff import (
    HANDOFF_VERSION,
    PART_BYTES,
    decode_handoff,
    encode_handoff,
    read_part,
)
from goldenhour.domain.casualty.events import EVENT_TYPES
from goldenhour.domain.codec import decode_event, encode_event
from handoff_cases import GOLDEN, dump, golden
from handoff_cases import histories as handoff_histories

from strategies import histories
from strategies_card import printed_card_histories

_DEMO = "tourniquet, name and vitals (Ukrainian text)"


def _wire(events: list[Any]) -> list[dict[str, Any]]:
    # The wire form as JSON gives it back (tuples become lists).
    wire: list[dict[str, Any]] = json.loads(json.dumps([encode_event(e) for e in events]))
    return wire


def _golden() -> Any:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_checked_in_vectors_are_what_the_codec_writes_now() -> None:
    """A format changed without `python tests/handoff_cases.py` leaves stale vectors: this fails."""
    assert GOLDEN.read_text(encoding="utf-8") == dump(golden())


def test_the_vectors_name_every_kind_of_casualty_entry() -> None:
    """The browser refuses kinds by this list: it must be the domain's."""
    assert _golden()["casualty_kinds"] == sorted(EVENT_TYPES)


@pytest.mark.parametrize("vector", _golden()["good"], ids=lambda v: v["name"])
def test_each_golden_vector_decodes_to_its_history(vector: dict[str, Any]) -> None:
    parts = [bytes.fromhex(p) for p in vector["parts"]]
    assert decode_handoff(parts) == vector["events"]
    shuffled = parts * 2
    random.Random(7).shuffle(shuffled)
    assert decode_handoff(shuffled) == vector["events"], "order and repeats do not matter"


@pytest.mark.parametrize("vector", _golden()["bad"], ids=lambda v: v["name"])
def test_each_bad_vector_is_refused_naming_the_field(vector: dict[str, Any]) -> None:
    with pytest.raises(CompactError) as refused:
        decode_handoff(bytes.fromhex(p) for p in vector["parts"])
    assert refused.value.field == vector["field"]


@settings(max_examples=150, deadline=None)
@given(events=st.one_of(histories(), printed_card_histories()), part_bytes=st.integers(100, 600))
def test_any_history_comes_back_entry_for_entry(events: list[Any], part_bytes: int) -> None:
    """Ids, times, authors and every field survive; every part fits ``part_bytes`` + header."""
    wire = _wire(events)
    parts = encode_handoff(wire, part_bytes=part_bytes)
    assert all(len(part) <= part_bytes + 7 for part in parts)
    assert [read_part(p).index for p in parts] == list(range(1, len(parts) + 1))
    back = decode_handoff(parts)
    assert back == wire
    assert [decode_event(e) for e in back] == list(events)


def test_a_value_the_domain_refuses_is_refused_by_the_python_codec() -> None:
    """The server's reader checks every entry as the server would: a pulse of 400 is named."""
    [vector] = [v for v in _golden()["good"] if v["name"] == _DEMO]
    events = [dict(e) for e in vector["events"]]
    events[3]["pulse"] = 400
    with pytest.raises(CompactError) as refused:
        decode_handoff(_unchecked(events))
    assert refused.value.field == "events[3].pulse"


def _unchecked(events: list[dict[str, Any]]) -> list[bytes]:
    # A sender that does not check (another program): the reader must still refuse.
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = packer.compress(json.dumps(events).encode()) + packer.flush()
    return [bytes([HANDOFF_VERSION, 1, 1]) + zlib.crc32(deflated).to_bytes(4, "big") + deflated]


def test_the_demo_casualty_fits_in_two_codes() -> None:
    """The size the docs give: six entries (tourniquet, name, vitals, TXA, a note) in two."""
    assert len(encode_handoff(handoff_histories()[_DEMO])) == 2
    assert PART_BYTES == 360


def test_a_history_needing_more_than_64_codes_is_refused_whole() -> None:
    [vector] = [v for v in _golden()["good"] if v["name"] == _DEMO]
    with pytest.raises(CompactError) as refused:
        encode_handoff(vector["events"], part_bytes=8)
    assert refused.value.field == "length"
