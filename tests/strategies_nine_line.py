"""Hypothesis strategies for valid 9-line MEDEVAC requests and their text."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from hypothesis import strategies as st

from goldenhour.domain.geo.mgrs import MgrsPrecision, to_mgrs
from goldenhour.domain.medevac.nine_line import (
    MAX_PATIENTS,
    Equipment,
    Marking,
    Nationality,
    Nbc,
    NineLineRequest,
    Security,
)
from goldenhour.domain.triage.categories import Precedence

E = TypeVar("E", bound=Enum)

mgrs_references = st.builds(
    to_mgrs,
    st.floats(min_value=-90.0, max_value=90.0),
    st.floats(min_value=-180.0, max_value=180.0),
    st.sampled_from(MgrsPrecision),
)

# Free text as a sender might type it: any printable characters, spacing left to the model.
free_texts = st.text(
    st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30
).filter(lambda text: bool(text.split()))


@st.composite
def frequencies(draw: st.DrawFn) -> str:
    """Draw a frequency as typed: digits (maybe zero-padded), a decimal part, a unit."""
    whole = draw(st.integers(min_value=1, max_value=999_999) | st.just(0))
    padding = draw(st.integers(min_value=1, max_value=3))
    fraction = draw(st.none() | st.text("0123456789", min_size=1, max_size=6))
    if whole == 0:
        fraction = draw(st.text("0123456789", min_size=1, max_size=5)) + "1"
    separator = draw(st.sampled_from([".", ","]))
    unit = draw(st.sampled_from(["", " MHZ", "MHz", " khz", "KHZ"]))
    decimals = "" if fraction is None else separator + fraction
    return f"{whole:0{padding}d}{decimals}{unit}"


def _split(total: int, codes: type[E]) -> st.SearchStrategy[Mapping[E, int]]:
    """Return a strategy splitting ``total`` patients over every code."""
    members = list(codes)
    cuts = st.lists(
        st.integers(min_value=0, max_value=total),
        min_size=len(members) - 1,
        max_size=len(members) - 1,
    ).map(sorted)
    return cuts.map(
        lambda points: dict(
            zip(
                members,
                [b - a for a, b in zip([0, *points], [*points, total], strict=True)],
                strict=True,
            )
        )
    )


@st.composite
def nine_line_requests(draw: st.DrawFn) -> NineLineRequest:
    """Draw a valid request, every optional line sometimes missing."""
    total = draw(st.integers(min_value=1, max_value=12) | st.integers(1, MAX_PATIENTS))
    litter = draw(st.integers(min_value=0, max_value=total))
    marking = draw(st.none() | st.sampled_from(Marking))
    line_9 = draw(st.sampled_from(["missing", "nbc", "terrain"]))
    return NineLineRequest(
        location=draw(mgrs_references),
        frequency=draw(frequencies()),
        call_sign=draw(free_texts),
        patients_by_precedence=draw(_split(total, Precedence)),
        equipment=draw(
            st.none()
            | st.just(frozenset({Equipment.NONE}))
            | st.frozensets(st.sampled_from(list(Equipment)[1:]), min_size=1)
        ),
        litter=litter,
        ambulatory=total - litter,
        security=draw(st.none() | st.sampled_from(Security)),
        marking=marking,
        marking_detail=draw(st.none() | free_texts) if marking is Marking.OTHER else None,
        patients_by_nationality=draw(st.none() | _split(total, Nationality)),
        nbc=draw(st.frozensets(st.sampled_from(Nbc))) if line_9 == "nbc" else None,
        terrain=draw(free_texts) if line_9 == "terrain" else None,
    )
