"""Benches and test utilities: ``goldenhour bench ...`` and the throw-away PostgreSQL cluster.

Tooling, not product: nothing in the product imports this package (import-linter checks); the
CLI's root names it as the module of its ``bench`` noun and imports it only when that runs.
"""
