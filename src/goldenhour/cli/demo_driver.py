"""The demo driver: plays the demo's live run (``goldenhour.demo.run``) while the server runs.

Each step is submitted when due, as the demo user who would send it (the medic, the
coordinator, the crew of KALYNA 22), through the same ingest as the events API
(``services.sync.submit_events``), and wakes the live streams so that open views follow at once.
``GOLDENHOUR_DEMO_DRIVER=0`` turns it off (the tests do, to keep the demo as seeded).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from goldenhour.demo.bilohorivka import demo_id
from goldenhour.demo.run import SLOVIANSK_DUTY_OFFICER, SLOVIANSK_HOSPITAL_ID, DemoRun, demo_run
from goldenhour.demo.scenario import BATTALION, BRIGADE, DEMO_USERS, MEDICAL_COMPANY
from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.codec import encode_event
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import EventLog
from goldenhour.services.sync import Outcome, submit_events

_LOG = logging.getLogger(__name__)


def _principal(username: str) -> Principal:
    if username == SLOVIANSK_DUTY_OFFICER:  # a facility user of Sloviansk hospital
        return Principal(
            user_id=demo_id(f"user/{username}"), username=username, role=Role.FACILITY,
            unit_id=MEDICAL_COMPANY, unit_path=f"/{BRIGADE}/{MEDICAL_COMPANY}/",
            device=f"demo-driver-{username}", facility_id=SLOVIANSK_HOSPITAL_ID,
            attribution=Attribution.AS_GIVEN,
        )  # fmt: skip
    user = next(u for u in DEMO_USERS if u.username == username)
    # Every demo unit but the brigade's own sits under the battalion (scenario.picture_events).
    path = f"/{BRIGADE}/{BATTALION}/" + ("" if user.unit_id == BATTALION else f"{user.unit_id}/")
    return Principal(
        user_id=demo_id(f"user/{username}"), username=username, role=user.role,
        unit_id=user.unit_id, unit_path=path, device=f"demo-driver-{username}",
        attribution=Attribution.AS_GIVEN,  # the run names its own authors and devices
    )  # fmt: skip


def submit_due(log: EventLog, run: DemoRun, *, now: datetime) -> tuple[int, list[str]]:
    """Submit every step of ``run`` due by ``now``; return how many steps are still to come and
    the refusals ("author: field reason").

    Steps already stored are duplicates; a refusal is logged and the run goes on.
    """
    waiting, refusals = 0, []
    for step in run.steps:
        if step.due > now:
            waiting += 1
            continue
        results = submit_events(
            log, _principal(step.author), [encode_event(e) for e in step.events], now=now,
            max_skew=timedelta(minutes=5),
        )  # fmt: skip
        for result in results:
            if result.outcome not in (Outcome.ACCEPTED, Outcome.DUPLICATE):
                refusals.append(f"{step.author}: {result.field} {result.reason}")
                _LOG.warning("demo driver: %s refused", refusals[-1])
    return waiting, refusals


def start_demo_driver(
    log: EventLog, notify: Callable[[], None], *, start: datetime | None = None
) -> threading.Thread:
    """Play a run from ``start`` (now) in a daemon thread; call ``notify`` after each step."""
    begun = start or datetime.now(UTC).replace(microsecond=0)
    run = demo_run(begun)

    def play() -> None:
        stop = threading.Event()
        for step in run.steps:
            wait = (step.due - datetime.now(UTC)).total_seconds()
            if wait > 0:
                stop.wait(wait)
            try:
                submit_due(log, run, now=datetime.now(UTC))
            except Exception:  # a demo step lost must not stop the server  # noqa: BLE001
                _LOG.exception("demo driver: a step failed")
            notify()

    thread = threading.Thread(target=play, name="demo-driver", daemon=True)
    thread.start()
    return thread
