"""The quick MGRS path (the series in floating point) gives exactly the exact path's reference.

``to_mgrs`` answers from Krüger's series where the answer cannot differ from the exact
projection's and asks pygeodesy's exact arithmetic elsewhere; a rebuild of the registry converts
every casualty's point of injury, so the exact path alone cost milliseconds per casualty.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenhour.domain.geo.mgrs import (
    MgrsPrecision,
    _exact_reference,
    _quick_reference,
    to_mgrs,
)

latitudes = st.floats(min_value=-80.0, max_value=84.0, allow_nan=False)
longitudes = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
precisions = st.sampled_from(list(MgrsPrecision))


@pytest.mark.slow  # the exact path costs milliseconds a point: about a minute in all
@settings(deadline=None, max_examples=1500)
@given(latitudes, longitudes, precisions)
def test_the_quick_reference_is_the_exact_one_wherever_it_answers(
    lat: float, lon: float, precision: MgrsPrecision
) -> None:
    quick = _quick_reference(lat, lon, precision)
    if quick is not None:
        assert quick == _exact_reference(lat, lon, precision)
    assert to_mgrs(lat, lon, precision) == _exact_reference(lat, lon, precision)


@pytest.mark.slow
@settings(deadline=None, max_examples=40)
@given(
    st.floats(min_value=-79.0, max_value=71.0),
    st.floats(min_value=-179.0, max_value=179.0),
    st.floats(min_value=0.00001, max_value=0.0005),
)
def test_points_a_hair_either_side_of_a_grid_line_get_the_exact_reference(
    lat: float, lon: float, step: float
) -> None:
    # Bisect, along the parallel, to the line between two 1 m squares; the points closest to it
    # either side are where floating point could disagree with the exact projection.
    west, east = lon, lon + step
    below = _exact_reference(lat, west, MgrsPrecision.M1)
    if below == _exact_reference(lat, east, MgrsPrecision.M1):
        return
    for _ in range(60):
        middle = (west + east) / 2
        if middle in (west, east):
            break
        if _exact_reference(lat, middle, MgrsPrecision.M1) == below:
            west = middle
        else:
            east = middle
    for point in (west, east):
        assert to_mgrs(lat, point, MgrsPrecision.M1) == _exact_reference(
            lat, point, MgrsPrecision.M1
        )


def test_the_quick_path_answers_for_points_of_injury_in_ukraine() -> None:
    # Its speed (0.07 ms a point against the exact path's 3-11 ms) is in docs/benchmarks.md;
    # what a test can hold is that the rebuild's points take the quick path at all.
    points = [(48.1 + i / 997, 37.1 + i / 661) for i in range(200)]
    assert all(_quick_reference(lat, lon, MgrsPrecision.KM10) is not None for lat, lon in points)
    assert all(
        to_mgrs(lat, lon, MgrsPrecision.KM10) == _exact_reference(lat, lon, MgrsPrecision.KM10)
        for lat, lon in points
    )
