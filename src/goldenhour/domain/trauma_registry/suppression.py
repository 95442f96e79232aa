"""Small-cell suppression: what the analyst sees of cells counting fewer than 5 casualties.

A cell of 1 to 4 casualties can point at a person (the one civilian killed in a square that
week), so it is shown as suppressed, not as its number; zero is shown (it names nobody). A
rate is suppressed when its numerator, its denominator or their difference is such a cell, and
a time-to-care step when fewer than 5 casualties time it. Secondary suppression (a hidden cell
recovered from a total minus the cells shown) is not done: see docs/registry.md.
"""

from __future__ import annotations

from dataclasses import replace

from goldenhour.domain.trauma_registry.figures import (
    Count,
    Rate,
    RegistrySummary,
    Step,
    WeekRates,
)

__all__ = ["SMALL_CELL", "suppress_small_cells"]

#: Cells counting fewer casualties than this are suppressed for the analyst.
SMALL_CELL = 5


def _small(value: int | None, below: int) -> bool:
    return value is not None and 0 < value < below


def _count(cell: Count, below: int) -> Count:
    return Count(value=None, suppressed=True) if _small(cell.value, below) else cell


def _rate(rate: Rate, below: int) -> Rate:
    numerator, denominator = rate.numerator or 0, rate.denominator or 0
    if any(_small(v, below) for v in (numerator, denominator, denominator - numerator)):
        return replace(
            rate, numerator=None, denominator=None, percent=None, low=None, high=None,
            suppressed=True,
        )  # fmt: skip
    return rate


def _step(step: Step, below: int) -> Step:
    if _small(step.count, below):
        return replace(step, count=None, median_minutes=None, p90_minutes=None, suppressed=True)
    return step


def suppress_small_cells(summary: RegistrySummary, below: int = SMALL_CELL) -> RegistrySummary:
    """Return the summary with every cell of 1 to ``below - 1`` casualties suppressed."""

    def counts(cells: dict[str, Count]) -> dict[str, Count]:
        return {key: _count(cell, below) for key, cell in cells.items()}

    return replace(
        summary,
        counts=counts(summary.counts),
        cfr=_rate(summary.cfr, below),
        pct_kia=_rate(summary.pct_kia, below),
        pct_dow=_rate(summary.pct_dow, below),
        chain=tuple(_step(step, below) for step in summary.chain),
        tourniquet_bins=counts(summary.tourniquet_bins),
        tourniquet_over_2h=_rate(summary.tourniquet_over_2h, below),
        tourniquets_open=_count(summary.tourniquets_open, below),
        over_triage=_rate(summary.over_triage, below),
        under_triage=_rate(summary.under_triage, below),
        triage_matrix=counts(summary.triage_matrix),
        mechanisms=counts(summary.mechanisms),
        regions=counts(summary.regions),
        per_day={day: counts(cells) for day, cells in summary.per_day.items()},
        per_week={
            week: WeekRates(
                cfr=_rate(rates.cfr, below),
                pct_kia=_rate(rates.pct_kia, below),
                pct_dow=_rate(rates.pct_dow, below),
            )
            for week, rates in summary.per_week.items()
        },
        suppressed_below=below,
    )
