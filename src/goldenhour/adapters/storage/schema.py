"""The schema version: upgrade it with Alembic, and refuse to run on one we do not know."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from goldenhour.domain.errors import GoldenHourError

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaMismatchError(GoldenHourError, RuntimeError):
    """The database's schema is not the one this version of Golden Hour expects."""

    def __init__(self, found: str | None, expected: str) -> None:
        self.found = found
        self.expected = expected
        state = "has no Golden Hour schema" if found is None else f"is at schema {found}"
        super().__init__(
            f"the database {state}; this Golden Hour needs {expected}. "
            "Run: goldenhour db upgrade (with the same --data-dir or --database-url)"
        )


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration for ``engine`` using the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def head_revision() -> str:
    """Return the newest schema revision this code knows."""
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    if head is None:
        raise GoldenHourError("no migrations are packaged")
    return head


def current_revision(engine: Engine) -> str | None:
    """Return the database's schema revision, or ``None`` when it has none."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the database's schema up to the newest revision and return it."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()


def require_current(engine: Engine) -> None:
    """Raise ``SchemaMismatchError`` unless the database is at the newest revision."""
    found, expected = current_revision(engine), head_revision()
    if found != expected:
        raise SchemaMismatchError(found, expected)
