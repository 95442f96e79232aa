"""A seeded run of the Bilohorivka scenario under FCFS matches its checked summary (the SimPy
examples' ``.out`` idea). After a deliberate change, regenerate the file with
``uv run python tests/unit/simulation/test_simulator_golden.py`` and review the diff."""

from __future__ import annotations

from pathlib import Path

from goldenhour.planning.policies.fcfs import FirstComeFirstServed
from goldenhour.planning.scenario_file import load_scenario
from goldenhour.simulation import SimulationResult, simulate

ROOT = Path(__file__).parents[3]
GOLDEN = Path(__file__).parent / "golden" / "bilohorivka-fcfs-seed7.txt"


def summary(result: SimulationResult) -> str:
    """Return a stable text summary: one line per casualty, then the totals."""
    lines = [f"# {result.scenario} / {result.policy} / seed {result.seed}"]
    for c in sorted(result.casualties, key=lambda c: c.casualty_id):
        picked = "-" if c.picked_up_at_min is None else f"{c.picked_up_at_min:.1f}"
        arrived = "-" if c.arrived_at_min is None else f"{c.arrived_at_min:.1f}"
        lines.append(
            f"{c.casualty_id} {c.category.value} {c.outcome.value} picked {picked} "
            f"via {'>'.join(c.vehicles) or '-'} at {c.facility_id or '-'} {arrived} "
            f"p={c.survival:.3f}"
        )
    lines.append(f"legs {len(result.legs)} decisions {result.decisions}")
    lines.append(f"expected survivors {result.expected_survivors:.3f}")
    return "\n".join(lines) + "\n"


def golden_run() -> SimulationResult:
    scenario = load_scenario(ROOT / "scenarios" / "bilohorivka.yaml")
    return simulate(scenario, FirstComeFirstServed(), seed=7)


def test_bilohorivka_under_fcfs_matches_the_checked_summary() -> None:
    assert summary(golden_run()) == GOLDEN.read_text(encoding="utf-8")


if __name__ == "__main__":
    GOLDEN.write_text(summary(golden_run()), encoding="utf-8")
