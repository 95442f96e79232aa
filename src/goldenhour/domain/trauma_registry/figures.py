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
from datetime import UTC, date, datetime, timedelta
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
    "RegistryTally",
    "RowFacts",
    "Step",
    "StepTally",
    "TOURNIQUET_BINS",
    "WeekRates",
    "classify",
    "iso_week",
    "quantile",
    "row_facts",
    "summarise",
    "summarise_tally",
    "tally_records",
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
class WeekRates:
    """Holcomb's three rates over the casualties of one ISO week (by their reference day)."""

    cfr: Rate
    pct_kia: Rate
    pct_dow: Rate


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
    per_week: dict[str, WeekRates] = field(default_factory=dict)  # by ISO week, "2026-W45"
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


def iso_week(day: str) -> str:
    """Return the ISO week ("2026-W45") of an ISO date ("2026-11-02")."""
    year, week, _weekday = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def _holcomb_rates(
    by_category: Counter[str], *, newest: datetime | None
) -> tuple[dict[str, int], WeekRates]:
    """Return the counts and Holcomb's CFR, %KIA and %DOW of casualties counted by category."""
    total = sum(by_category.values())
    kia, dow, rtd = (by_category[RegistryOutcome.KIA], by_category[RegistryOutcome.DOW],
                     by_category[RegistryOutcome.RTD])  # fmt: skip
    missing = by_category[RegistryOutcome.MISSING]
    unknown = by_category[RegistryOutcome.UNKNOWN]
    wia = total - kia - missing
    counts = {
        "casualties": total, "wia": wia, "kia": kia, "dow": dow, "rtd": rtd,
        "returned_later": by_category[RegistryOutcome.RETURNED_LATER],
        "in_care": by_category[RegistryOutcome.IN_CARE], "unknown": unknown, "missing": missing,
    }  # fmt: skip
    lacking = unknown + missing
    return counts, WeekRates(
        cfr=_rate(kia + dow, kia + wia, missing=lacking, newest=newest),
        pct_kia=_rate(kia, kia + wia - rtd, missing=lacking, newest=newest),
        pct_dow=_rate(dow, wia - rtd, missing=lacking, newest=newest),
    )


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


def _is_major(record: RegistryRecord, outcome: RegistryOutcome) -> bool | None:
    """Tell whether a casualty proved severely injured; ``None`` while it cannot be told."""
    if outcome in (RegistryOutcome.KIA, RegistryOutcome.DOW):
        return True
    if record.surgery_at is not None or record.blood_units > 0:
        return True
    if outcome in (RegistryOutcome.RTD, RegistryOutcome.RETURNED_LATER, RegistryOutcome.IN_CARE):
        return False
    return None


#: A tourniquet worn longer than this many minutes counts in the share over 2 hours.
TOURNIQUET_LONG_MINUTES = 120.0
#: ``RowFacts.tourniquet`` of a casualty with a tourniquet but no ended one to time.
TOURNIQUET_UNTIMED = "untimed"
#: ``RowFacts.tourniquet`` of a timed tourniquet in no bin (it came off before it went on).
TOURNIQUET_UNBINNED = "unbinned"
#: ``RowFacts.triage`` of a casualty left out of the triage matrix (T4, dead).
TRIAGE_EXCLUDED = "excluded"
#: ``RowFacts.triage`` of a casualty the matrix cannot judge yet (no triage or no outcome).
TRIAGE_MISSING = "missing"


@dataclass(frozen=True, slots=True, kw_only=True)
class RowFacts:
    """What one row brings to the figures, derived from it by the definitions above.

    The storage keeps these beside the row, in typed columns, so that a summary over many
    rows counts them in its query language instead of deriving them again row by row; the
    row's raw facts stay the source, and a change of definition is a ``db rebuild``.
    """

    category: RegistryOutcome
    day: str | None  # the UTC date of the row's reference time, ISO
    triage: str  # a triage matrix cell ("highest_major", ...), TRIAGE_EXCLUDED or _MISSING
    tourniquet: str | None  # a TOURNIQUET_BINS label, TOURNIQUET_UNTIMED/_UNBINNED; None: none
    tourniquet_over_2h: bool
    chain_minutes: tuple[float | None, ...]  # per CHAIN_STEPS; None: not timed by this row


