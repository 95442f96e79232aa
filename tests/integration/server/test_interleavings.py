"""Any interleaving and repetition of batches from several devices gives the same final state.

Three phones write for three casualties: registrations, injuries, tourniquets and their
conversion or removal, vitals at the same minute from two phones, a corrected application and
corrected vitals (``supersedes``), a retracted note, a triage decision and a hand-over to a
facility. Each phone sends its own events in the order it made them (a phone only names events
it made earlier or that travel in the same batch), as real devices do; the cuts into batches, the
order inside each batch, how the phones' batches interleave at the server and which batches are
sent again (an acknowledgement lost on the way back) are drawn by hypothesis.

The third phone also relays two events the others made. A relay that arrives before the event it
names is refused, and the maker's own copy is stored later; one that arrives after is a duplicate
of the maker's copy, or stored first and the maker's copy is then the duplicate. Either way the
final state is the same.

Each example runs on a copy of a database seeded with the demo, and its projections are compared
with those after the canonical delivery (each phone's events in one batch, phone after phone),
apart from what records when and in which order events arrived (``updated_seq``, ``updated_at``,
``since_seq``, and each event's ``received_at`` inside a card).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from projection_snapshot import Snapshot, projection_snapshot
from sqlalchemy import Engine, select

from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.tables import events
from goldenhour.cli.wiring import seed_demo
from goldenhour.demo.bilohorivka import PICKUP_SITE, demo_id
from goldenhour.demo.scenario import BATTALION, BRIGADE, COMPANY, KRAMATORSK_HOSPITAL_ID
from goldenhour.domain.access import Principal
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EntryRetracted,
    HandedOver,
    InjuryRecorded,
    MedicationGiven,
    NoteAdded,
    TourniquetApplied,
    TourniquetConverted,
    TourniquetRemoved,
    TriageAssessed,
    VitalsRecorded,
)
from goldenhour.domain.casualty.vocabulary import BodyRegion, DrugClass, Limb, Route
from goldenhour.domain.codec import encode_event
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.triage.categories import NatoCategory, TriageSystem
from goldenhour.services.sync import submit_events

from builders import make
from postgres import create_database

PASSWORD = "interleavings-password"
CASUALTY_A = UUID("00000000-0000-4000-8000-00000000000a")
CASUALTY_B = UUID("00000000-0000-4000-8000-00000000000b")
CASUALTY_C = UUID("00000000-0000-4000-8000-00000000000c")


def _phone_1() -> list[CasualtyEvent]:
    """Casualty A: registered, a tourniquet on and off, vitals corrected; a note on B."""
    phone = {"device": "phone-1", "casualty_id": CASUALTY_A}
    applied = make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG, **phone)
    vitals = make(VitalsRecorded, minute=5, pulse=130, respiratory_rate=30, **phone)
    return [
        make(CasualtyRegistered, minute=1, position=PICKUP_SITE, **phone),
        make(InjuryRecorded, minute=1, region=BodyRegion.THIGH, **phone),
        applied,
        vitals,
        make(VitalsRecorded, minute=5, pulse=125, respiratory_rate=30,
             supersedes=vitals.event_id, **phone),
        make(TourniquetRemoved, minute=60, application_id=applied.event_id, **phone),
        make(NoteAdded, minute=20, device="phone-1", casualty_id=CASUALTY_B, text="seen on A"),
    ]  # fmt: skip


def _phone_2() -> list[CasualtyEvent]:
    """Casualty B: registered, a tourniquet corrected and converted, triaged; vitals on A."""
    phone = {"device": "phone-2", "casualty_id": CASUALTY_B}
    applied = make(TourniquetApplied, minute=10, limb=Limb.RIGHT_ARM, **phone)
    note = make(NoteAdded, minute=6, device="phone-2", casualty_id=CASUALTY_A, text="wrong card")
    return [
        make(CasualtyRegistered, minute=9, **phone),
        applied,
        make(TourniquetApplied, minute=8, limb=Limb.RIGHT_ARM, supersedes=applied.event_id,
             **phone),
        make(VitalsRecorded, minute=5, device="phone-2", casualty_id=CASUALTY_A, pulse=128),
        note,
        make(EntryRetracted, minute=7, device="phone-2", casualty_id=CASUALTY_A,
             target=note.event_id, reason="meant for B"),
        make(TourniquetConverted, minute=40, application_id=applied.event_id,
             converted_to="pressure dressing", **phone),
        make(TriageAssessed, minute=12, system=TriageSystem.NATO, category=NatoCategory.T1,
             **phone),
    ]  # fmt: skip


def _phone_3(relayed: Sequence[CasualtyEvent]) -> list[CasualtyEvent]:
    """Casualty C: registered, given a drug, handed over; and two relays of others' events."""
    phone = {"device": "phone-3", "casualty_id": CASUALTY_C}
    return [
        make(CasualtyRegistered, minute=30, **phone),
        relayed[0],
        make(MedicationGiven, minute=31, drug_class=DrugClass.ANALGESIC, name="ketamine",
             dose=50.0, dose_unit="mg", route=Route.IM, **phone),
        make(HandedOver, minute=70, to_stage="Kramatorsk city hospital",
             facility_id=KRAMATORSK_HOSPITAL_ID, **phone),
        relayed[1],
    ]  # fmt: skip


