"""A throw-away PostgreSQL cluster for a test session (Debian's server, started by the tests).

The cluster itself lives in ``goldenhour.bench.throwaway_postgres`` so that
``goldenhour bench server`` can start one too; the tests import it from here.
"""

from __future__ import annotations

from goldenhour.bench.throwaway_postgres import (
    create_database,
    free_port,
    postgres_cluster,
)

__all__ = ["create_database", "free_port", "postgres_cluster"]
