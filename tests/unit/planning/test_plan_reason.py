"""The reason of a suggestion names chances a coordinator can tell apart."""

from __future__ import annotations

import pytest

from goldenhour.planning.plan import _probability


@pytest.mark.parametrize(
    ("chance", "written"),
    [(0.62, "0.62"), (0.41, "0.41"), (0.093, "0.093"), (0.0015, "0.0015"),
     (0.00003, "< 0.001"), (0.0, "0")],
)  # fmt: skip
def test_small_chances_keep_two_significant_digits(chance: float, written: str) -> None:
    assert _probability(chance) == written


def test_two_small_chances_that_differ_are_written_differently() -> None:
    assert _probability(0.0015) != _probability(0.0004)