PHONE_1, PHONE_2 = _phone_1(), _phone_2()
#: Phone 3 relays phone 1's corrected vitals and phone 2's tourniquet conversion.
RELAYED = [PHONE_1[4], PHONE_2[6]]
#: Each device's events on the wire, in the order the device made them.
DEVICES: list[list[dict[str, Any]]] = [
    [encode_event(e) for e in device] for device in (PHONE_1, PHONE_2, _phone_3(RELAYED))
]
DEVICE_NAMES = ("phone-1", "phone-2", "phone-3")
EVERY_EVENT_ID = sorted({event["event_id"] for device in DEVICES for event in device})

#: One batch as it reaches the server: which device sent it, and its events.
Delivery = tuple[int, tuple[dict[str, Any], ...]]


@st.composite
def batches_of(draw: st.DrawFn, device: int) -> list[Delivery]:
    """Draw a device's events cut into batches, each batch's events in any order."""
    made = DEVICES[device]
    cuts = sorted(draw(st.sets(st.integers(1, len(made) - 1))))
    bounds = zip([0, *cuts], [*cuts, len(made)], strict=True)
    return [(device, tuple(draw(st.permutations(made[start:end])))) for start, end in bounds]


@st.composite
def deliveries(draw: st.DrawFn) -> list[Delivery]:
    """Draw what reaches the server: the devices' batches interleaved, some of them sent again."""
    queues = [draw(batches_of(device)) for device in range(len(DEVICES))]
    turns = draw(st.permutations([d for d, queue in enumerate(queues) for _ in queue]))
    taken = [0] * len(queues)
    arrivals: list[tuple[float, Delivery]] = []
    for position, device in enumerate(turns):
        arrivals.append((position, queues[device][taken[device]]))
        taken[device] += 1
    # A resend comes after the first sending: at the same position or any later one.
    resends = draw(
        st.lists(st.tuples(st.integers(0, len(turns) - 1), st.integers(0, len(turns))), max_size=4)
    )
    for original, later in resends:
        arrivals.append((max(original, later) + 0.5, arrivals[original][1]))
    return [delivery for _, delivery in sorted(arrivals, key=lambda arrival: arrival[0])]


def canonical() -> list[Delivery]:
    """Return each device's events in one batch, device after device."""
    return [(device, tuple(made)) for device, made in enumerate(DEVICES)]


