"""Events survive the wire form unchanged; malformed input gets our error naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.casualty.events import CasualtyEvent, TriageAssessed, VitalsRecorded
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.codec import decode_event, encode_card, encode_event
from goldenhour.domain.errors import EventCodecError, InvalidEventError, ValidationError
from goldenhour.domain.triage.categories import NatoCategory, StartCategory, TriageSystem

from builders import make
from strategies import histories

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(events=histories())
def test_every_event_round_trips_through_json(events: list[CasualtyEvent]) -> None:
    for event in events:
        wire = json.loads(json.dumps(encode_event(event)))
        assert decode_event(wire) == event


@given(events=histories(max_steps=6), data=st.data())
def test_a_garbled_field_raises_our_error_and_nothing_else(
    events: list[CasualtyEvent], data: st.DataObject
) -> None:
    encoded = encode_event(data.draw(st.sampled_from(events)))
    key = data.draw(st.sampled_from(sorted(encoded)))
    encoded[key] = data.draw(json_values)
    try:
        decode_event(encoded)
    except ValidationError:
        pass


@given(raw=json_values)
def test_arbitrary_json_never_raises_anything_but_our_error(raw: Any) -> None:
    with pytest.raises(ValidationError):
        decode_event(raw)


def test_an_unknown_field_is_refused_by_name() -> None:
    encoded = encode_event(make(VitalsRecorded, pulse=80))
    encoded["heart_rate"] = 80
    with pytest.raises(EventCodecError) as raised:
        decode_event(encoded)
    assert raised.value.field == "heart_rate"


def test_a_missing_required_field_is_named() -> None:
    encoded = encode_event(make(VitalsRecorded, pulse=80))
    del encoded["occurred_at"]
    with pytest.raises(EventCodecError) as raised:
        decode_event(encoded)
    assert raised.value.field == "occurred_at"


def test_an_impossible_value_is_refused_by_the_event_itself() -> None:
    encoded = encode_event(make(VitalsRecorded, pulse=80))
    encoded["spo2"] = 104
    with pytest.raises(InvalidEventError) as raised:
        decode_event(encoded)
    assert raised.value.field == "spo2"


def test_an_enum_value_error_lists_the_allowed_values() -> None:
    encoded = encode_event(make(VitalsRecorded, pulse=80))
    encoded["avpu"] = "X"
    with pytest.raises(EventCodecError, match="avpu: 'X' is not one of: A, V, P, U"):
        decode_event(encoded)


def test_a_time_without_zone_is_refused_on_the_wire() -> None:
    encoded = encode_event(make(VitalsRecorded, pulse=80))
    encoded["occurred_at"] = "2022-06-14T12:30:00"
    with pytest.raises(EventCodecError, match="no time zone"):
        decode_event(encoded)


def test_triage_categories_are_read_in_their_own_system() -> None:
    start = make(TriageAssessed, system=TriageSystem.START, category=StartCategory.DEAD)
    nato = make(TriageAssessed, system=TriageSystem.NATO, category=NatoCategory.DEAD)
    assert decode_event(encode_event(start)).category is StartCategory.DEAD
    assert decode_event(encode_event(nato)).category is NatoCategory.DEAD


@given(events=histories())
def test_an_encoded_card_is_plain_json(events: list[CasualtyEvent]) -> None:
    card = CasualtyHistory(events[0].casualty_id, events).card()
    encoded = encode_card(card)
    assert json.loads(json.dumps(encoded)) == encoded
    assert encoded["version"] == len(events)
