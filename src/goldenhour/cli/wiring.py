"""The command line's wiring: the one place it builds the adapters the services run on.

Commands parse their options, ask this module for the ports a service needs, call the service
and print. Adapters (and the settings) are imported when a command asks for them, not when the
CLI starts: ``goldenhour cot decode`` loads no settings and no storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from goldenhour.adapters.storage.event_log import SqlEventLog
    from goldenhour.config import Settings
    from goldenhour.domain.ports import AuditChain, AuditRecorder, EventLog, UserAccounts
    from goldenhour.services.formats import CotFormat, RadioFormat
    from goldenhour.services.handoff import BundleCodec
    from goldenhour.services.maintenance import Store
    from goldenhour.services.nodes.ports import NodeStore
    from goldenhour.services.nodes.setup import NodeFiles
    from goldenhour.services.nodes.status import LinkProbe
    from goldenhour.services.printing import CardPrinter
    from goldenhour.services.registry import RegistryStore
    from goldenhour.services.users import UserAdmin


def current_engine(data_dir: Path | None, database_url: str | None) -> Engine:
    """Open the database the options name, refusing one whose schema is not current."""
    from goldenhour.adapters.storage import schema
    from goldenhour.adapters.storage.engine import make_engine
    from goldenhour.cli.server_options import settings_from

    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    schema.require_current(engine)
    return engine


def audit_chain(data_dir: Path | None, database_url: str | None) -> AuditChain:
    """Return the audit chain of the database the options name."""
    from goldenhour.adapters.storage.audit import SqlAuditChain

    return SqlAuditChain(current_engine(data_dir, database_url))


@contextmanager
def event_log(data_dir: Path | None, database_url: str | None) -> Iterator[EventLog]:
    """Open the event log of the database the options name; its connections close after."""
    from goldenhour.adapters.storage.event_log import SqlEventLog

    engine = current_engine(data_dir, database_url)
    try:
        yield SqlEventLog(engine)
    finally:
        engine.dispose()


def maintenance_store(data_dir: Path | None, database_url: str | None) -> Store:
    """Return the database the options name for maintenance, whatever its schema revision."""
    from goldenhour.adapters.storage.engine import make_engine
    from goldenhour.adapters.storage.maintenance import SqlMaintenance
    from goldenhour.cli.server_options import settings_from

    return SqlMaintenance(
        make_engine(settings_from(data_dir, database_url).resolved_database_url())
    )


def user_admin(data_dir: Path | None, database_url: str | None) -> UserAdmin:
    """Return the ports user administration runs on, over the database the options name."""
    from goldenhour.adapters.passwords import Argon2Passwords
    from goldenhour.adapters.storage.event_log import SqlEventLog
    from goldenhour.adapters.storage.queries import SqlUserAccounts
    from goldenhour.adapters.storage.tokens import SqlTokens
    from goldenhour.services.users import UserAdmin

    engine = current_engine(data_dir, database_url)
    return UserAdmin(
        log=SqlEventLog(engine), users=SqlUserAccounts(engine), tokens=SqlTokens(engine),
        passwords=Argon2Passwords(),
    )  # fmt: skip


def fhir_bundles() -> BundleCodec:
    """Return the FHIR R4 bundle codec ``goldenhour fhir`` writes and reads."""
    from goldenhour.adapters.fhir.codec import FhirBundles

    return FhirBundles()


def cot_format() -> CotFormat:
    """Return the CoT XML and TAK Protocol v1 forms of ``goldenhour cot`` and ``tak send``."""
    from goldenhour.adapters.cot.tool import CotFormats

    return CotFormats()


def radio_format() -> RadioFormat:
    """Return the compact radio and SMS forms of ``goldenhour compact`` and ``card scan``."""
    from goldenhour.adapters.radio.tool import RadioFormats

    return RadioFormats()


def card_printer() -> CardPrinter:
    """Return the printer of ``goldenhour card pdf`` and the reader of ``card scan``."""
    from goldenhour.adapters.printing.printer import PdfCardPrinter

    return PdfCardPrinter()


def registry_ports(
    data_dir: Path | None, database_url: str | None
) -> tuple[RegistryStore, AuditRecorder, UserAccounts]:
    """Return the registry's rows, the audit its queries are recorded in, and the users."""
    from goldenhour.adapters.storage.event_log import SqlEventLog
    from goldenhour.adapters.storage.queries import SqlUserAccounts
    from goldenhour.adapters.storage.registry import SqlRegistry
    from goldenhour.services.audit import ReadAudit

    engine = current_engine(data_dir, database_url)
    return SqlRegistry(engine), ReadAudit(SqlEventLog(engine)), SqlUserAccounts(engine)


def node_store(data_dir: Path | None, database_url: str | None) -> NodeStore:
    """Return the node's records in the database the options name."""
    from goldenhour.adapters.storage.nodes import SqlNodeStore

    return SqlNodeStore(current_engine(data_dir, database_url))


def node_files(data_dir: Path | None, database_url: str | None) -> NodeFiles:
    """Return the node's settings file in the data directory the options name."""
    from goldenhour.adapters.nats.node_file import NodeFiles as FileNodeFiles
    from goldenhour.cli.server_options import settings_from

    return FileNodeFiles(settings_from(data_dir, database_url).data_dir)


def link_probe(monitor_url: str) -> LinkProbe:
    """Return the probe of a node's nats-server, by its HTTP monitor."""
    from goldenhour.adapters.nats.monitor import MonitorProbe

    return MonitorProbe(monitor_url)


def seed_demo(log: SqlEventLog, password: str, *, history_weeks: int = 0) -> None:
    """Seed the demo into the database of ``log`` (``services.demo_seed``), all with ``password``.

    ``history_weeks`` of past casualties (``simulation.front_history``) go in first.
    """
    from goldenhour.adapters.passwords import Argon2Passwords
    from goldenhour.adapters.storage.queries import SqlUserAccounts
    from goldenhour.services.demo_seed import DemoHistory
    from goldenhour.services.demo_seed import seed_demo as seed

    history = None
    if history_weeks:
        from goldenhour.simulation.front_history import HISTORY_SECTOR, history_events

        history = DemoHistory(
            HISTORY_SECTOR,
            lambda anchor, now: history_events(anchor=anchor, now=now, weeks=history_weeks),
        )
    seed(log, SqlUserAccounts(log.engine), Argon2Passwords(), password, history=history)


def seed_demo_database(settings: Settings, password: str) -> None:
    """Bring the settings' database to the current schema and seed the demo into it."""
    from goldenhour.adapters.storage import schema
    from goldenhour.adapters.storage.engine import make_engine
    from goldenhour.adapters.storage.event_log import SqlEventLog

    engine = make_engine(settings.resolved_database_url())
    try:
        schema.upgrade(engine)
        seed_demo(SqlEventLog(engine), password, history_weeks=settings.demo_history_weeks)
    finally:
        engine.dispose()
