"""A throw-away PostgreSQL cluster for a test session (Debian's server, started by the tests).

The cluster itself lives in ``goldenhour.adapters.storage.throwaway_postgres`` so that
``goldenhour bench server`` can start one too; the tests import it from here.
"""

from __future__ import annotations

from goldenhour.adapters.storage.throwaway_postgres import (
    create_database,
    free_port,
    postgres_cluster,
)

__all__ = ["create_database", "free_port", "postgres_cluster"]
