"""Printed casualty cards: a PDF with DD 1380 and Form 100 fields and a QR code, and its scanner.

``render_card_pdf`` draws the card; ``card_code`` makes what its QR code carries (the compact
radio message of a 9-line and MIST, or MIST text when the card has no pickup point), and
``read_card_code`` reads it back; ``scan_qr_codes`` finds the QR codes in a picture of a card.
"""

from __future__ import annotations

from goldenhour.adapters.printing.card_code import (
    CardCode,
    RadioNet,
    card_code,
    card_handover,
    card_pickup,
    read_card_code,
)
from goldenhour.adapters.printing.card_pdf import PAGE_SIZE, render_card_pdf
from goldenhour.adapters.printing.errors import PrintingError
from goldenhour.adapters.printing.scan import scan_qr_codes

__all__ = [
    "PAGE_SIZE",
    "CardCode",
    "PrintingError",
    "RadioNet",
    "card_code",
    "card_handover",
    "card_pickup",
    "read_card_code",
    "render_card_pdf",
    "scan_qr_codes",
]
