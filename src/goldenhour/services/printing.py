"""Printed cards: a casualty's card as a PDF with a QR code, and the QR code read back.

The PDF, the QR code and its payload are an adapter's (``adapters.printing``); ``goldenhour card
pdf`` and ``card scan`` reach them through the ``CardPrinter`` the wiring builds
(``cli.wiring.card_printer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line import Marking, Security

__all__ = ["CardPrinter", "PrintedCard", "ScannedCode", "print_card", "scan_card"]

#: The first byte of a QR payload that carries the compact 9-line + MIST message.
_COMPACT_VERSION_1 = b"\x01"


class ScannedCode(Protocol):
    """What a printed card's QR code held."""

    @property
    def message(self) -> Any:
        """The compact message with its 9-line, or ``None`` when the card had no pickup point."""
        ...

    @property
    def mists(self) -> tuple[Mist, ...]:
        """The MISTs, when the code held no 9-line."""
        ...


class CardPrinter(Protocol):
    """Prints cards and reads their QR codes back."""

    def code(
        self, card: Card, *, now: datetime, frequency: str, call_sign: str,
        security: Security | None, marking: Marking | None,
    ) -> bytes:  # fmt: skip
        """Return the bytes the card's QR code carries, its 9-line naming this radio net."""
        ...

    def render(self, card: Card, *, now: datetime, compact: bytes) -> bytes:
        """Return the card as a PDF whose QR code carries ``compact``."""
        ...

    def scan(self, image: Path) -> Sequence[ScannedCode]:
        """Return what every card QR code in a picture held."""
        ...


@dataclass(frozen=True, slots=True)
class PrintedCard:
    """A printed card: the PDF's bytes and what its QR code carries."""

    document: bytes
    payload: bytes

    @property
    def carries_nine_line(self) -> bool:
        """Say whether the QR code holds the 9-line + MIST, not the MIST text alone."""
        return self.payload[:1] == _COMPACT_VERSION_1


def print_card(
    printer: CardPrinter, card: Card, *, now: datetime, frequency: str, call_sign: str,
    security: Security | None, marking: Marking | None,
) -> PrintedCard:  # fmt: skip
    """Print the card as of ``now``, its QR code carrying the 9-line on this radio net."""
    payload = printer.code(
        card, now=now, frequency=frequency, call_sign=call_sign, security=security,
        marking=marking,
    )  # fmt: skip
    return PrintedCard(document=printer.render(card, now=now, compact=payload), payload=payload)


def scan_card(printer: CardPrinter, image: Path) -> Sequence[ScannedCode]:
    """Return what every card QR code in the picture held."""
    return printer.scan(image)
