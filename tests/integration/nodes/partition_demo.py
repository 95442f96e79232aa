"""``scripts/partition-demo``: a rear and two forward nodes, one link cut for a minute while
every side writes; prints one JSON line of what was written, received, lost and doubled.

Run on this machine with real nats-servers (the partition tests' harness). The rear registers
units (which go down to every forward node); the medic registers casualties on each forward
node (which go up to the rear).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "server"), str(HERE.parents[1])]

from harness import Pair, wait_for  # noqa: E402

from goldenhour.adapters.storage.event_log import SqlEventLog  # noqa: E402
from goldenhour.domain.operations.vocabulary import UnitKind  # noqa: E402
from goldenhour.services.admin import register_unit  # noqa: E402


def main() -> None:
    """Run the demo and print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cut-seconds", type=float, default=60.0)
    parser.add_argument("--database-url", help="the rear's database (default: SQLite)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="partition-demo-") as directory:
        tmp = Path(directory)
        pair = Pair(
            tmp, rear_url=options.database_url or f"sqlite:///{tmp / 'rear.sqlite3'}",
            forwards=("fwd1", "fwd2"),
            # Each stabilisation point serves its own company: its casualties stay off the other.
            areas={"fwd1": "company", "fwd2": "other_company"},
        )  # fmt: skip
        try:
            print(json.dumps(_run(pair, options.cut_seconds)), flush=True)  # noqa: T201
        finally:
            pair.close()


def _run(pair: Pair, cut_seconds: float) -> dict[str, object]:
    pair.start_loops()
    up: dict[str, set[str]] = {name: set() for name in pair.forwards}
    down: set[str] = set()
    rear_log = SqlEventLog(pair.rear.engine)
    pair.relays["fwd1"].cut()
    ends = time.monotonic() + cut_seconds
    while time.monotonic() < ends:
        for name in pair.forwards:
            up[name] |= set(pair.write_forward(5, node=name))
        unit = register_unit(
            rear_log, name=f"Unit {len(down)}", kind=UnitKind.PLATOON,
            parent_id=pair.world.brigade, now=datetime.now(UTC),
        )  # fmt: skip
        down.add(_event_of(pair, unit))
        time.sleep(0.5)
    pair.relays["fwd1"].restore()
    relinked = time.monotonic()
    everything_up = set().union(*up.values())

    def converged() -> bool:
        at_rear = set(pair.rear.event_ids())
        return everything_up <= at_rear and all(
            down <= set(node.event_ids()) for node in pair.forwards.values()
        )

    wait_for(converged, timeout=120)
    seconds = time.monotonic() - relinked
    rear_ids = pair.rear.event_ids()
    received = {"rear": len(everything_up & set(rear_ids))}
    lost = len(everything_up - set(rear_ids))
    duplicated = len(rear_ids) - len(set(rear_ids))
    for name, node in pair.forwards.items():
        ids = node.event_ids()
        received[name] = len(down & set(ids))
        lost += len(down - set(ids))
        duplicated += len(ids) - len(set(ids))
    pair.check_converged()
    return {
        "cut_seconds": cut_seconds,
        "written": {"rear": len(down), **{name: len(ids) for name, ids in up.items()}},
        "received": received,
        "lost": lost,
        "duplicated": duplicated,
        "relink_to_convergence_s": round(seconds, 2),
    }


def _event_of(pair: Pair, unit: object) -> str:
    from sqlalchemy import select

    from goldenhour.adapters.storage.tables import events

    with pair.rear.engine.connect() as connection:
        return str(
            connection.execute(
                select(events.c.event_id).where(events.c.stream_id == str(unit))
            ).scalar_one()
        )


if __name__ == "__main__":
    main()
