"""A CoT event without time, start or stale is dated when received, never refused (issue 12).

FreeTAKServer fills "now" and stale = now + 60 s for senders that leave them out; so do we,
and the event says which times were filled. The messages are the project's own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goldenhour.adapters.cot import CotError, MedevacMarker, PointMarker, decode_cot

RECEIVED = datetime(2026, 8, 19, 1, 20, 26, tzinfo=UTC)


def _event(times: str, *, cot_type: str = "a-f-G", detail: str = "") -> str:
    return (
        f'<event version="2.0" uid="test-times-1" type="{cot_type}" how="m-g" {times}>'
        f'<point lat="39.87" lon="-98.32" hae="245.9" ce="2.5" le="9999999"/>'
        f'<detail><contact callsign="ONYX"/>{detail}</detail></event>'
    )


def test_an_event_without_any_time_is_dated_when_received() -> None:
    event = decode_cot(_event(""), received=RECEIVED)
    assert (event.time, event.start, event.stale) == (
        RECEIVED,
        RECEIVED,
        RECEIVED + timedelta(seconds=60),
    )
    assert event.times_received == ("time", "start", "stale")
    assert isinstance(event.meaning, PointMarker)


def test_only_the_missing_time_is_filled() -> None:
    event = decode_cot(
        _event('time="2026-08-19T01:00:00Z" start="2026-08-19T01:00:05Z"'), received=RECEIVED
    )
    assert event.time == datetime(2026, 8, 19, 1, 0, tzinfo=UTC)
    assert event.stale == datetime(2026, 8, 19, 1, 1, 5, tzinfo=UTC)
    assert event.times_received == ("stale",)


def test_without_a_received_time_the_reader_uses_now() -> None:
    before = datetime.now(UTC)
    event = decode_cot(_event(""))
    assert before <= event.time <= datetime.now(UTC)


def test_an_event_with_every_time_says_none_was_filled() -> None:
    times = 'time="2026-08-19T01:00:00Z" start="2026-08-19T01:00:00Z" stale="2026-08-19T02:00:00Z"'
    assert decode_cot(_event(times), received=RECEIVED).times_received == ()


def test_a_medevac_without_times_is_kept_and_warns() -> None:
    medevac = '<_medevac_ title="MED.1" freq="38.9" urgent="2" litter="2"/>'
    event = decode_cot(_event("", cot_type="b-r-f-h-c", detail=medevac), received=RECEIVED)
    marker = event.meaning
    assert isinstance(marker, MedevacMarker)
    assert marker.nine_line is not None
    assert marker.nine_line.total_patients == 2
    assert "event@time, event@start, event@stale missing: dated when received" in marker.warnings


@pytest.mark.parametrize("name", ["time", "start", "stale"])
def test_a_time_given_but_unreadable_is_still_refused_naming_it(name: str) -> None:
    times = {"time": "2026-08-19T01:00:00Z", "start": "2026-08-19T01:00:00Z"}
    times |= {"stale": "2026-08-19T02:00:00Z", name: "soon"}
    written = " ".join(f'{key}="{value}"' for key, value in times.items())
    with pytest.raises(CotError) as caught:
        decode_cot(_event(written))
    assert caught.value.field == f"event@{name}"
