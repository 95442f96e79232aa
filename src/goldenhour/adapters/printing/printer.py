"""The PDF card and its QR code as ``services.printing.CardPrinter``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from goldenhour.adapters.printing.card_code import CardCode, RadioNet, card_code, read_card_code
from goldenhour.adapters.printing.card_pdf import render_card_pdf
from goldenhour.adapters.printing.scan import scan_qr_codes
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.medevac.nine_line import Marking, Security

__all__ = ["PdfCardPrinter"]


class PdfCardPrinter:
    """DD 1380 + Form 100 PDFs with a QR code of the 9-line and MIST (docs/printed-card.md)."""

    def code(
        self, card: Card, *, now: datetime, frequency: str, call_sign: str,
        security: Security | None, marking: Marking | None,
    ) -> bytes:  # fmt: skip
        """Return the bytes the card's QR code carries; see ``card_code``."""
        net = RadioNet(frequency=frequency, call_sign=call_sign, security=security, marking=marking)
        return card_code(card, now=now, net=net)

    def render(self, card: Card, *, now: datetime, compact: bytes) -> bytes:
        """Return the card as a PDF whose QR code carries ``compact``; see ``render_card_pdf``."""
        return render_card_pdf(card, now=now, compact=compact)

    def scan(self, image: Path) -> list[CardCode]:
        """Return what every card QR code in a picture held; see ``scan_qr_codes``."""
        return [read_card_code(data) for data in scan_qr_codes(image)]
