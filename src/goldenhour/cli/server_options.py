"""Options shared by the commands that open the database: where the data lives."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from goldenhour.config import Settings

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Directory of the embedded SQLite database [default: ./goldenhour-data]."
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of another database, e.g. postgresql+psycopg://user@host/db.",
    ),
]


def settings_from(data_dir: Path | None, database_url: str | None, **overrides: Any) -> Settings:
    """Build settings from the environment, with the command's options on top."""
    given: dict[str, Any] = {key: value for key, value in overrides.items() if value is not None}
    if data_dir is not None:
        given["data_dir"] = data_dir
    if database_url is not None:
        given["database_url"] = database_url
    return Settings(**given)
