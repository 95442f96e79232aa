"""``goldenhour mgrs``: convert between latitude/longitude and MGRS."""

from __future__ import annotations

from typing import Annotated

import typer

from goldenhour.cli.output import print_json, print_text
from goldenhour.domain.errors import MgrsError
from goldenhour.domain.geo.mgrs import MgrsPrecision, parse_mgrs, to_mgrs


def mgrs_command(
    position: Annotated[
        list[str],
        typer.Argument(
            help="Either LAT LON in decimal degrees, or an MGRS reference (spaces allowed).",
            metavar="LAT LON | REF",
        ),
    ],
    precision: Annotated[
        MgrsPrecision,
        typer.Option("--precision", "-p", help="Square size of the MGRS reference printed."),
    ] = MgrsPrecision.M1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Convert LAT LON to an MGRS reference, or an MGRS reference to LAT LON of its centre.

    Digits are truncated, as GeoConvert does; a reference reads back as its square's centre.
    """
    if len(position) == 2 and all(_looks_numeric(part) for part in position):
        lat, lon = float(position[0]), float(position[1])
        reference = to_mgrs(lat, lon, precision)
        if as_json:
            print_json({"lat": lat, "lon": lon, "mgrs": reference, "precision": precision.value})
        else:
            print_text(reference)
        return
    if any(_looks_numeric(part) and "." in part for part in position):
        raise MgrsError("position", f"{' '.join(position)!r}: give LAT LON or one MGRS reference")
    parsed = parse_mgrs(" ".join(position))
    if as_json:
        print_json(
            {
                "mgrs": parsed.text,
                "precision": parsed.precision.value,
                "lat": round(parsed.lat, 9),
                "lon": round(parsed.lon, 9),
            }
        )
    else:
        print_text(f"{parsed.lat:.9f} {parsed.lon:.9f}")


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
