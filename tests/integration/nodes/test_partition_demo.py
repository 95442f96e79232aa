"""``scripts/partition-demo`` prints one JSON line with nothing lost and nothing doubled."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "partition-demo"


@pytest.mark.slow
def test_the_partition_demo_loses_and_doubles_nothing() -> None:
    """A short cut (3 s) of one of two forward nodes: every event arrives, once."""
    done = subprocess.run(
        [str(SCRIPT), "--cut-seconds", "3"], capture_output=True, text=True, timeout=300,
        check=True,
    )  # fmt: skip
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert (report["lost"], report["duplicated"]) == (0, 0)
    written, received = report["written"], report["received"]
    assert received["rear"] == written["fwd1"] + written["fwd2"] > 0
    assert received["fwd1"] == received["fwd2"] == written["rear"] > 0
