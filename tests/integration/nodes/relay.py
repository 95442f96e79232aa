"""The relay the partition tests cut links with (in goldenhour.bench: the bench uses it too)."""

from goldenhour.bench.relay import Relay

__all__ = ["Relay"]