def row_facts(record: RegistryRecord) -> RowFacts:
    """Return what ``record`` brings to the figures (its category, day, cells and minutes)."""
    outcome = classify(record)
    moment = record.reference_time
    triage = TRIAGE_EXCLUDED
    if record.triage_category not in _NOT_TRIAGED_FOR_RESPONSE:
        major = _is_major(record, outcome)
        if record.triage_category is None or major is None:
            triage = TRIAGE_MISSING
        else:
            high = "highest" if record.triage_category in HIGHEST_TRIAGE else "lower"
            triage = f"{high}_{'major' if major else 'minor'}"
    tourniquet: str | None = None
    worn = record.tourniquet_minutes
    if record.tourniquet_count > 0:
        tourniquet = TOURNIQUET_UNTIMED if worn is None else TOURNIQUET_UNBINNED
        for label, low, high_bound in TOURNIQUET_BINS:
            if worn is not None and worn >= low and (high_bound is None or worn < high_bound):
                tourniquet = label
    chain: list[float | None] = []
    for _name, start, end, concerns in CHAIN_STEPS:
        begin, finish = start(record), end(record)
        if concerns(record) and begin is not None and finish is not None and finish >= begin:
            chain.append((finish - begin).total_seconds() / 60)
        else:
            chain.append(None)  # not concerned, a moment lacking, or the two in wrong order
    return RowFacts(
        category=outcome,
        day=moment.astimezone(UTC).date().isoformat() if moment is not None else None,
        triage=triage,
        tourniquet=tourniquet,
        tourniquet_over_2h=(
            record.tourniquet_count > 0 and (worn or 0.0) > TOURNIQUET_LONG_MINUTES
        ),
        chain_minutes=tuple(chain),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class StepTally:
    """One chain step's rows: how many it concerns, their minutes (sorted) and newest input."""

    concerned: int
    minutes: tuple[float, ...]
    newest_input_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryTally:
    """The rows of a filter counted by their facts: all ``summarise`` needs, nothing per row.

    Each dict is a count by key, as a GROUP BY gives it; (rows, newest input) where a figure
    needs its newest input. ``mechanisms`` and ``regions`` count the ";"-joined combinations.
    """

    outcomes: dict[tuple[str, str | None], tuple[int, datetime | None]]  # (category, day)
    triage: dict[str, int]
    tourniquets: dict[tuple[str, bool, bool], tuple[int, datetime | None]]  # state, >2h, open
    mechanisms: dict[str, int]
    regions: dict[str, int]
    chain: tuple[StepTally, ...]


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)


def tally_records(records: Iterable[RegistryRecord]) -> RegistryTally:
    """Count rows by their ``row_facts``: the reference a store's own counting must match."""
    outcomes: dict[tuple[str, str | None], tuple[int, datetime | None]] = {}
    tourniquets: dict[tuple[str, bool, bool], tuple[int, datetime | None]] = {}
    triage: Counter[str] = Counter()
    mechanisms: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    concerned = [0] * len(CHAIN_STEPS)
    minutes: list[list[float]] = [[] for _ in CHAIN_STEPS]
    step_newest: list[datetime | None] = [None] * len(CHAIN_STEPS)
    for record in records:
        facts = row_facts(record)
        newest = record.newest_input_at
        key = (facts.category.value, facts.day)
        rows, seen = outcomes.get(key, (0, None))
        outcomes[key] = (rows + 1, _later(seen, newest))
        triage[facts.triage] += 1
        if facts.tourniquet is not None:
            cell = (facts.tourniquet, facts.tourniquet_over_2h, record.tourniquets_open > 0)
            rows, seen = tourniquets.get(cell, (0, None))
            tourniquets[cell] = (rows + 1, _later(seen, newest))
        mechanisms[";".join(record.mechanisms)] += 1
        regions[";".join(record.regions)] += 1
        for at, (_name, _start, _end, concerns) in enumerate(CHAIN_STEPS):
            if concerns(record):
                concerned[at] += 1
            value = facts.chain_minutes[at]
            if value is not None:
                minutes[at].append(value)
                step_newest[at] = _later(step_newest[at], newest)
    return RegistryTally(
        outcomes=outcomes,
        triage=dict(triage),
        tourniquets=tourniquets,
        mechanisms=dict(mechanisms),
        regions=dict(regions),
        chain=tuple(
            StepTally(concerned=c, minutes=tuple(sorted(m)), newest_input_at=n)
            for c, m, n in zip(concerned, minutes, step_newest, strict=True)
        ),
    )


