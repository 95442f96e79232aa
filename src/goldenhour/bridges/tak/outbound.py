"""Golden Hour's picture as CoT: requests and casualties as markers, threats as shapes, vehicles.

Every event the bridge draws has a uid starting ``goldenhour.`` (the bridge ignores such uids
when TAK sends them back) except requests that came from an ATAK marker, which keep the
marker's own uid so that ATAK moves or removes its marker rather than drawing a second one.
Each function returns ``None`` when the thing should not (or no longer) be on the map.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from goldenhour.adapters.cot import (
    CotEvent,
    CotLink,
    CotPoint,
    MedevacMarker,
    PositionReport,
    ZMist,
    threat_from_geojson,
)
from goldenhour.domain.casualty.card import Card, CardStatus
from goldenhour.domain.errors import MistError, NineLineError
from goldenhour.domain.medevac.from_card import casualty_precedence, mist_from_card
from goldenhour.domain.medevac.nine_line_text import parse_nine_line
from goldenhour.domain.triage.categories import Precedence

__all__ = [
    "UID_PREFIX",
    "casualty_marker",
    "delete_event",
    "request_marker",
    "retired",
    "stream_uid",
    "threat_shape",
    "vehicle_position",
]

#: Every uid the bridge makes starts with this.
UID_PREFIX = "goldenhour."
#: How long TAK shows a request or casualty without news (the bridge refreshes it sooner).
MARKER_STALE = timedelta(hours=24)
#: A vehicle's position is old news after this (ATAK greys it out).
VEHICLE_STALE = timedelta(minutes=15)
# CoT types are MIL-STD-2525B function ids: G-E-V ground vehicle, G-E-V-A armoured vehicle,
# A-M-H military rotary wing (CoT 2.0 type tree, as ATAK's 2525B icons read them).
_VEHICLE_TYPES = {
    "ground_ambulance": "a-f-G-E-V",
    "armoured_evacuation": "a-f-G-E-V-A",
    "helicopter": "a-f-A-M-H",
    "boat": "a-f-S",
}
# Names whose words ``goldenhour.adapters.cot.shapes.threat_kind`` reads back as the same kind.
_THREAT_NAMES = {
    "shelling": "SHELLING",
    "cluster_munitions": "CLUSTER MUNITIONS (shelling)",
    "mines": "MINES",
    "direct_fire": "DIRECT FIRE (enemy)",
    "drones": "DRONES",
    "other": "THREAT",
}
_CLOSED = (CardStatus.HANDED_OVER, CardStatus.CLOSED)


def stream_uid(stream: str, stream_id: UUID) -> str:
    """Return the CoT uid the bridge gives a Golden Hour stream."""
    return f"{UID_PREFIX}{stream}.{stream_id}"


def _point(position: dict[str, Any]) -> CotPoint:
    return CotPoint(lat=float(position["lat"]), lon=float(position["lon"]))


def request_marker(
    state: dict[str, Any], *, uid: str, mists: tuple[ZMist, ...], now: datetime
) -> CotEvent | None:
    """Draw an open request as a ``b-r-f-h-c`` MEDEVAC marker with its 9-line and ZMISTs."""
    if not state.get("pickup") or state.get("status") in ("cancelled", "handed_over"):
        return None
    nine = None
    if state.get("nine_line"):
        try:
            nine = parse_nine_line(state["nine_line"], check_totals=False)
        except NineLineError:
            nine = None  # the text stays in the remarks
    precedence = Precedence(state["precedence"])
    call_sign = nine.call_sign if nine is not None else f"MEDEVAC {precedence.name}"
    remarks = (
        f"Golden Hour request {state['request_id']}: {state.get('status', 'requested')}, "
        f"precedence {precedence.code}, {len(state.get('casualty_ids', []))} casualties"
    )
    if nine is None and state.get("nine_line"):
        remarks += "\n" + state["nine_line"]
    return CotEvent(
        uid=uid,
        type="b-r-f-h-c",  # ATAK's casualty / MEDEVAC marker (reference README)
        how="h-g-i-g-o",
        time=now,
        start=now,
        stale=now + MARKER_STALE,
        point=_point(state["pickup"]),
        callsign=call_sign,
        remarks=remarks,
        meaning=MedevacMarker(nine_line=nine, title=f"MEDEVAC {call_sign}", mists=mists),
    )


def from_atak_marker(
    original: CotEvent, state: dict[str, Any], *, now: datetime
) -> CotEvent | None:
    """Redraw an ATAK user's marker with Golden Hour's changes (pickup moved, cancelled)."""
    if not state.get("pickup") or state.get("status") in ("cancelled", "handed_over"):
        return None
    return replace(
        original, point=_point(state["pickup"]), time=now, start=now, stale=now + MARKER_STALE
    )


def request_zmist(card: Card, *, number: int, now: datetime) -> ZMist | None:
    """Return a casualty's MIST as the ZMIST card ATAK shows on a request, if it can be made."""
    try:
        return ZMist(title=f"ZMIST{number}", mist=mist_from_card(card, now=now))
    except MistError:
        return None  # the card holds text a MIST line cannot; the card itself is unchanged