def principal(device: int) -> Principal:
    """Return the demo medic on one of the phones."""
    return Principal(
        user_id=demo_id("user/medic"), username="medic", role=Role.MEDIC, unit_id=COMPANY,
        unit_path=f"/{BRIGADE}/{BATTALION}/{COMPANY}/", device=DEVICE_NAMES[device],
    )  # fmt: skip


def deliver(engine: Engine, arrivals: Sequence[Delivery]) -> None:
    """Submit the batches in arrival order, each as the server's sync endpoint would."""
    log = SqlEventLog(engine)
    for device, batch in arrivals:
        submit_events(
            log, principal(device), list(batch), now=datetime.now(UTC),
            max_skew=timedelta(minutes=5),
        )  # fmt: skip


def stored_ids(engine: Engine) -> list[str]:
    """Return the ids of the phones' events in the log, one entry per stored row, sorted."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(events.c.event_id).where(events.c.device.in_(DEVICE_NAMES))
        ).scalars()
        return sorted(rows)


class Template:
    """A seeded database that each example copies, and the state the canonical delivery gives."""

    def __init__(self, copy: Callable[[], AbstractContextManager[Engine]]) -> None:
        self.copy = copy
        with copy() as engine:
            deliver(engine, canonical())
            self.expected: Snapshot = projection_snapshot(engine, ignore_arrival=True)
            self.expected_ids = stored_ids(engine)


def seed(url: str) -> None:
    """Create the schema on ``url`` and load the demo into it."""
    engine = make_engine(url)
    schema.upgrade(engine)
    seed_demo(SqlEventLog(engine), PASSWORD)
    engine.dispose()


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Return a seeded SQLite file whose copies are fresh SQLite files."""
    folder = tmp_path_factory.mktemp("interleavings")
    original = folder / "template.sqlite3"
    seed(f"sqlite:///{original}")

    @contextmanager
    def copy() -> Iterator[Engine]:
        path = Path(tempfile.mkdtemp(dir=folder)) / "copy.sqlite3"
        shutil.copyfile(original, path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        shutil.rmtree(path.parent)

    return Template(copy)


@pytest.fixture(scope="module")
def postgres_template(postgres_base_url: str) -> Template:
    """Return a seeded PostgreSQL database whose copies are ``CREATE DATABASE ... TEMPLATE``."""
    name = f"template_{uuid4().hex[:12]}"
    seed(create_database(postgres_base_url, name))
    admin = postgres_base_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"

    @contextmanager
    def copy() -> Iterator[Engine]:
        copied = f"copy_{uuid4().hex[:12]}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{copied}" TEMPLATE "{name}"')
        engine = make_engine(f"{postgres_base_url}/{copied}")
        yield engine
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{copied}"')

    return Template(copy)


def test_the_canonical_delivery_stores_every_event_of_every_device(
    sqlite_template: Template,
) -> None:
    assert sqlite_template.expected_ids == EVERY_EVENT_ID
    assert {card["casualty_id"] for card in sqlite_template.expected["casualty_cards"]} >= {
        str(CASUALTY_A),
        str(CASUALTY_B),
        str(CASUALTY_C),
    }


@settings(max_examples=60, deadline=None)
@given(arrivals=deliveries())
def test_any_interleaving_and_repetition_of_batches_gives_the_same_state_on_sqlite(
    sqlite_template: Template, arrivals: list[Delivery]
) -> None:
    with sqlite_template.copy() as engine:
        deliver(engine, arrivals)
        assert stored_ids(engine) == EVERY_EVENT_ID
        assert projection_snapshot(engine, ignore_arrival=True) == sqlite_template.expected


@settings(max_examples=15, deadline=None)
@given(arrivals=deliveries())
def test_any_interleaving_and_repetition_of_batches_gives_the_same_state_on_postgresql(
    postgres_template: Template, arrivals: list[Delivery]
) -> None:
    with postgres_template.copy() as engine:
        deliver(engine, arrivals)
        assert stored_ids(engine) == EVERY_EVENT_ID
        assert projection_snapshot(engine, ignore_arrival=True) == postgres_template.expected
