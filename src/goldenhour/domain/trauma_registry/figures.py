"""The registry's figures, counted from registry rows: definitions in docs/registry.md.

Holcomb JB, Stansbury LG, Champion HR, Wade C, Bellamy RF, "Understanding combat casualty care
statistics", J Trauma 2006;60:397-401 (CFR, %KIA, %DOW); Wilson EB 1927 (score intervals);
Cribari C, "Resources for optimal care of the injured patient" (ACS COT), the Cribari matrix
for over- and under-triage. Every figure carries how many rows lacked its data and when its
newest input arrived, because rows from phones offline for hours arrive late.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from goldenhour.domain.trauma_registry.record import RegistryRecord

__all__ = [
    "CHAIN_STEPS",
    "Count",
    "Rate",
    "RegistryFilter",
    "RegistryOutcome",
    "RegistrySummary",
    "Step",
    "TOURNIQUET_BINS",
    "classify",
    "quantile",
    "summarise",
    "wilson_interval",
]

#: Holcomb's RTD: returned to duty within 72 hours of the injury.
RTD_WITHIN = timedelta(hours=72)
#: z for a two-sided 95 % interval.
_Z95 = 1.959963984540054
#: The field triage categories that call for the highest response (Cribari's "full activation").
HIGHEST_TRIAGE = frozenset({"T1", "immediate"})
#: Categories left out of the triage matrix: not a choice of response.
_NOT_TRIAGED_FOR_RESPONSE = frozenset({"T4", "dead"})
#: Tourniquet time bins in minutes, lower bound included: (label, lower, upper or None).
TOURNIQUET_BINS: tuple[tuple[str, float, float | None], ...] = (
    ("<30", 0, 30), ("30-60", 30, 60), ("60-120", 60, 120), ("120-180", 120, 180),
    ("180-360", 180, 360), (">=360", 360, None),
)  # fmt: skip


class RegistryOutcome(StrEnum):
    """A casualty's outcome in Holcomb's terms (the mapping is in docs/registry.md).

    A string enum: counting a hundred thousand of them hashes as fast as strings do.
    """

    KIA = "kia"  # died before reaching a medical treatment facility
    DOW = "dow"  # died after reaching one
    RTD = "rtd"  # returned to duty within 72 h
    RETURNED_LATER = "returned_later"  # returned to duty after 72 h: wounded, not RTD
    IN_CARE = "in_care"  # alive, reached care, course not closed
    UNKNOWN = "unknown"  # no outcome and no facility recorded yet
    MISSING = "missing"  # recorded missing: neither counted wounded nor killed


_DEATHS = frozenset({"killed_in_action", "died_in_transit", "died_of_wounds"})
_IN_CARE = frozenset({"admitted", "evacuated_further", "surgery"})


def classify(record: RegistryRecord) -> RegistryOutcome:
    """Map a row's recorded outcome onto Holcomb's categories.

    Died in transit is KIA unless a facility had received the casualty before the death (then
    DOW): Holcomb's line is reaching a medical treatment facility, not the vehicle.
    """
    outcome = record.outcome
    if outcome == "killed_in_action":
        return RegistryOutcome.KIA
    if outcome == "died_of_wounds":
        return RegistryOutcome.DOW
    if outcome == "died_in_transit":
        reached = record.arrived_at is not None and (
            record.outcome_at is None or record.arrived_at <= record.outcome_at
        )
        return RegistryOutcome.DOW if reached else RegistryOutcome.KIA
    if outcome == "returned_to_duty":
        start = record.reference_time
        if start is not None and record.outcome_at is not None:
            within = record.outcome_at - start <= RTD_WITHIN
            return RegistryOutcome.RTD if within else RegistryOutcome.RETURNED_LATER
        return RegistryOutcome.RTD
    if outcome == "missing":
        return RegistryOutcome.MISSING
    if outcome in _IN_CARE or record.arrived_at is not None:
        return RegistryOutcome.IN_CARE
    return RegistryOutcome.UNKNOWN


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryFilter:
    """Which rows a summary counts; ``None`` leaves a criterion open.

    The time range is on the injury time (else the card's earliest moment), ``since``
    included and ``until`` excluded; ``unit_ids`` is a unit subtree resolved to its ids.
    """

    since: datetime | None = None
    until: datetime | None = None
    unit_ids: frozenset[UUID] | None = None
    area: str | None = None  # a 10 km square, or a shorter prefix (a 100 km square, a zone)
    population: str | None = None  # "military" or "civilian"

    def matches(self, record: RegistryRecord) -> bool:
        """Tell whether ``record`` is among the rows this filter counts."""
        moment = record.reference_time
        if self.since is not None and (moment is None or moment < self.since):
            return False
        if self.until is not None and (moment is None or moment >= self.until):
            return False
        if self.unit_ids is not None and record.unit_id not in self.unit_ids:
            return False
        if self.area is not None and not (record.area or "").startswith(self.area):
            return False
        return self.population is None or record.population == self.population


@dataclass(frozen=True, slots=True, kw_only=True)
class Count:
    """A number of casualties; ``None`` with ``suppressed`` when it is too small to show."""

    value: int | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate:
    """A proportion in percent with its numerator, denominator and Wilson 95 % interval."""

    numerator: int | None
    denominator: int | None
    percent: float | None
    low: float | None
    high: float | None
    missing: int  # rows in the filter lacking what this rate needs
    newest_input_at: datetime | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One link of the time-to-care chain: minutes from one moment to the next."""

    name: str
    count: int | None
    median_minutes: float | None
    p90_minutes: float | None
    missing: int  # rows lacking one of the two moments, or with them in the wrong order
    newest_input_at: datetime | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrySummary:
    """Every figure of the registry over the rows one filter selects, as of ``now``."""

    now: datetime
    rows: int
    newest_input_at: datetime | None
    counts: dict[str, Count]
    missing_outcome: int
    cfr: Rate
    pct_kia: Rate
    pct_dow: Rate
    chain: tuple[Step, ...]
    tourniquet_bins: dict[str, Count]
    tourniquet_over_2h: Rate
    tourniquets_open: Count
    tourniquet_missing: int
    over_triage: Rate
    under_triage: Rate
    triage_matrix: dict[str, Count]
    mechanisms: dict[str, Count]
    mechanism_missing: int
    regions: dict[str, Count]
    region_missing: int
    per_day: dict[str, dict[str, Count]] = field(default_factory=dict)
    suppressed_below: int | None = None


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """Return the Wilson score 95 % interval of a proportion as fractions (``None``: no trials)."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes {successes} outside 0..{trials}")
    p = successes / trials
    z2 = _Z95 * _Z95
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = _Z95 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # At 0 and at n successes the bound is exactly 0 or 1; rounding must not move it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def quantile(values: Sequence[float], q: float) -> float | None:
    """Return the ``q`` quantile with linear interpolation between order statistics.

    The position is ``q * (n - 1)`` in the sorted values (Hyndman and Fan's type 7, the
    default of R and NumPy); ``None`` for no values.
    """
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _rate(numerator: int, denominator: int, *, missing: int, newest: datetime | None) -> Rate:
    interval = wilson_interval(numerator, denominator)
    return Rate(
        numerator=numerator,
        denominator=denominator,
        percent=100 * numerator / denominator if denominator else None,
        low=100 * interval[0] if interval else None,
        high=100 * interval[1] if interval else None,
        missing=missing,
        newest_input_at=newest,
    )


def _newest(records: Iterable[RegistryRecord]) -> datetime | None:
    return max((r.newest_input_at for r in records if r.newest_input_at is not None), default=None)


_Moment = Callable[[RegistryRecord], datetime | None]

#: The time-to-care chain: (name, from, to, whom it concerns).
CHAIN_STEPS: tuple[tuple[str, _Moment, _Moment, Callable[[RegistryRecord], bool]], ...] = (
    ("injury_to_tourniquet", lambda r: r.injured_at, lambda r: r.tourniquet_on_at,
     lambda r: r.tourniquet_count > 0),
    ("injury_to_request", lambda r: r.injured_at, lambda r: r.requested_at, lambda r: True),
    ("request_to_pickup", lambda r: r.requested_at, lambda r: r.picked_up_at, lambda r: True),
    ("pickup_to_facility", lambda r: r.picked_up_at, lambda r: r.arrived_at, lambda r: True),
    ("facility_to_surgery", lambda r: r.arrived_at, lambda r: r.surgery_at,
     lambda r: r.surgery_at is not None),
    ("injury_to_facility", lambda r: r.injured_at, lambda r: r.arrived_at, lambda r: True),
)  # fmt: skip


def _step(name: str, start: _Moment, end: _Moment, concerned: list[RegistryRecord]) -> Step:
    minutes: list[float] = []
    used: list[RegistryRecord] = []
    for record in concerned:
        begin, finish = start(record), end(record)
        if begin is not None and finish is not None and finish >= begin:
            minutes.append((finish - begin).total_seconds() / 60)
            used.append(record)
    return Step(
        name=name,
        count=len(minutes),
        median_minutes=quantile(minutes, 0.5),
        p90_minutes=quantile(minutes, 0.9),
        missing=len(concerned) - len(minutes),
        newest_input_at=_newest(used),
    )


def _is_major(record: RegistryRecord, outcome: RegistryOutcome) -> bool | None:
    """Tell whether a casualty proved severely injured; ``None`` while it cannot be told."""
    if outcome in (RegistryOutcome.KIA, RegistryOutcome.DOW):
        return True
    if record.surgery_at is not None or record.blood_units > 0:
        return True
    if outcome in (RegistryOutcome.RTD, RegistryOutcome.RETURNED_LATER, RegistryOutcome.IN_CARE):
        return False
    return None


def summarise(
    records: Iterable[RegistryRecord],
    *,
    now: datetime,
    where: RegistryFilter | None = None,
) -> RegistrySummary:
    """Count every figure over the rows ``where`` selects (all rows without it)."""
    chosen = [r for r in records if where is None or where.matches(r)]
    outcomes = [classify(r) for r in chosen]
    tally = Counter(outcomes)
    kia, dow, rtd = (tally[RegistryOutcome.KIA], tally[RegistryOutcome.DOW],
                     tally[RegistryOutcome.RTD])  # fmt: skip
    missing = tally[RegistryOutcome.MISSING]
    unknown = tally[RegistryOutcome.UNKNOWN]
    wia = len(chosen) - kia - missing
    newest = _newest(chosen)
    counts = {
        "casualties": len(chosen), "wia": wia, "kia": kia, "dow": dow, "rtd": rtd,
        "returned_later": tally[RegistryOutcome.RETURNED_LATER],
        "in_care": tally[RegistryOutcome.IN_CARE], "unknown": unknown, "missing": missing,
    }  # fmt: skip
    lacking = unknown + missing
    cfr = _rate(kia + dow, kia + wia, missing=lacking, newest=newest)
    pct_kia = _rate(kia, kia + wia - rtd, missing=lacking, newest=newest)
    pct_dow = _rate(dow, wia - rtd, missing=lacking, newest=newest)

    chain = tuple(
        _step(name, start, end, [r for r in chosen if concerns(r)])
        for name, start, end, concerns in CHAIN_STEPS
    )

    with_tourniquet = [r for r in chosen if r.tourniquet_count > 0]
    timed = [r for r in with_tourniquet if r.tourniquet_minutes is not None]
    bins = {
        label: sum(
            1 for r in timed
            if r.tourniquet_minutes is not None and r.tourniquet_minutes >= low
            and (high is None or r.tourniquet_minutes < high)
        )
        for label, low, high in TOURNIQUET_BINS
    }  # fmt: skip
    over_2h = sum(1 for r in timed if (r.tourniquet_minutes or 0.0) > 120)
    tourniquet_missing = len(with_tourniquet) - len(timed)

    judged: list[tuple[bool, bool]] = []
    triage_missing = 0
    for record, outcome in zip(chosen, outcomes, strict=True):
        if record.triage_category in _NOT_TRIAGED_FOR_RESPONSE:
            continue
        major = _is_major(record, outcome)
        if record.triage_category is None or major is None:
            triage_missing += 1
            continue
        judged.append((record.triage_category in HIGHEST_TRIAGE, major))
    matrix = Counter(
        f"{'highest' if high else 'lower'}_{'major' if major else 'minor'}"
        for high, major in judged
    )
    highest = matrix["highest_major"] + matrix["highest_minor"]
    lower = matrix["lower_major"] + matrix["lower_minor"]
    triage_newest = newest

    mechanisms = Counter(m for r in chosen for m in r.mechanisms)
    regions = Counter(g for r in chosen for g in r.regions)
    per_day: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for record, outcome in zip(chosen, outcomes, strict=True):
        moment = record.reference_time
        if moment is not None:
            per_day[moment.date().isoformat()][outcome] += 1

    return RegistrySummary(
        now=now,
        rows=len(chosen),
        newest_input_at=newest,
        counts={name: Count(value=value) for name, value in counts.items()},
        missing_outcome=lacking,
        cfr=cfr,
        pct_kia=pct_kia,
        pct_dow=pct_dow,
        chain=chain,
        tourniquet_bins={label: Count(value=value) for label, value in bins.items()},
        tourniquet_over_2h=_rate(
            over_2h, len(timed), missing=tourniquet_missing, newest=_newest(with_tourniquet)
        ),  # fmt: skip
        tourniquets_open=Count(value=sum(1 for r in with_tourniquet if r.tourniquets_open)),
        tourniquet_missing=tourniquet_missing,
        over_triage=_rate(
            matrix["highest_minor"], highest, missing=triage_missing, newest=triage_newest
        ),  # fmt: skip
        under_triage=_rate(
            matrix["lower_major"], lower, missing=triage_missing, newest=triage_newest
        ),  # fmt: skip
        triage_matrix={
            key: Count(value=matrix[key])
            for key in ("highest_major", "highest_minor", "lower_major", "lower_minor")
        },
        mechanisms={k: Count(value=v) for k, v in sorted(mechanisms.items())},
        mechanism_missing=sum(1 for r in chosen if not r.mechanisms),
        regions={k: Count(value=v) for k, v in sorted(regions.items())},
        region_missing=sum(1 for r in chosen if not r.regions),
        per_day={
            day: {o.value: Count(value=c[o]) for o in RegistryOutcome}
            for day, c in sorted(per_day.items())
        },
    )
