"""Survival models: the tabulated log-logistic values, monotone decline, refused parameters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.survival.models import (
    DELAYED,
    IMMEDIATE,
    MINOR,
    Constant,
    LogLogistic,
    SurvivalModel,
)

MINUTES = st.floats(min_value=0, max_value=10_000, allow_nan=False)


@pytest.mark.parametrize(
    ("model", "minutes", "expected"),
    [(IMMEDIATE, 60, 0.093), (DELAYED, 60, 0.868), (IMMEDIATE, 0, 0.351), (DELAYED, 0, 0.912)],
)
def test_log_logistic_matches_the_tabulated_values(
    model: LogLogistic, minutes: float, expected: float
) -> None:
    assert round(model.probability(minutes), 3) == expected


@pytest.mark.parametrize("model", [IMMEDIATE, DELAYED])
def test_survival_at_injury_is_b0(model: LogLogistic) -> None:
    assert model.probability(0) == model.b0


def test_survival_halves_at_b1() -> None:
    assert IMMEDIATE.probability(IMMEDIATE.b1) == pytest.approx(IMMEDIATE.b0 / 2)


@given(model=st.sampled_from([IMMEDIATE, DELAYED, MINOR]), a=MINUTES, b=MINUTES)
def test_survival_never_rises_with_time(model: SurvivalModel, a: float, b: float) -> None:
    early, late = sorted((a, b))
    assert 0.0 <= model.probability(late) <= model.probability(early) <= 1.0


def test_a_time_before_injury_counts_as_injury() -> None:
    assert IMMEDIATE.probability(-10) == IMMEDIATE.b0


def test_minor_casualties_survive_whatever_the_wait() -> None:
    assert MINOR.probability(0) == MINOR.probability(10_000) == 1.0


def test_models_are_survival_models_with_names() -> None:
    assert isinstance(IMMEDIATE, SurvivalModel)
    assert (IMMEDIATE.name, DELAYED.name) == ("log_logistic_immediate", "log_logistic_delayed")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"b0": 1.2, "b1": 30.0, "b2": 2.0}, "b0"),
        ({"b0": 0.5, "b1": 0.0, "b2": 2.0}, "b1"),
        ({"b0": 0.5, "b1": 30.0, "b2": -1.0}, "b2"),
        ({"b0": float("nan"), "b1": 30.0, "b2": 2.0}, "b0"),
    ],
)
def test_log_logistic_refuses_impossible_parameters(fields: dict[str, float], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        LogLogistic(**fields)
    assert raised.value.field == field


def test_constant_refuses_a_probability_above_one() -> None:
    with pytest.raises(ValidationError):
        Constant(p=1.5)
