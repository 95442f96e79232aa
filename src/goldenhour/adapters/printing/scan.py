"""Find the QR codes in a picture of a printed card and return their bytes exactly (ZBar).

ZBar turns a QR code's byte-mode data into text by guessing its character set (ISO 8859-1,
Shift JIS or UTF-8), which mangles a binary message; since ZBar 0.23 its ``binary`` setting
returns the bytes as they were encoded. pyzbar's ``decode`` cannot set it, so the scan is driven
here through pyzbar's ctypes bindings of libzbar (Debian's ``libzbar0``).
"""

from __future__ import annotations

from collections.abc import Callable
from ctypes import c_char_p, c_void_p, cast, string_at
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from goldenhour.adapters.printing.errors import PrintingError

__all__ = ["scan_qr_codes"]

_QRCODE = 64  # zbar_symbol_type_e ZBAR_QRCODE
_CFG_ENABLE = 0  # zbar_config_e ZBAR_CFG_ENABLE
_CFG_BINARY = 4  # zbar_config_e ZBAR_CFG_BINARY (zbar 0.23 and later)
_Y800 = 0x30303859  # fourcc "Y800": 8-bit grey, one byte a pixel
#: Pictures larger than this (pixels on the long side) are scaled down before scanning.
MAX_SIDE = 4000
_THRESHOLD = 128


def _scan(image: Image.Image) -> list[bytes]:
    try:
        from pyzbar import wrapper as zbar  # type: ignore[import-untyped]
    except ImportError as error:
        raise PrintingError(
            "qr", f"cannot load ZBar ({error}); install Debian's libzbar0"
        ) from None
    grey = image.convert("L")
    pixels = grey.tobytes()
    width, height = grey.size
    scanner = zbar.zbar_image_scanner_create()
    found: list[bytes] = []
    try:
        zbar.zbar_image_scanner_set_config(scanner, 0, _CFG_ENABLE, 0)
        zbar.zbar_image_scanner_set_config(scanner, _QRCODE, _CFG_ENABLE, 1)
        if zbar.zbar_image_scanner_set_config(scanner, _QRCODE, _CFG_BINARY, 1) != 0:
            raise PrintingError("qr", "this ZBar cannot return binary data; it needs 0.23 or later")
        picture = zbar.zbar_image_create()
        try:
            zbar.zbar_image_set_format(picture, _Y800)
            zbar.zbar_image_set_size(picture, width, height)
            buffer = c_char_p(pixels)  # kept alive until the scan is done
            zbar.zbar_image_set_data(picture, cast(buffer, c_void_p), len(pixels), None)
            if zbar.zbar_scan_image(scanner, picture) < 0:
                raise PrintingError("image", "ZBar could not scan it")
            symbol = zbar.zbar_image_first_symbol(picture)
            while symbol:
                data = zbar.zbar_symbol_get_data(symbol)
                found.append(string_at(data, zbar.zbar_symbol_get_data_length(symbol)))
                symbol = zbar.zbar_symbol_next(symbol)
        finally:
            zbar.zbar_image_destroy(picture)
    finally:
        zbar.zbar_image_scanner_destroy(scanner)
    return found


def scan_qr_codes(source: Path | Image.Image) -> list[bytes]:
    """Return the bytes of every QR code found in a picture (a path or a Pillow image).

    A picture with none is tried again in black and white, and at half and double size, as a
    phone photo may need. Raises ``PrintingError`` when the file is not a picture, ZBar is
    missing, or no QR code is found.

    >>> scan_qr_codes(Path("card.png"))  # doctest: +SKIP
    [b'\\x01...']
    """
    if isinstance(source, Path):
        try:
            with Image.open(source) as opened:
                image = opened.copy()
        except (OSError, UnidentifiedImageError) as error:
            raise PrintingError("image", f"cannot read {source}: {error}") from None
    else:
        image = source
    image = ImageOps.exif_transpose(image) or image
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    grey = image.convert("L")
    width, height = grey.size
    attempts: tuple[Callable[[], Image.Image], ...] = (
        lambda: grey,
        lambda: grey.point(lambda value: 255 if value > _THRESHOLD else 0),
        lambda: grey.resize((max(1, width // 2), max(1, height // 2))),
        lambda: grey.resize((width * 2, height * 2)),
    )
    for attempt in attempts:
        found = _scan(attempt())
        if found:
            return found
    raise PrintingError("qr", "no QR code found in the picture")
