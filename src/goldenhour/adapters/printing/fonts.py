"""The typeface of a printed card: DejaVu Sans, which has Cyrillic, registered with ReportLab.

ReportLab's built-in Helvetica has no Cyrillic, so Form 100's labels need a TrueType font. DejaVu
Sans comes from Debian's ``fonts-dejavu-core`` (``scripts/bootstrap`` installs it); it is
embedded (subset) in every PDF, so the reader needs no font of their own.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from goldenhour.adapters.printing.errors import PrintingError

__all__ = ["BOLD", "CONDENSED", "REGULAR", "REPLACEMENT", "printable", "register_fonts"]

REGULAR = "GoldenHourSans"
BOLD = "GoldenHourSans-Bold"
CONDENSED = "GoldenHourSans-Condensed"

#: Where Debian (fonts-dejavu-core) and Fedora/Alpine put DejaVu Sans.
FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
#: What a character the font has no glyph for prints as: U+FFFD REPLACEMENT CHARACTER, which
#: DejaVu Sans draws as a white question mark in a black diamond. Without it ReportLab draws the
#: font's empty .notdef glyph, and the reader never learns a character is missing.
REPLACEMENT = "\ufffd"
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    CONDENSED: "DejaVuSansCondensed.ttf",
}


def register_fonts(directories: tuple[Path, ...] = FONT_DIRECTORIES) -> None:
    """Register the card's fonts once; raise ``PrintingError`` when DejaVu Sans is missing."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name in registered:
            continue
        path = next((d / filename for d in directories if (d / filename).is_file()), None)
        if path is None and name == CONDENSED:
            path = next(
                (d / _FILES[REGULAR] for d in directories if (d / _FILES[REGULAR]).is_file()), None
            )
        if path is None:
            raise PrintingError(
                "font",
                f"{filename} not found in {', '.join(str(d) for d in directories)};"
                " install Debian's fonts-dejavu-core",
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


def printable(text: str, font: str) -> str:
    """Return ``text`` with each character ``font`` has no glyph for replaced by ``REPLACEMENT``.

    Only what is drawn changes: the QR code is made from the card's own text and keeps it.

    >>> printable("wound \U0001d11e", REGULAR)  # doctest: +SKIP
    'wound \ufffd'
    """
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    if all(ord(character) in glyphs for character in text):
        return text
    return "".join(c if ord(c) in glyphs else REPLACEMENT for c in text)
