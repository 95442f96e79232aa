"""``goldenhour bench nodes`` runs end to end at a tiny size (the recorded figures are larger)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli_runner import goldenhour


def _bench(*args: str) -> dict[str, Any]:
    result = goldenhour("bench", "nodes", *args, "--json")
    assert result.returncode == 0, result.stderr
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


@pytest.mark.slow
def test_the_steady_bench_times_every_event_from_forward_to_rear() -> None:
    """Forty events at 20 a second: every one at the rear, once, with its latency measured."""
    figures = _bench("steady", "--rate", "20", "--seconds", "2")
    assert (figures["events"], figures["lost"], figures["duplicated"]) == (40, 0, 0)
    assert figures["cards_missing"] == 0
    assert 0 < figures["latency_p50_ms"] <= figures["latency_p95_ms"] <= figures["latency_max_ms"]
    assert figures["forward_server_rss_mib_mean"] > 0 and figures["forward_nats_rss_mib_mean"] > 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scenario", "options"),
    [
        ("fleet", ("--forwards", "2", "--events", "30")),
        ("cut", ("--cut-seconds", "3", "--events", "30")),
    ],
)
def test_the_cut_benches_hold_back_every_event_until_relink_then_deliver_it_once(
    scenario: str, options: tuple[str, ...]
) -> None:
    """Links cut while the forward nodes write: nothing reaches the rear before the relink,
    everything after it, none twice, each casualty's card at the rear."""
    figures = _bench(scenario, *options)
    forwards = 2 if scenario == "fleet" else 1
    assert figures["events"] == 30 * forwards
    assert figures["arrived_during_cut"] == 0
    assert (figures["lost"], figures["duplicated"], figures["cards_missing"]) == (0, 0, 0)
    assert 0 <= figures["relink_to_first_s"] <= figures["relink_to_all_s"]
    assert figures["rear_ingest_events_per_s"] > 0
    if scenario == "cut":
        assert figures["cut_seconds"] >= 3
    memory = figures["memory_after"]
    assert isinstance(memory, dict) and memory["forward_rss_mib_mean"] > 0
