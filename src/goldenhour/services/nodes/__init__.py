"""Forward and rear nodes (issue 15): the outbox to the node's stream, ingest from other nodes."""

from goldenhour.services.nodes.replication import (
    IngestReport,
    ingest_from_node,
    ingest_from_rear,
    publish_outbox,
)
from goldenhour.services.nodes.setup import init_node
from goldenhour.services.nodes.status import NodeStatus, PeerStatus, node_status

__all__ = [
    "IngestReport",
    "NodeStatus",
    "PeerStatus",
    "ingest_from_node",
    "ingest_from_rear",
    "init_node",
    "node_status",
    "publish_outbox",
]
