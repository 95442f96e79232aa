"""The relay the partition tests cut links with (it lives in the package: the bench uses it)."""

from goldenhour.adapters.nats.relay import Relay

__all__ = ["Relay"]
