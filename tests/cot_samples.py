"""CoT messages for the tests: the project's own, and real ATAK captures when they are beside it.

``tests/data/cot/`` holds five messages the project wrote in the shape ATAK-CIV writes them
(tests/data/README.md); every clone has them, so the codecs are always tested on real-shaped
messages. The real ATAK-CIV 4.0.0.7 captures are other projects' data, read from the team's
reference folder beside the repository when it is there (CI; see shared_reference.py) and never
copied in; ``cot_files()`` adds them to a test's parameters, or one skipped parameter that says
they are missing.

taky replays what it stored to every new client until it is stale, so each test sends its own
uids: ``fresh_reference`` replaces the event's uid and every ATAK device uid in the file
(``ANDROID-…``, also in links and chat routing) consistently; ``time``/``start`` become now and
``stale`` an hour later, so that taky keeps the event. Everything else is byte for byte as written.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from goldenhour.adapters.cot import CotEvent, CotPoint

from shared_reference import missing_reason, shared_reference

OWN_COT = Path(__file__).resolve().parent / "data" / "cot"
NINE_LINE_ZMIST = OWN_COT / "medevac-9line-zmist.xml"
MINIMAL_MARKER = OWN_COT / "medevac-marker-minimal.xml"
PLI = OWN_COT / "pli-sa.xml"
USER_ICON = OWN_COT / "marker-usericon.xml"
GEOCHAT = OWN_COT / "geochat-p2p.xml"
OWN_FILES = sorted(OWN_COT.glob("*.xml"))

#: The real ATAK-CIV captures, or None in a clone on its own.
CAPTURED_COT = shared_reference("cot")
CAPTURED_FILES = [] if CAPTURED_COT is None else sorted(CAPTURED_COT.glob("*.xml"))


def cot_files() -> list[Any]:
    """Return pytest parameters: the project's messages, then the ATAK captures if present."""
    own = [pytest.param(path, id=f"own/{path.name}") for path in OWN_FILES]
    if CAPTURED_COT is None:
        skipped = pytest.mark.skip(reason=missing_reason("cot"))
        return [*own, pytest.param(None, id="atak-captures", marks=skipped)]
    return [*own, *(pytest.param(path, id=f"atak/{path.name}") for path in CAPTURED_FILES)]


_EVENT_UID = re.compile(rb"(<event\b[^>]*?\buid=')([^']*)(')")
_DEVICE = re.compile(rb"ANDROID-[0-9a-f]+")
_EVENT_TAG = re.compile(rb"<event\b[^>]*>")
_TIME = re.compile(rb"\b(time|start|stale)='[^']*'")


def _moment(offset_s: float) -> bytes:
    moment = time.time() + offset_s
    millis = int(moment * 1000) % 1000
    return (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment)) + f".{millis:03d}Z").encode()


def fresh_reference(path: Path) -> tuple[bytes, dict[str, str]]:
    """Return a message with fresh uids and times, and the old-to-new uid map."""
    data = path.read_bytes()
    renamed: dict[str, str] = {}
    for device in sorted(set(_DEVICE.findall(data))):
        renamed[device.decode()] = f"ANDROID-{uuid.uuid4().hex[:16]}"
    for old, new in renamed.items():
        data = data.replace(old.encode(), new.encode())
    match = _EVENT_UID.search(data)
    assert match is not None, path.name
    if match[2].decode() not in renamed.values():  # a PLI's uid is its device's: renamed above
        renamed[match[2].decode()] = f"{match[2].decode()}.{uuid.uuid4().hex[:12]}"
        data = _EVENT_UID.sub(
            lambda m: m[1] + renamed[m[2].decode()].encode() + m[3], data, count=1
        )
    return _retimed(
        data, {b"time": _moment(0), b"start": _moment(0), b"stale": _moment(3600)}
    ), renamed


def _retimed(data: bytes, times: dict[bytes, bytes]) -> bytes:
    tag = _EVENT_TAG.search(data)
    assert tag is not None
    new_tag = _TIME.sub(
        lambda m: m[1] + b"='" + times.get(m[1], m[0][len(m[1]) + 2 : -1]) + b"'", tag[0]
    )
    return data.replace(tag[0], new_tag, 1)


def moved(data: bytes, *, north_m: float) -> bytes:
    """Return a marker moved ``north_m`` metres north, with a new time (as ATAK re-sends it)."""
    match = re.search(rb"<point lat='([-0-9.]+)'", data)
    assert match is not None
    lat = float(match[1]) + north_m / 111_320.0
    data = data.replace(match[0], b"<point lat='" + repr(lat).encode() + b"'")
    return _retimed(data, {b"time": _moment(0)})


def as_taky_writes(event: CotEvent) -> CotEvent:
    """Return the event with its point as taky 0.10 re-serialises it.

    taky writes ``<point>`` anew (taky/cot/models/point.py: lat/lon ``%.6f``, hae/ce/le
    ``%.1f``), so a relayed point moves by up to 0.06 m; every other field passes unchanged.
    """
    point = event.point
    return replace(
        event,
        point=CotPoint(
            lat=float(f"{point.lat:.6f}"),
            lon=float(f"{point.lon:.6f}"),
            hae=float(f"{point.hae:.1f}"),
            ce=float(f"{point.ce:.1f}"),
            le=float(f"{point.le:.1f}"),
        ),
    )
