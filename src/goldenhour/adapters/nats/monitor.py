"""The node's nats-server as its HTTP monitor reports it: leaf links and stream consumers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from goldenhour.domain.nodes import ConsumerLag, LeafLink, NodeLinkError

__all__ = ["MonitorProbe"]


class MonitorProbe:
    """Reads ``/leafz`` and ``/jsz`` of one nats-server (``services.nodes.status.LinkProbe``)."""

    def __init__(self, monitor_url: str, *, timeout: float = 2.0) -> None:
        self.monitor_url = monitor_url.rstrip("/")
        self.timeout = timeout

    def _get(self, path: str, **params: str) -> dict[str, Any]:
        try:
            response = httpx.get(f"{self.monitor_url}{path}", params=params, timeout=self.timeout)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise NodeLinkError(f"the node's nats-server does not answer: {error}") from error
        body: dict[str, Any] = response.json()
        return body

    def leaf_links(self) -> list[LeafLink]:
        """Return the server's leaf links (a link that is down is not listed)."""
        body = self._get("/leafz")
        return [
            LeafLink(peer=str(leaf.get("name") or leaf.get("ip")), up=True, rtt=leaf.get("rtt"))
            for leaf in body.get("leafs") or []
        ]

    def consumers(self, stream: str) -> list[ConsumerLag]:
        """Return the consumers of ``stream`` and how far behind each is."""
        body = self._get("/jsz", accounts="true", streams="true", consumers="true")
        found: list[ConsumerLag] = []
        for account in body.get("account_details") or []:
            for detail in account.get("stream_detail") or []:
                if detail.get("name") != stream:
                    continue
                for consumer in detail.get("consumer_detail") or []:
                    active = (consumer.get("delivered") or {}).get("last_active")
                    found.append(
                        ConsumerLag(
                            consumer=consumer["name"],
                            pending=int(consumer.get("num_pending") or 0),
                            unacknowledged=int(consumer.get("num_ack_pending") or 0),
                            last_active=datetime.fromisoformat(active) if active else None,
                        )
                    )
        return found
