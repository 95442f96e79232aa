"""Attribute values of CoT elements read as numbers, naming the element and attribute at fault."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from goldenhour.adapters.cot.errors import CotError

__all__ = ["read_number"]


def read_number(element: ET.Element, name: str, default: float | None = None) -> float:
    """Return attribute ``name`` of ``element`` as a float, ``default`` when it is absent.

    Raises ``CotError`` (``element@name``) when the value is not a number, or is absent and
    there is no default. ``NaN`` and infinities are numbers here: the caller decides.
    """
    value = element.get(name)
    if value is None and default is not None:
        return default
    try:
        return float(value or "")
    except ValueError:
        raise CotError(element.tag, f"{value!r} is not a number", attribute=name) from None
