"""Fit the planner's log-logistic survival models from observed deaths and censored survivors.

The model is the planner's own (``domain.survival.models.LogLogistic``), read as a survival
function of minutes since injury: ``S(t) = b0 / (1 + (t / b1) ** b2)``, so a share ``1 - b0``
is lost at injury and the rest die at a log-logistic time. Each casualty adds to the
likelihood:

* a death at ``t`` minutes: ``S(t - w) - S(t)``, the chance of dying in the minute before the
  recorded time (``w``, ``resolution_min``; times are recorded to about a minute), with
  ``S`` equal to 1 before injury, so a death at injury counts the share lost at injury;
* a casualty known alive at ``t`` and not after (still in care, returned to duty, missing):
  ``S(t)``, right-censored.

The maximum is found by SciPy (``scipy.optimize.minimize``) over ``logit b0, log b1, log b2``;
the 95% intervals are Wald intervals on that scale from the observed information (the Hessian
by ``scipy.differentiate.hessian``), mapped back, so they stay inside each parameter's range.
docs/survival-models.md has the rules and what sample size gives a stable fit.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.differentiate import hessian
from scipy.optimize import minimize
from scipy.special import expit, logit

from goldenhour.domain.survival.models import LogLogistic
from goldenhour.domain.survival.observations import SurvivalObservation
from goldenhour.domain.triage.categories import StartCategory

#: Times are recorded to about the minute: a death at t happened in (t - 1 min, t].
RESOLUTION_MIN = 1.0
#: Fewer deaths than this in a class and its fit is not attempted (three parameters).
MIN_DEATHS = 5
#: The 97.5% point of the standard normal, for 95% intervals.
_Z95 = 1.959963984540054

Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval:
    """A 95% interval for one parameter."""

    low: float
    high: float

    def contains(self, value: float) -> bool:
        """Tell whether ``value`` lies inside the interval (ends included)."""
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassFit:
    """One class's fitted model, its 95% intervals and what it was fitted from."""

    category: StartCategory
    model: LogLogistic
    b0: Interval
    b1: Interval
    b2: Interval
    casualties: int
    deaths: int
    censored: int
    log_likelihood: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Unfitted:
    """A class that was not fitted, and why (too few deaths, or no maximum found)."""

    category: StartCategory
    casualties: int
    deaths: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SurvivalFit:
    """The fit of every class the observations hold, fitted or not."""

    fitted: tuple[ClassFit, ...]
    unfitted: tuple[Unfitted, ...]

    def models(self) -> dict[StartCategory, LogLogistic]:
        """Return the fitted model of each fitted class."""
        return {f.category: f.model for f in self.fitted}


def fit_classes(
    observations: Iterable[SurvivalObservation], *, resolution_min: float = RESOLUTION_MIN
) -> SurvivalFit:
    """Fit a log-logistic per class; a class with fewer than ``MIN_DEATHS`` deaths is left."""
    by_class: dict[StartCategory, list[SurvivalObservation]] = {}
    for observation in observations:
        by_class.setdefault(observation.category, []).append(observation)
    fitted: list[ClassFit] = []
    unfitted: list[Unfitted] = []
    for category in (StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR):
        found = by_class.get(category, [])
        deaths = sum(o.died for o in found)
        if not found:
            continue
        if deaths < MIN_DEATHS:
            unfitted.append(Unfitted(
                category=category, casualties=len(found), deaths=deaths,
                reason=f"{deaths} deaths: a fit needs at least {MIN_DEATHS}",
            ))  # fmt: skip
            continue
        try:
            fitted.append(fit_log_logistic(found, category=category, resolution_min=resolution_min))
        except FitError as error:
            unfitted.append(Unfitted(
                category=category, casualties=len(found), deaths=deaths, reason=str(error)
            ))  # fmt: skip
    return SurvivalFit(fitted=tuple(fitted), unfitted=tuple(unfitted))


class FitError(ArithmeticError):
    """The likelihood had no usable maximum (no convergence, or a flat direction)."""


def fit_log_logistic(
    observations: Sequence[SurvivalObservation],
    *,
    category: StartCategory,
    resolution_min: float = RESOLUTION_MIN,
) -> ClassFit:
    """Return the maximum-likelihood log-logistic for one class, with 95% intervals.

    Raises ``FitError`` when no maximum with a finite, positive-definite information is found.
    """
    times = np.array([o.minutes for o in observations], dtype=np.float64)
    died = np.array([o.died for o in observations], dtype=bool)
    likelihood = _Likelihood(times=times, died=died, resolution_min=resolution_min)
    best = None
    for start in _starts(times, died, resolution_min):
        found = minimize(likelihood.negative, start, method="BFGS")
        if np.isfinite(found.fun) and (best is None or found.fun < best.fun):
            best = found
    if best is None:
        raise FitError("the likelihood is not finite anywhere it was searched")
    theta = best.x
    # An absolute tolerance as well: the b0 row is close to zero off the diagonal, where a
    # relative one alone never converges.
    information = hessian(
        likelihood.negative_vectorised, theta, tolerances={"atol": 1e-4, "rtol": 1e-6}
    ).ddf
    try:
        covariance = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        raise FitError(
            "the information matrix is singular: a parameter is not identified"
        ) from None
    variances = np.diag(covariance)
    if not np.all(np.isfinite(variances)) or np.any(variances <= 0):
        raise FitError("the information is not positive: a parameter is not identified")
    half = _Z95 * np.sqrt(variances)
    low, high = theta - half, theta + half
    b0, b1, b2 = (float(v) for v in _natural(theta))
    return ClassFit(
        category=category,
        model=LogLogistic(b0=b0, b1=b1, b2=b2, label=f"fitted_{category.value}"),
        b0=Interval(low=float(expit(low[0])), high=float(expit(high[0]))),
        b1=Interval(low=math.exp(low[1]), high=math.exp(high[1])),
        b2=Interval(low=math.exp(low[2]), high=math.exp(high[2])),
        casualties=len(observations),
        deaths=int(died.sum()),
        censored=int((~died).sum()),
        log_likelihood=-float(likelihood.negative(theta)),
    )


