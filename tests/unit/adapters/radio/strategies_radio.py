"""Hypothesis strategies for compact radio messages: 9-line requests, MISTs, card essentials."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from goldenhour.adapters.radio import CasualtyHandover, CompactMessage, LastVitals, TourniquetTime
from goldenhour.domain.casualty.vocabulary import Avpu, Limb
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.triage.categories import NatoCategory

from strategies_nine_line import nine_line_requests

__all__ = ["compact_messages", "handovers", "minutes", "mists", "nine_line_requests"]

# One line of text as a medic types it: no line breaks, no leading or trailing space.
one_line = (
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=25)
    .map(str.strip)
    .filter(lambda text: bool(text) and len(text.splitlines()) == 1)
)
minutes = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))
mists = st.builds(
    Mist,
    zap=one_line,
    age=st.none() | st.integers(0, 130),
    time_of_injury=st.none() | minutes,
    mechanism=st.lists(one_line, max_size=3).map(tuple),
    injuries=st.lists(one_line, max_size=3).map(tuple),
    signs=st.lists(one_line, max_size=3).map(tuple),
    treatment=st.lists(one_line, max_size=3).map(tuple),
)
vitals = st.builds(
    LastVitals,
    taken_at=minutes,
    pulse=st.none() | st.integers(0, 300),
    respiratory_rate=st.none() | st.integers(0, 80),
    spo2=st.none() | st.integers(0, 100),
    systolic=st.none() | st.integers(0, 300),
    diastolic=st.none() | st.integers(0, 250),
    avpu=st.none() | st.sampled_from(Avpu),
)
handovers = st.builds(
    CasualtyHandover,
    mist=mists,
    triage=st.none() | st.sampled_from(NatoCategory),
    tourniquets=st.lists(
        st.builds(TourniquetTime, limb=st.none() | st.sampled_from(Limb), applied_at=minutes),
        max_size=3,
    ).map(tuple),
    vitals=st.none() | vitals,
)
compact_messages = st.builds(
    CompactMessage,
    request=nine_line_requests(),
    casualties=st.lists(handovers, max_size=3).map(tuple),
    casevac=st.booleans(),
)
