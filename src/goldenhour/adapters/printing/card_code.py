"""What a printed card's QR code carries: the compact radio message, or the MIST text.

A card with a pickup point (its latest evacuation request's, else where it was registered) gets
the compact binary message of ``goldenhour.adapters.radio``: a 9-line built from this one card
and the handover essentials (MIST, NATO triage, tourniquets still on, last vitals). That is the
message a medic would send by mesh radio, so the next echelon reads it with the same decoder.

A card without a pickup point, or whose casualty a 9-line does not carry (the dead), gets no
9-line: a request without a grid is no request, and an invented grid could send a vehicle to
the wrong place. Its QR then carries the MIST handover as UTF-8 text (``MIST Z: ...``), which
still holds the tourniquet times, vitals and triage in words. The reader tells the two apart by
the first byte: the compact format's version (1), or the ``M`` of ``MIST``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from goldenhour.adapters.printing.errors import PrintingError
from goldenhour.adapters.radio import (
    FORMAT_VERSION,
    CasualtyHandover,
    CompactMessage,
    LastVitals,
    TourniquetTime,
    decode_compact,
    encode_compact,
)
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.errors import NineLineError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.from_card import mist_from_card, nine_line_from_cards
from goldenhour.domain.medevac.mist import Mist, encode_mist, parse_mists
from goldenhour.domain.medevac.nine_line import Marking, Security
from goldenhour.domain.tourniquet.clock import tourniquet_clocks
from goldenhour.domain.triage.categories import NatoCategory, TriageSystem
from goldenhour.domain.triage.suggest import current_triage

__all__ = ["CardCode", "RadioNet", "card_code", "card_handover", "card_pickup", "read_card_code"]

_MIST_PREFIX = b"MIST"


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioNet:
    """The net a 9-line names on line 2, and lines 6 and 7 when the sender knows them."""

    frequency: str
    call_sign: str
    security: Security | None = None
    marking: Marking | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CardCode:
    """What a card's QR code held: a compact message (with its 9-line), or MISTs alone."""

    message: CompactMessage | None
    mists: tuple[Mist, ...]


def card_pickup(card: Card) -> Position | None:
    """Return where the casualty is picked up: the latest request's pickup, else his position."""
    for request in reversed(card.evacuation_requests):
        if request.pickup is not None:
            return request.pickup
    return card.position


def card_handover(card: Card, *, now: datetime) -> CasualtyHandover:
    """Return the card's MIST and essentials; only tourniquets still on at ``now`` are listed.

    A tourniquet already off is in the MIST's T line with its off time; listing it with the
    essentials would tell the receiving medic it is still on.
    """
    tourniquets = tuple(
        TourniquetTime(limb=clock.limb, applied_at=clock.applied_at)
        for clock in tourniquet_clocks(card, now=now)
        if clock.running
    )
    latest = card.latest_vitals
    vitals = None
    if latest is not None:
        measured = {
            "pulse": latest.pulse,
            "respiratory_rate": latest.respiratory_rate,
            "spo2": latest.spo2,
            "systolic": latest.systolic,
            "diastolic": latest.diastolic,
        }
        if latest.avpu is not None or any(value is not None for value in measured.values()):
            vitals = LastVitals(taken_at=latest.occurred_at, avpu=latest.avpu, **measured)
    triage = current_triage(card, TriageSystem.NATO).category
    return CasualtyHandover(
        mist=mist_from_card(card, now=now),
        triage=triage if isinstance(triage, NatoCategory) else None,
        tourniquets=tourniquets,
        vitals=vitals,
    )


def card_code(card: Card, *, now: datetime, net: RadioNet) -> bytes:
    """Return the bytes the card's QR code carries (see the module docstring).

    Raises ``CompactError`` for a value the compact format cannot hold (a time before 2000).

    >>> card_code(card, now=now, net=RadioNet(frequency="38.900 MHZ", call_sign="KALYNA 21"))
    ... # doctest: +SKIP
    b'\\x01...'
    """
    handover = card_handover(card, now=now)
    pickup = card_pickup(card)
    if pickup is not None:
        try:
            request = nine_line_from_cards(
                [card], pickup=pickup, frequency=net.frequency, call_sign=net.call_sign,
                security=net.security, marking=net.marking,
            )  # fmt: skip
        except NineLineError:
            request = None  # nobody to evacuate (the dead): the MIST alone
        if request is not None:
            return encode_compact(CompactMessage(request=request, casualties=(handover,)))
    return encode_mist(handover.mist).encode("utf-8")


def read_card_code(data: bytes) -> CardCode:
    """Read what a card's QR code carried: a compact message, or MIST text.

    Raises ``PrintingError`` for a payload that is neither, ``CompactError`` for a compact
    message that is corrupted and ``MistError`` for MIST text that is malformed.
    """
    if data[:1] == bytes([FORMAT_VERSION]):
        message = decode_compact(data)
        return CardCode(message=message, mists=tuple(h.mist for h in message.casualties))
    if data.lstrip()[: len(_MIST_PREFIX)] == _MIST_PREFIX:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise PrintingError("payload", "MIST text that is not UTF-8") from None
        return CardCode(message=None, mists=parse_mists(text))
    raise PrintingError(
        "payload", "is neither a Golden Hour compact message (version 1) nor MIST text"
    )
