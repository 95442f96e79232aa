"""MIST handovers encode to labelled lines and parse back exactly; bad lines are named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.errors import MistError
from goldenhour.domain.medevac.mist import (
    Mist,
    encode_mist,
    encode_mists,
    format_dtg,
    parse_dtg,
    parse_mist,
    parse_mists,
)

one_line = (
    st.text(min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda s: bool(s) and len(s.splitlines()) == 1)
)
minutes = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(second=0, microsecond=0))
mists = st.builds(
    Mist,
    zap=one_line,
    age=st.none() | st.integers(0, 130),
    time_of_injury=st.none() | minutes,
    mechanism=st.lists(one_line, max_size=3).map(tuple),
    injuries=st.lists(one_line, max_size=3).map(tuple),
    signs=st.lists(one_line, max_size=3).map(tuple),
    treatment=st.lists(one_line, max_size=4).map(tuple),
)

EXAMPLE = Mist(
    zap="AP4821",
    age=34,
    time_of_injury=datetime(2022, 6, 14, 12, 30, tzinfo=UTC),
    mechanism=("artillery",),
    injuries=("left thigh (front): fragment, vascular",),
    signs=("1235Z P 118 RR 24 SpO2 94", "1250Z P 112 RR 22 SpO2 95"),
    treatment=("TQ left leg above the knee 1232Z CAT", "TXA 2 g IV 1237Z"),
)


def test_a_mist_reads_in_spoken_order() -> None:
    assert encode_mist(EXAMPLE) == (
        "MIST Z: AP4821\nAGE: 34\nTIME: 141230ZJUN22\nM: artillery\n"
        "I: left thigh (front): fragment, vascular\n"
        "S: 1235Z P 118 RR 24 SpO2 94; 1250Z P 112 RR 22 SpO2 95\n"
        "T: TQ left leg above the knee 1232Z CAT; TXA 2 g IV 1237Z"
    )


@given(mist=mists)
def test_every_mist_round_trips_through_text(mist: Mist) -> None:
    assert parse_mist(encode_mist(mist)) == mist


@given(several=st.lists(mists, min_size=1, max_size=4))
def test_several_mists_round_trip_separated_by_blank_lines(several: list[Mist]) -> None:
    assert parse_mists(encode_mists(several)) == tuple(several)


def test_parsing_tolerates_case_and_spacing() -> None:
    text = "mist z:  AP4821\n\n  m - artillery ;blast\ni: left thigh\ns:\nt: TQ 1232Z"
    assert parse_mist(text) == Mist(
        zap="AP4821", mechanism=("artillery", "blast"), injuries=("left thigh",),
        treatment=("TQ 1232Z",),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("M: artillery", "zap"),
        ("MIST Z: A1\nX: what", "line 2"),
        ("MIST Z: A1\nM: a\nM: b", "line 3"),
        ("MIST Z: A1\nAGE: old", "age"),
        ("MIST Z: A1\nTIME: 321230ZJUN22", "time"),
        ("MIST Z: A1\nTIME: 141230ZJUL", "time"),
    ],
)
def test_a_bad_line_is_named(text: str, field: str) -> None:
    with pytest.raises(MistError) as raised:
        parse_mist(text)
    assert raised.value.field == field


@given(text=st.text(max_size=200))
def test_arbitrary_text_raises_only_our_error(text: str) -> None:
    try:
        parse_mists(text)
    except MistError:
        pass


def test_a_dtg_is_zulu_day_hour_minute_month_year() -> None:
    kyiv_summer = datetime.fromisoformat("2022-06-14T15:30:00+03:00")
    assert format_dtg(kyiv_summer) == "141230ZJUN22"
    assert parse_dtg("14 1230Z jun 22") == datetime(2022, 6, 14, 12, 30, tzinfo=UTC)


def test_items_with_line_breaks_are_refused() -> None:
    with pytest.raises(MistError) as raised:
        Mist(zap="A1", injuries=("left\nthigh",))
    assert raised.value.field == "injuries[1]"