def summarise(
    records: Iterable[RegistryRecord],
    *,
    now: datetime,
    where: RegistryFilter | None = None,
) -> RegistrySummary:
    """Count every figure over the rows ``where`` selects (all rows without it)."""
    return summarise_tally(
        tally_records(r for r in records if where is None or where.matches(r)), now=now
    )


def summarise_tally(tally: RegistryTally, *, now: datetime) -> RegistrySummary:
    """Count every figure from the rows' tally (``tally_records``, or a store's own counting)."""
    tally_by: Counter[str] = Counter()
    per_day: defaultdict[str, Counter[str]] = defaultdict(Counter)
    per_week: defaultdict[str, Counter[str]] = defaultdict(Counter)
    week_newest: dict[str, datetime | None] = {}
    newest: datetime | None = None
    for (category, day), (rows, seen) in tally.outcomes.items():
        tally_by[category] += rows
        newest = _later(newest, seen)
        if day is not None:
            per_day[day][category] += rows
            week = iso_week(day)
            per_week[week][category] += rows
            week_newest[week] = _later(week_newest.get(week), seen)
    counts, rates = _holcomb_rates(tally_by, newest=newest)
    lacking = counts["unknown"] + counts["missing"]

    chain = tuple(
        Step(
            name=name,
            count=len(step.minutes),
            median_minutes=quantile(step.minutes, 0.5),
            p90_minutes=quantile(step.minutes, 0.9),
            missing=step.concerned - len(step.minutes),
            newest_input_at=step.newest_input_at,
        )
        for (name, *_rest), step in zip(CHAIN_STEPS, tally.chain, strict=True)
    )

    bins = dict.fromkeys((label for label, _low, _high in TOURNIQUET_BINS), 0)
    with_tourniquet = timed = over_2h = still_on = 0
    tourniquet_newest: datetime | None = None
    for (state, long_worn, open_now), (rows, seen) in tally.tourniquets.items():
        with_tourniquet += rows
        tourniquet_newest = _later(tourniquet_newest, seen)
        if open_now:
            still_on += rows
        if state == TOURNIQUET_UNTIMED:
            continue
        timed += rows
        if long_worn:
            over_2h += rows
        if state in bins:
            bins[state] += rows
    tourniquet_missing = with_tourniquet - timed

    matrix = Counter(tally.triage)
    triage_missing = matrix[TRIAGE_MISSING]
    highest = matrix["highest_major"] + matrix["highest_minor"]
    lower = matrix["lower_major"] + matrix["lower_minor"]

    mechanisms: Counter[str] = Counter()
    for combination, rows in tally.mechanisms.items():
        for mechanism in combination.split(";") if combination else ():
            mechanisms[mechanism] += rows
    regions: Counter[str] = Counter()
    for combination, rows in tally.regions.items():
        for region in combination.split(";") if combination else ():
            regions[region] += rows

    return RegistrySummary(
        now=now,
        rows=counts["casualties"],
        newest_input_at=newest,
        counts={name: Count(value=value) for name, value in counts.items()},
        missing_outcome=lacking,
        cfr=rates.cfr,
        pct_kia=rates.pct_kia,
        pct_dow=rates.pct_dow,
        chain=chain,
        tourniquet_bins={label: Count(value=value) for label, value in bins.items()},
        tourniquet_over_2h=_rate(
            over_2h, timed, missing=tourniquet_missing, newest=tourniquet_newest
        ),  # fmt: skip
        tourniquets_open=Count(value=still_on),
        tourniquet_missing=tourniquet_missing,
        over_triage=_rate(
            matrix["highest_minor"], highest, missing=triage_missing, newest=newest
        ),  # fmt: skip
        under_triage=_rate(
            matrix["lower_major"], lower, missing=triage_missing, newest=newest
        ),  # fmt: skip
        triage_matrix={
            key: Count(value=matrix[key])
            for key in ("highest_major", "highest_minor", "lower_major", "lower_minor")
        },
        mechanisms={k: Count(value=v) for k, v in sorted(mechanisms.items())},
        mechanism_missing=tally.mechanisms.get("", 0),
        regions={k: Count(value=v) for k, v in sorted(regions.items())},
        region_missing=tally.regions.get("", 0),
        per_day={
            day: {o.value: Count(value=c[o.value]) for o in RegistryOutcome}
            for day, c in sorted(per_day.items())
        },
        per_week={
            week: _holcomb_rates(c, newest=week_newest[week])[1]
            for week, c in sorted(per_week.items())
        },
    )
