"""The command line's wiring: the one place it builds the adapters the services run on.

Commands parse their options, ask this module for the ports a service needs, call the service
and print. Adapters are imported when a command asks for them, not when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from goldenhour.cli.server_options import settings_from

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from goldenhour.domain.ports import AuditChain, AuditRecorder, UserAccounts
    from goldenhour.services.handoff import BundleCodec
    from goldenhour.services.maintenance import Store
    from goldenhour.services.printing import CardPrinter
    from goldenhour.services.registry import RegistryStore
    from goldenhour.services.users import UserAdmin


def current_engine(data_dir: Path | None, database_url: str | None) -> Engine:
    """Open the database the options name, refusing one whose schema is not current."""
    from goldenhour.adapters.storage import schema
    from goldenhour.adapters.storage.engine import make_engine

    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    schema.require_current(engine)
    return engine


def audit_chain(data_dir: Path | None, database_url: str | None) -> AuditChain:
    """Return the audit chain of the database the options name."""
    from goldenhour.adapters.storage.audit import SqlAuditChain

    return SqlAuditChain(current_engine(data_dir, database_url))


def maintenance_store(data_dir: Path | None, database_url: str | None) -> Store:
    """Return the database the options name for maintenance, whatever its schema revision."""
    from goldenhour.adapters.storage.engine import make_engine
    from goldenhour.adapters.storage.maintenance import SqlMaintenance

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