def casualty_marker(card: Card, *, uid: str, now: datetime) -> CotEvent | None:
    """Draw a casualty still in the field as a casualty marker with one ZMIST card."""
    if card.position is None or card.status in _CLOSED:
        return None
    card_mist = request_zmist(card, number=1, now=now)
    precedence = casualty_precedence(card)
    zap = card_mist.mist.zap if card_mist else str(card.casualty_id)[:8]
    remarks = f"Golden Hour casualty {card.casualty_id}: {card.status.value.replace('_', ' ')}"
    if precedence is not None:
        remarks += f", precedence {precedence.code}"
    return CotEvent(
        uid=uid,
        type="b-r-f-h-c",  # a MEDEVAC marker without a 9-line is ATAK's casualty marker
        how="h-g-i-g-o",
        time=now,
        start=now,
        stale=now + MARKER_STALE,
        point=CotPoint(lat=card.position.lat, lon=card.position.lon),
        callsign=f"CAS {zap}",
        remarks=remarks,
        meaning=MedevacMarker(
            nine_line=None, title=f"CAS {zap}", mists=(card_mist,) if card_mist else ()
        ),
    )


def threat_shape(state: dict[str, Any], *, uid: str, now: datetime) -> CotEvent | None:
    """Draw a threat area in force as an ATAK circle or polygon (``u-d-c-c`` / ``u-d-f``)."""
    ends = datetime.fromisoformat(state["ends_at"]) if state.get("ends_at") else None
    if state.get("withdrawn_at") or (ends is not None and ends <= now):
        return None
    properties: dict[str, Any] = {
        "name": _THREAT_NAMES.get(state.get("threat_kind", "other"), "THREAT"),
        "remarks": "\n".join(
            part
            for part in (
                state.get("notes"),
                f"from {state['starts_at']}" + (f" until {state['ends_at']}" if ends else ""),
                f"Golden Hour threat area {state['area_id']}",
            )
            if part
        ),
    }
    geometry: dict[str, Any]
    if state.get("polygon"):
        ring = [[float(c["lon"]), float(c["lat"])] for c in state["polygon"]]
        geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    else:
        centre = state["centre"]
        geometry = {"type": "Point", "coordinates": [float(centre["lon"]), float(centre["lat"])]}
        properties["radius_m"] = float(state["radius_m"])
    feature = {"type": "Feature", "geometry": geometry, "properties": properties}
    return threat_from_geojson(feature, uid=uid, now=now, stale=ends or now + MARKER_STALE)


def vehicle_position(state: dict[str, Any], *, uid: str, now: datetime) -> CotEvent | None:
    """Draw a vehicle's last reported position as its PLI, until the report is stale."""
    if not state.get("position") or not state.get("position_at"):
        return None
    at = datetime.fromisoformat(state["position_at"])
    if at + VEHICLE_STALE <= now:
        return None
    speed = state.get("speed_kmh")
    kind = str(state.get("vehicle_kind", ""))
    return CotEvent(
        uid=uid,
        type=_VEHICLE_TYPES.get(kind, "a-f-G-E-V"),
        how="m-g",  # a machine GPS fix reported by the vehicle
        time=now,
        start=at,
        stale=at + VEHICLE_STALE,
        point=_point(state["position"]),
        callsign=state.get("call_sign") or f"vehicle {state['vehicle_id']}",
        remarks=", ".join(
            str(part)
            for part in (
                kind.replace("_", " ") or None,
                state.get("status"),
                f"litter {state['litter']}" if "litter" in state else None,
                f"seated {state['seated']}" if "seated" in state else None,
            )
            if part
        )
        or None,
        meaning=PositionReport(
            course=state.get("heading_deg"),
            # CoT <track speed> is metres per second (CoT 2.0 schema).
            speed=None if speed is None else float(speed) / 3.6,
        ),
    )


def delete_event(target_uid: str, *, point: CotPoint, now: datetime) -> CotEvent:
    """Return ATAK's delete message (``t-x-d-d`` linking the uid, with ``__forcedelete``)."""
    return CotEvent(
        uid=f"{target_uid}.delete",
        type="t-x-d-d",
        how="h-g-i-g-o",
        time=now,
        start=now,
        stale=now + timedelta(minutes=1),
        point=point,
        links=(CotLink(uid=target_uid, type="none", relation="none"),),
        other_detail=("<__forcedelete />",),
    )


def retired(event: CotEvent, *, now: datetime) -> CotEvent:
    """Return an event stale one second from now: servers stop replaying it (taky included)."""
    return replace(event, time=now, start=now, stale=now + timedelta(seconds=1))
