"""The survival fit recovers known parameters, handles censoring, and refuses too little data."""

from __future__ import annotations

import random

from goldenhour.domain.survival.models import DELAYED, IMMEDIATE, LogLogistic
from goldenhour.domain.survival.observations import SurvivalObservation
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.survival_fit import (
    MIN_DEATHS,
    fit_classes,
    fit_log_logistic,
    simulate_observations,
)

IMMEDIATE_CLASS = StartCategory.IMMEDIATE
SEEDS = range(12)


def _draw(model: LogLogistic, seed: int, count: int = 600, follow_up_min: float = 240.0):
    return simulate_observations(
        model, category=IMMEDIATE_CLASS, count=count, rng=random.Random(seed),
        follow_up_min=follow_up_min,
    )  # fmt: skip


def test_the_intervals_cover_the_true_parameters_in_most_replications() -> None:
    """Over 12 seeds each 95% interval holds the true value at least 10 times (expect 11.4)."""
    covered = {"b0": 0, "b1": 0, "b2": 0}
    for seed in SEEDS:
        fit = fit_log_logistic(_draw(IMMEDIATE, seed), category=IMMEDIATE_CLASS)
        covered["b0"] += fit.b0.contains(IMMEDIATE.b0)
        covered["b1"] += fit.b1.contains(IMMEDIATE.b1)
        covered["b2"] += fit.b2.contains(IMMEDIATE.b2)
    assert all(count >= 10 for count in covered.values()), covered


def test_the_delayed_class_is_recovered_within_its_intervals() -> None:
    fit = fit_log_logistic(_draw(DELAYED, 3, count=1500, follow_up_min=720.0),
                           category=IMMEDIATE_CLASS)  # fmt: skip
    assert fit.b0.contains(DELAYED.b0), fit
    assert fit.b1.contains(DELAYED.b1), fit
    assert fit.b2.contains(DELAYED.b2), fit
    assert fit.censored > 0 and fit.deaths > 0


def test_the_interval_narrows_as_the_sample_grows() -> None:
    small = fit_log_logistic(_draw(IMMEDIATE, 5, count=200), category=IMMEDIATE_CLASS)
    large = fit_log_logistic(_draw(IMMEDIATE, 5, count=2000), category=IMMEDIATE_CLASS)
    assert large.b1.high - large.b1.low < 0.5 * (small.b1.high - small.b1.low)


def test_ignoring_censoring_gives_a_visibly_biased_answer() -> None:
    """Counting the censored as deaths at their last time puts b1 far below the truth."""
    drawn = _draw(IMMEDIATE, 7, count=1000, follow_up_min=120.0)
    assert sum(not o.died for o in drawn) > 50
    honest = fit_log_logistic(drawn, category=IMMEDIATE_CLASS)
    naive = fit_log_logistic(
        [SurvivalObservation(category=o.category, minutes=o.minutes, died=True) for o in drawn],
        category=IMMEDIATE_CLASS,
    )
    assert honest.b1.contains(IMMEDIATE.b1)
    assert not naive.b1.contains(IMMEDIATE.b1)
    assert naive.model.b1 < 0.8 * IMMEDIATE.b1
    assert naive.model.probability(60.0) < 0.7 * IMMEDIATE.probability(60.0)


def test_dropping_the_censored_is_biased_too() -> None:
    """Leaving out those still in care keeps only the deaths: survival looks far worse."""
    drawn = _draw(IMMEDIATE, 8, count=1000, follow_up_min=120.0)
    deaths_only = fit_log_logistic([o for o in drawn if o.died], category=IMMEDIATE_CLASS)
    assert not deaths_only.b0.contains(IMMEDIATE.b0) or not deaths_only.b1.contains(IMMEDIATE.b1)
    assert deaths_only.model.probability(60.0) < 0.5 * IMMEDIATE.probability(60.0)


def test_a_class_with_too_few_deaths_is_not_fitted_and_says_why() -> None:
    few = [SurvivalObservation(category=StartCategory.MINOR, minutes=30.0 + i, died=i < 2)
           for i in range(40)]  # fmt: skip
    fit = fit_classes([*few, *_draw(IMMEDIATE, 1, count=300)])
    assert [f.category for f in fit.fitted] == [StartCategory.IMMEDIATE]
    (minor,) = fit.unfitted
    assert minor.category is StartCategory.MINOR
    assert minor.casualties == 40 and minor.deaths == 2
    assert str(MIN_DEATHS) in minor.reason
