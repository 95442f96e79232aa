"""Golden vectors of the phone-to-phone handoff codec, written by the Python codec.

Each good vector is a casualty's history in the wire form the web app writes and the QR
payloads (hex) ``encode_handoff`` makes of it; each bad one is a set of payloads and the field
the refusal names. pytest (tests/unit/adapters/radio/test_handoff.py) checks that the file is
what the codec writes now, and vitest (web/tests/handoff.test.ts) decodes the same payloads
with the browser's codec and must find the same events, and refuse the bad ones by the same
field. Regenerate after a deliberate change of the format::

    uv run --frozen python tests/handoff_cases.py
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from goldenhour.adapters.radio.compact import FORMAT_VERSION
from goldenhour.adapters.radio.handoff import encode_handoff
from goldenhour.domain.casualty.events import EVENT_TYPES as CASUALTY_KINDS

GOLDEN = Path(__file__).resolve().parent / "goldens" / "handoff" / "vectors.json"

Json = dict[str, Any]


def _id(key: str) -> str:
    return str(uuid5(NAMESPACE_URL, f"goldenhour-handoff/{key}"))


def _event(kind: str, key: str, minute: int, casualty: str, **fields: Any) -> Json:
    at = f"2022-06-14T12:{minute:02d}:00+00:00"
    return {
        "kind": kind, "event_id": _id(key), "occurred_at": at, "recorded_at": at,
        "author": "medic", "device": "medic-phone-07", "casualty_id": casualty, **fields,
    }  # fmt: skip


def histories() -> dict[str, list[Json]]:
    """Return the histories of the good vectors, by name."""
    one = _id("casualty/one")
    two = _id("casualty/two")
    return {
        "registered only": [_event("casualty_registered", "one/reg", 30, one)],
        "tourniquet, name and vitals (Ukrainian text)": [
            _event("casualty_registered", "two/reg", 30, two,
                   position={"lat": 48.9172, "lon": 38.2297}),
            _event("tourniquet_applied", "two/tq", 31, two, limb="left_leg",
                   category="extremity", location="above the knee", tourniquet_type="CAT"),
            _event("identity_recorded", "two/id", 33, two,
                   identity={"name_last": "Шевченко", "name_first": "Тарас",
                             "blood_group": "A+"}),
            _event("vitals_recorded", "two/vitals", 35, two, pulse=118, respiratory_rate=24,
                   spo2=93, systolic=92, diastolic=None, avpu="V"),
            _event("medication_given", "two/txa", 36, two, name="TXA", drug_class="hemostatic",
                   dose=2, dose_unit="g", route="IV"),
            _event("note_added", "two/note", 38, two, text="Кровотеча зупинена; bleeding stopped"),
        ],
    }  # fmt: skip


def _hex(parts: list[bytes]) -> list[str]:
    return [part.hex() for part in parts]


def good_vectors() -> list[Json]:
    """Return the good vectors: each history in default-size codes and in small ones."""
    vectors = []
    for name, events in histories().items():
        vectors.append({"name": name, "events": events, "parts": _hex(encode_handoff(events))})
        small = encode_handoff(events, part_bytes=64)
        vectors.append({"name": f"{name}, 64-byte parts", "events": events, "parts": _hex(small)})
    return vectors


def _with_crc(deflated: bytes, index: int = 1, count: int = 1) -> bytes:
    return bytes([2, index, count]) + zlib.crc32(deflated).to_bytes(4, "big") + deflated


def _deflated(text: str) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(text.encode()) + packer.flush()


def bad_vectors() -> list[Json]:
    """Return payloads that must be refused, each with the field the refusal names."""
    events = histories()["tourniquet, name and vitals (Ukrainian text)"]
    parts = encode_handoff(events, part_bytes=64)
    other = encode_handoff(histories()["registered only"], part_bytes=8)
    damaged = bytearray(parts[1])
    damaged[-1] ^= 0x01
    two_casualties = events[:1] + histories()["registered only"]
    unit = {
        "kind": "point_registered", "event_id": _id("point"), "point_id": _id("point/1"),
        "occurred_at": "2022-06-14T12:30:00+00:00", "recorded_at": "2022-06-14T12:30:00+00:00",
        "author": "medic", "device": "medic-phone-07",
    }  # fmt: skip
    without_casualty = {k: v for k, v in events[1].items() if k != "casualty_id"}
    return [
        {"name": "a URL", "parts": [b"https://example.org/".hex()], "field": "version"},
        {"name": "the printed card's compact message", "field": "version",
         "parts": [bytes([FORMAT_VERSION, 0, 0, 0, 0, 0, 0, 0]).hex()]},
        {"name": "MIST text", "parts": [b"MIST Z: 1 A".hex()], "field": "version"},
        {"name": "too short", "parts": ["0201"], "field": "version"},
        {"name": "part 3 of 2", "parts": ["0203020000000000"], "field": "part"},
        {"name": "a part missing", "parts": _hex(parts[:1] + parts[2:]), "field": "parts"},
        {"name": "a damaged part", "parts": _hex([parts[0], bytes(damaged), *parts[2:]]),
         "field": "checksum"},
        {"name": "parts of two handoffs", "parts": _hex([parts[0], *other[1:]]), "field": "part"},
        {"name": "not deflate", "parts": [_with_crc(b"\xff\xff\xff\xff").hex()],
         "field": "checksum"},
        {"name": "not a list of events", "parts": [_with_crc(_deflated('{"a":1}')).hex()],
         "field": "events"},
        {"name": "no events", "parts": [_with_crc(_deflated("[]")).hex()], "field": "events"},
        {"name": "two casualties", "field": "events",
         "parts": [_with_crc(_deflated(json.dumps(two_casualties))).hex()]},
        {"name": "not a casualty's entry", "field": "events[0].kind",
         "parts": [_with_crc(_deflated(json.dumps([unit]))).hex()]},
        {"name": "an entry without its casualty", "field": "events[0].casualty_id",
         "parts": [_with_crc(_deflated(json.dumps([without_casualty]))).hex()]},
    ]  # fmt: skip


def golden() -> Json:
    """Return the golden file's content."""
    return {"casualty_kinds": sorted(CASUALTY_KINDS), "good": good_vectors(), "bad": bad_vectors()}


def dump(content: Json) -> str:
    """Return the golden file's text: one vector a line."""

    def lines(vectors: list[Json]) -> str:
        return ",\n".join(json.dumps(v, ensure_ascii=False, sort_keys=True) for v in vectors)

    kinds = json.dumps(content["casualty_kinds"])
    good, bad = lines(content["good"]), lines(content["bad"])
    return f'{{"casualty_kinds": {kinds},\n"good": [\n{good}\n],\n"bad": [\n{bad}\n]}}\n'


if __name__ == "__main__":
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(dump(golden()), encoding="utf-8")
    sys.stdout.write(f"wrote {GOLDEN}\n")
