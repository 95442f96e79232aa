"""A bridge between a TAK server (ATAK, WinTAK, iTAK clients) and a Golden Hour server.

ATAK MEDEVAC markers become evacuation requests with their casualties (``inbound``); Golden
Hour's requests, casualties, threat areas and vehicle positions are drawn on TAK (``outbound``,
``picture``). ``Bridge`` runs both directions, following the server's log from a cursor kept in
a state file and reconnecting to either side after it restarts (``bridge``, ``link``).
"""

from __future__ import annotations

from goldenhour.bridges.tak.bridge import Bridge, BridgeConfig
from goldenhour.bridges.tak.errors import (
    BridgeStateError,
    GoldenHourRefused,
    GoldenHourUnavailable,
    TakBridgeError,
)
from goldenhour.bridges.tak.inbound import casualty_id_for, marker_events, request_id_for
from goldenhour.bridges.tak.server import GoldenHourServer

__all__ = [
    "Bridge",
    "BridgeConfig",
    "BridgeStateError",
    "GoldenHourRefused",
    "GoldenHourServer",
    "GoldenHourUnavailable",
    "TakBridgeError",
    "casualty_id_for",
    "marker_events",
    "request_id_for",
]
