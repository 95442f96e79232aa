"""The card's QR code: segno encodes the bytes in byte mode, and it is drawn as vector squares.

Error correction Q (25 % of the symbol may be lost to blood, dirt or a fold) when that needs no
larger symbol than M (15 %), else M: a smaller symbol has larger modules, which a phone reads
more easily off a creased card. The quiet zone is 4 modules, as ISO/IEC 18004 asks, and each
module is at least ``MIN_MODULE_MM`` wide, so the symbol is never under ``MIN_SIDE_MM``.
"""

from __future__ import annotations

import segno
from reportlab.lib.colors import black, white  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]

from goldenhour.adapters.printing.errors import PrintingError
from goldenhour.adapters.printing.sheet import Sheet

__all__ = ["MIN_MODULE_MM", "MIN_SIDE_MM", "QUIET_ZONE", "draw_qr", "make_qr", "qr_side"]

QUIET_ZONE = 4
#: Smallest side of the printed symbol, quiet zone included: easily scanned at arm's length.
MIN_SIDE_MM = 38.0
#: Smallest module: 0.5 mm is about 6 printer dots at 300 dpi and 3 pixels at 150 dpi.
MIN_MODULE_MM = 0.5


def make_qr(data: bytes) -> segno.QRCode:
    """Return the QR code of ``data`` in byte mode, level Q if no larger than M, else M."""
    try:
        medium = segno.make_qr(data, error="m", mode="byte", boost_error=False)
    except segno.DataOverflowError:
        raise PrintingError("qr", f"{len(data)} bytes do not fit in a QR code") from None
    try:
        quartile = segno.make_qr(data, error="q", mode="byte", boost_error=False, version=None)
    except segno.DataOverflowError:  # fits at M, the largest symbol, but not at Q
        return medium
    return quartile if quartile.version == medium.version else medium


def qr_side(code: segno.QRCode) -> float:
    """Return the printed side of the symbol in points, quiet zone included."""
    modules = code.symbol_size(border=QUIET_ZONE)[0]
    return float(max(MIN_SIDE_MM * mm, modules * MIN_MODULE_MM * mm))


def draw_qr(sheet: Sheet, code: segno.QRCode, x: float, top: float, side: float) -> None:
    """Draw the symbol (quiet zone included) as a ``side`` square at (``x``, ``top``)."""
    rows = [list(row) for row in code.matrix_iter(border=QUIET_ZONE)]
    module = side / len(rows)
    c = sheet.canvas
    sheet.rect(x, top, side, side, fill=white, stroke=None)
    c.setFillColor(black)
    for row_index, row in enumerate(rows):
        y = sheet.height - top - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            run = column
            while run < len(row) and row[run]:
                run += 1
            # A hair wider and taller than the module, so no white seams show between squares.
            c.rect(x + column * module, y - 0.02, (run - column) * module + 0.02, module + 0.04,
                   stroke=0, fill=1)  # fmt: skip
            column = run
