"""One casualty's MIST and card essentials as compact bit fields (layout in compact.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from goldenhour.adapters.radio.bits import BitReader, BitWriter
from goldenhour.adapters.radio.errors import CompactError
from goldenhour.adapters.radio.model import (
    EPOCH,
    TIME_BITS,
    CasualtyHandover,
    LastVitals,
    TourniquetTime,
    minutes_since_epoch,
)
from goldenhour.domain.casualty.vocabulary import Avpu, Limb
from goldenhour.domain.errors import MistError
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.triage.categories import NatoCategory

__all__ = ["read_casualty", "write_casualty"]

_LISTS = ("mechanism", "injuries", "signs", "treatment")
_TRIAGE = tuple(NatoCategory)
_LIMBS = tuple(Limb)
_AVPU = tuple(Avpu)
# Widths cover the domain's bounds: pulse and systolic to 300 (9 bits), diastolic to 250 (8),
# respiratory rate to 80 and SpO2 to 100 (7); limits.py says where each bound comes from.
_VITALS = (
    ("pulse", 9),
    ("respiratory_rate", 7),
    ("spo2", 7),
    ("systolic", 9),
    ("diastolic", 8),
)
_AGE_BITS = 8

Builder = Callable[[Iterator[str]], CasualtyHandover]


def write_casualty(writer: BitWriter, handover: CasualtyHandover, strings: list[str]) -> None:
    """Write one casualty's bit fields, and append its strings (zap, then M, I, S, T items)."""
    mist = handover.mist
    writer.flag(mist.age is not None)
    if mist.age is not None:
        writer.write(mist.age, _AGE_BITS, field="mist.age")
    _write_time(writer, mist.time_of_injury, field="mist.time_of_injury")
    strings.append(mist.zap)
    for name in _LISTS:
        items: tuple[str, ...] = getattr(mist, name)
        writer.gamma(len(items), field=f"mist.{name}")
        strings.extend(items)
    writer.flag(handover.triage is not None)
    if handover.triage is not None:
        writer.write(_TRIAGE.index(handover.triage), 3, field="triage")
    writer.gamma(len(handover.tourniquets), field="tourniquets")
    for tourniquet in handover.tourniquets:
        limb = 0 if tourniquet.limb is None else _LIMBS.index(tourniquet.limb) + 1
        writer.write(limb, 3, field="tourniquet.limb")
        _write_time(writer, tourniquet.applied_at, field="tourniquet.applied_at", optional=False)
    vitals = handover.vitals
    writer.flag(vitals is not None)
    if vitals is not None:
        _write_time(writer, vitals.taken_at, field="vitals.taken_at", optional=False)
        for name, _ in _VITALS:
            writer.flag(getattr(vitals, name) is not None)
        writer.flag(vitals.avpu is not None)
        for name, width in _VITALS:
            value = getattr(vitals, name)
            if value is not None:
                writer.write(value, width, field=f"vitals.{name}")
        if vitals.avpu is not None:
            writer.write(_AVPU.index(vitals.avpu), 2, field="vitals.avpu")


def _write_time(
    writer: BitWriter, moment: datetime | None, *, field: str, optional: bool = True
) -> None:
    if optional:
        writer.flag(moment is not None)
    if moment is not None:
        writer.write(minutes_since_epoch(moment, field=field), TIME_BITS, field=field)


def read_casualty(reader: BitReader, number: int) -> Builder:
    """Read one casualty's bit fields; return a builder that takes its strings in order."""
    where = f"casualty {number}"
    age = reader.read(_AGE_BITS, field=f"{where}.age") if reader.flag(field=where) else None
    injured = _read_time(reader, f"{where}.time") if reader.flag(field=where) else None
    counts = [reader.gamma(field=f"{where}.{name}") for name in _LISTS]
    triage = None
    if reader.flag(field=where):
        index = reader.read(3, field=f"{where}.triage")
        if index >= len(_TRIAGE):
            raise CompactError(f"{where}.triage", f"code {index} is not a NATO category")
        triage = _TRIAGE[index]
    tourniquets = tuple(
        _read_tourniquet(reader, where) for _ in range(reader.gamma(field=f"{where}.tq"))
    )
    vitals = _read_vitals(reader, where) if reader.flag(field=where) else None

    def build(strings: Iterator[str]) -> CasualtyHandover:
        zap = _take(strings, f"{where}.zap")
        lists = {
            name: tuple(_take(strings, f"{where}.{name}") for _ in range(count))
            for name, count in zip(_LISTS, counts, strict=True)
        }
        try:
            mist = Mist(zap=zap, age=age, time_of_injury=injured, **lists)
        except MistError as error:
            raise CompactError(f"{where}.{error.field}", error.reason) from error
        return CasualtyHandover(mist=mist, triage=triage, tourniquets=tourniquets, vitals=vitals)

    return build


def _take(strings: Iterator[str], field: str) -> str:
    text = next(strings, None)
    if text is None:
        raise CompactError(field, "its text is missing (truncated)")
    return text


def _read_time(reader: BitReader, field: str) -> datetime:
    return EPOCH + timedelta(minutes=reader.read(TIME_BITS, field=field))


def _read_tourniquet(reader: BitReader, where: str) -> TourniquetTime:
    limb = reader.read(3, field=f"{where}.tourniquet")
    if limb > len(_LIMBS):
        raise CompactError(f"{where}.tourniquet", f"limb code {limb} is not 0 to 4")
    applied = _read_time(reader, f"{where}.tourniquet")
    return TourniquetTime(limb=None if limb == 0 else _LIMBS[limb - 1], applied_at=applied)


def _read_vitals(reader: BitReader, where: str) -> LastVitals:
    taken = _read_time(reader, f"{where}.vitals")
    present = [reader.flag(field=f"{where}.vitals") for _ in range(len(_VITALS) + 1)]
    values: dict[str, int] = {}
    for (name, width), given in zip(_VITALS, present, strict=False):
        if given:
            values[name] = reader.read(width, field=f"{where}.vitals.{name}")
    avpu = _AVPU[reader.read(2, field=f"{where}.vitals.avpu")] if present[-1] else None
    return LastVitals(taken_at=taken, avpu=avpu, **values)