@dataclass(frozen=True, slots=True)
class _Likelihood:
    times: Floats
    died: NDArray[np.bool_]
    resolution_min: float

    def negative(self, theta: Floats) -> float:
        """Return minus the log-likelihood at ``theta`` = (logit b0, log b1, log b2)."""
        value = self.negative_vectorised(np.asarray(theta, dtype=np.float64).reshape(3, 1))
        return float(value[0])

    def negative_vectorised(self, theta: Floats) -> Floats:
        """Return minus the log-likelihood for each column of ``theta`` (shape 3, ...)."""
        shape = theta.shape[1:]
        flat = theta.reshape(3, -1)[:, :, None]  # (3, k, 1) against the data's (n,)
        logit_b0, log_b1, b2 = flat[0], flat[1], np.exp(flat[2])
        log_b0 = -np.logaddexp(0.0, -logit_b0)
        log_lost = -np.logaddexp(0.0, logit_b0)  # log(1 - b0)
        with np.errstate(divide="ignore"):
            log_t = np.log(self.times)
            log_before = np.log(np.maximum(self.times - self.resolution_min, 0.0))
        log_u = b2 * (log_t - log_b1)  # u = (t / b1) ** b2; -inf at t = 0
        log_one_plus_u = np.logaddexp(0.0, log_u)
        censored = log_b0 - log_one_plus_u
        # Death within the minute before t, at injury included: 1 - S(t) = (1 - b0 + u)/(1 + u).
        at_injury = np.logaddexp(log_lost, log_u) - log_one_plus_u
        # Later: S(t - w) - S(t) = b0 (u - u_before) / ((1 + u_before)(1 + u)).
        log_u_before = b2 * (log_before - log_b1)
        with np.errstate(divide="ignore", invalid="ignore"):
            gap = log_u + np.log(-np.expm1(log_u_before - log_u))
        later = log_b0 + gap - np.logaddexp(0.0, log_u_before) - log_one_plus_u
        early = self.times < self.resolution_min
        death = np.where(early, at_injury, later)
        total = np.where(self.died, death, censored).sum(axis=-1)
        total = np.where(np.isfinite(total), total, -np.inf)
        result: Floats = (-total).reshape(shape)
        return result


def _starts(times: Floats, died: NDArray[np.bool_], resolution_min: float) -> list[Floats]:
    """Return starting points: the share lost at injury, and scales around the death times."""
    early = float(np.mean(died & (times < resolution_min)))
    b0 = min(max(1.0 - early, 0.05), 0.95)
    later = times[died & (times >= resolution_min)]
    scale = float(np.median(later)) if later.size else float(np.median(times)) + 1.0
    return [
        np.array([float(logit(b0)), math.log(scale * factor), math.log(shape)])
        for factor, shape in ((0.5, 1.0), (1.0, 2.0), (2.0, 1.5))
    ]


def _natural(theta: Floats) -> tuple[float, float, float]:
    return float(expit(theta[0])), math.exp(theta[1]), math.exp(theta[2])


def simulate_observations(
    model: LogLogistic,
    *,
    category: StartCategory,
    count: int,
    rng: random.Random,
    follow_up_min: float,
) -> list[SurvivalObservation]:
    """Draw casualties from ``model``, each followed for a uniform time up to ``follow_up_min``.

    A share ``1 - b0`` dies at injury; the rest die at a log-logistic time, or are censored at
    the end of their follow-up if still alive. For tests and for measuring the fit's precision.
    """
    drawn: list[SurvivalObservation] = []
    for _ in range(count):
        follow = rng.uniform(0.0, follow_up_min)
        if rng.random() >= model.b0:
            drawn.append(SurvivalObservation(category=category, minutes=0.0, died=True))
            continue
        remaining = 1.0 - rng.random()  # in (0, 1]: the log-logistic's survivor at death
        death = model.b1 * ((1.0 / remaining) - 1.0) ** (1.0 / model.b2)
        if death <= follow:
            drawn.append(SurvivalObservation(category=category, minutes=death, died=True))
        else:
            drawn.append(SurvivalObservation(category=category, minutes=follow, died=False))
    return drawn


def summary_rows(fit: SurvivalFit) -> list[Mapping[str, object]]:
    """Return the fit as JSON-ready rows, one per class."""
    rows: list[Mapping[str, object]] = []
    for f in fit.fitted:
        rows.append({
            "category": f.category.value, "fitted": True, "casualties": f.casualties,
            "deaths": f.deaths, "censored": f.censored,
            "b0": f.model.b0, "b1": f.model.b1, "b2": f.model.b2,
            "ci95": {"b0": [f.b0.low, f.b0.high], "b1": [f.b1.low, f.b1.high],
                     "b2": [f.b2.low, f.b2.high]},
            "log_likelihood": f.log_likelihood,
        })  # fmt: skip
    for u in fit.unfitted:
        rows.append({"category": u.category.value, "fitted": False, "casualties": u.casualties,
                     "deaths": u.deaths, "reason": u.reason})  # fmt: skip
    return rows
