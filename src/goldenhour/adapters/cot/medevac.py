"""ATAK's ``<_medevac_>`` detail to and from a ``MedevacMarker`` with its 9-line and ZMISTs.

Attribute names and index meanings are ATAK-CIV's own (MedicalDetailHandler.java, as recorded
in shared/reference/cot/README.md): booleans are written only when true, except ``casevac``,
which is always written; ``security`` and ``hlz_marking`` are 0-based positions in ATAK's lists
(other senders write the entry's letter or name, which is read as that entry). Each line is read
on its own: one that cannot be read is left out and named in a warning, never the others.
ATAK's line 9 is terrain (peacetime); NBC codes, which ATAK has no field for, travel as
``terrain_other_detail='NBC: N C'`` so that an ATAK user still sees them (our convention).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any, TypeVar

from goldenhour.adapters.cot.model import CotPoint, HlzBrief, MedevacMarker, ZMist
from goldenhour.domain.errors import MistError, NineLineError
from goldenhour.domain.geo.mgrs import to_mgrs
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line import (
    Equipment,
    Marking,
    Nationality,
    Nbc,
    NineLineRequest,
    normalise_frequency,
)
from goldenhour.domain.medevac.nine_line import Security as Sec
from goldenhour.domain.triage.categories import Precedence

__all__ = ["read_medevac", "write_medevac"]

# Line 3. urgent_surgical and convenience come from newer TAK clients (reference README).
_PRECEDENCE = {
    "urgent": Precedence.URGENT,
    "urgent_surgical": Precedence.URGENT_SURGICAL,
    "priority": Precedence.PRIORITY,
    "routine": Precedence.ROUTINE,
    "convenience": Precedence.CONVENIENCE,
}
_EQUIPMENT = {
    "equipment_none": Equipment.NONE,
    "hoist": Equipment.HOIST,
    "extraction_equipment": Equipment.EXTRACTION,
    "ventilator": Equipment.VENTILATOR,
}
# Lines 6 and 7: ATAK stores the position in its pick list (capture: security='3' is X).
_SECURITY = (Sec.NO_ENEMY, Sec.POSSIBLE_ENEMY, Sec.ENEMY_IN_AREA, Sec.ARMED_ESCORT_REQUIRED)
_MARKING = (Marking.PANELS, Marking.PYROTECHNIC, Marking.SMOKE, Marking.NONE, Marking.OTHER)
_NATIONALITY = {
    "us_military": Nationality.OWN_MILITARY,
    "us_civilian": Nationality.OWN_CIVILIAN,
    "nonus_military": Nationality.OTHER_MILITARY,
    "nonus_civilian": Nationality.OTHER_CIVILIAN,
    "epw": Nationality.EPW,
}
# Line 8 as other senders spell it (Meshtastic's TAK SDK), to ATAK's spelling.
_SPELLINGS = {"non_us_military": "nonus_military", "non_us_civilian": "nonus_civilian"}
_TERRAIN = ("terrain_none", "terrain_slope", "terrain_rough", "terrain_loose", "terrain_other")
_TERRAIN_WORDS = {"terrain_none": "NONE", "terrain_rough": "ROUGH", "terrain_loose": "LOOSE"}
_NINE_LINE = frozenset(
    {"freq", "litter", "ambulatory", "security", "hlz_marking", "hlz_other"}
    | set(_PRECEDENCE) | set(_EQUIPMENT) | set(_NATIONALITY) | set(_TERRAIN)
    | {"terrain_slope_dir", "terrain_other_detail"}
)  # fmt: skip
_HLZ = tuple(item.name for item in fields(HlzBrief))
# The attributes each line is read from, set aside when the model refuses that line.
_LINE_ATTRIBUTES: dict[int, tuple[str, ...]] = {
    3: tuple(_PRECEDENCE),
    7: ("hlz_marking", "hlz_other"),
    8: tuple(_NATIONALITY),
    9: (*_TERRAIN, "terrain_slope_dir", "terrain_other_detail"),
}
_CLEARED: dict[int, dict[str, Any]] = {
    3: {"patients_by_precedence": dict.fromkeys(Precedence, 0)},
    7: {"marking": None, "marking_detail": None},
    8: {"patients_by_nationality": None},
    9: {"nbc": None, "terrain": None},
}
_MIST_LISTS = (("m", "mechanism"), ("i", "injuries"), ("s", "signs"), ("t", "treatment"))
_MAX_COUNT_DIGITS = 3  # MAX_PATIENTS is 999

_E = TypeVar("_E", bound=Enum)


class _Unreadable(Exception):
    """A 9-line attribute ATAK sent cannot be read; the message says which and why."""


def read_medevac(
    element: ET.Element | None, *, point: CotPoint, call_sign: str | None
) -> MedevacMarker:
    """Read a ``<_medevac_>`` element (``None`` when the marker has none) into a marker.

    Each 9-line line is read on its own: a line that cannot be read (``freq="0.0"``, a count
    that is not a number, a security code no list has) is left out of the request, named in
    ``warnings`` and kept verbatim in ``extras``; the other lines are kept.
    """
    if element is None:
        return MedevacMarker(nine_line=None, warnings=("the marker carries no 9-line",))
    attrs = {key: value for key, value in element.attrib.items() if value.strip()}
    warnings: list[str] = []
    extras: dict[str, str] = {}
    casevac = _flag(attrs, "casevac", extras, warnings)
    equipment_other = _flag(attrs, "equipment_other", extras, warnings)
    children = _optional_count(attrs, "child", extras, warnings)
    title = attrs.pop("title", None)
    remarks = attrs.pop("medline_remarks", None)
    detail = attrs.pop("equipment_detail", None)
    hlz = HlzBrief(**{name: attrs.pop(name, None) for name in _HLZ})
    for other, atak in _SPELLINGS.items():
        # Meshtastic's TAK SDK writes non_us_military; ATAK nonus_military. ATAK's wins.
        if other in attrs and atak not in attrs:
            attrs[atak] = attrs.pop(other)
    nine = {key: attrs.pop(key) for key in sorted(_NINE_LINE & attrs.keys())}
    extras.update(attrs)
    request: NineLineRequest | None = None
    reader = _LineReader(nine)
    try:
        request = reader.request(point=point, call_sign=call_sign or title)
        warnings.extend(reader.warnings)
        warnings.extend(str(problem) for problem in request.total_problems())
    except (_Unreadable, NineLineError) as error:
        warnings.extend(reader.warnings)
        reader.leftovers = {**nine, **reader.leftovers}
        warnings.append(f"the 9-line cannot be read: {error}")
    leftovers = reader.leftovers
    if leftovers:
        warnings.append(f"kept as sent, outside the 9-line: {', '.join(sorted(leftovers))}")
    extras.update(leftovers)
    return MedevacMarker(
        nine_line=request,
        warnings=tuple(warnings),
        title=title,
        medline_remarks=remarks,
        casevac=casevac,
        equipment_other=equipment_other,
        equipment_detail=detail,
        children=children,
        hlz=hlz,
        mists=_read_mists(element, warnings),
        extras=tuple(sorted(extras.items())),
    )


def _flag(attrs: dict[str, str], name: str, extras: dict[str, str], warnings: list[str]) -> bool:
    value = attrs.pop(name, None)
    if value is None or value.strip().lower() in ("true", "false"):
        return value is not None and value.strip().lower() == "true"
    extras[name] = value
    warnings.append(f"{name}={value!r} is not true or false; kept as sent")
    return False


def _optional_count(
    attrs: dict[str, str], name: str, extras: dict[str, str], warnings: list[str]
) -> int | None:
    value = attrs.pop(name, None)
    if value is None:
        return None
    try:
        return _count(value, name)
    except _Unreadable as error:
        extras[name] = value
        warnings.append(f"{error}; kept as sent")
        return None


def _count(value: str, name: str) -> int:
    digits = value.strip().lstrip("0") or "0"
    if not digits.isascii() or not digits.isdigit() or len(digits) > _MAX_COUNT_DIGITS:
        raise _Unreadable(f"{name}={value!r} is not a count of patients")
    return int(digits)


def _readable_count(value: str | None) -> int:
    try:
        return 0 if value is None else _count(value, "count")
    except _Unreadable:
        return 0


def _readable_frequency(value: str | None) -> str | None:
    try:
        return None if value is None else normalise_frequency(value)
    except NineLineError:
        return None


def _is_true(value: str, name: str) -> bool:
    if value.strip().lower() not in ("true", "false"):
        raise _Unreadable(f"{name}={value!r} is not true or false")
    return value.strip().lower() == "true"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def _entries(items: tuple[_E, ...], *more: tuple[_E, str]) -> dict[str, int]:
    """Every way a sender names an entry of one of ATAK's lists, to its position in the list.

    ATAK writes the position (``security="3"``); other senders write the 9-line letter
    (``"N"``), the entry's name (``"Smoke"``) or its meaning in words ("Possible enemy in
    area"). Letters are only read from senders that write text: a digit is always a position.
    """
    names: dict[str, int] = {}
    for position, item in enumerate(items):
        names[_words(str(item.value))] = position
        names[_words(item.name.replace("_", " "))] = position
        names[_words(getattr(item, "meaning", ""))] = position
    for item, text in more:
        names[_words(text)] = items.index(item)
    names.pop("", None)
    return names


def _list_position(value: str, name: str, items: tuple[_E, ...], names: dict[str, int]) -> _E:
    text = value.strip()
    if text.isascii() and text.isdigit():
        if int(text) < len(items):
            return items[int(text)]
        raise _Unreadable(f"{name}={value!r} is not one of ATAK's 0 to {len(items) - 1}")
    words = _words(text)
    # "N - No enemy troops in area": a letter, a dash, then the words.
    lead = re.match(r"^([a-z]) (.+)$", words)
    position = names.get(words)
    if position is None and lead is not None and names.get(lead[1]) == names.get(lead[2], -1):
        position = names[lead[1]]
    if position is None:
        allowed = ", ".join(sorted({_words(item.name.replace("_", " ")) for item in items}))
        raise _Unreadable(f"{name}={value!r} names no entry of ATAK's list ({allowed})")
    return items[position]


_SECURITY_NAMES = _entries(
    _SECURITY,
    (Sec.NO_ENEMY, "no enemy in area"),
    (Sec.NO_ENEMY, "no enemy troops in area"),
    (Sec.POSSIBLE_ENEMY, "possible enemy in area"),
    (Sec.POSSIBLE_ENEMY, "possible enemy troops in area"),
    (Sec.ENEMY_IN_AREA, "enemy"),
    (Sec.ENEMY_IN_AREA, "enemy troops in area"),
    (Sec.ARMED_ESCORT_REQUIRED, "armed escort"),
    (Sec.ARMED_ESCORT_REQUIRED, "enemy in area armed escort required"),
)
_MARKING_NAMES = _entries(
    _MARKING,
    (Marking.PANELS, "panel"),
    (Marking.PYROTECHNIC, "pyro"),
    (Marking.PYROTECHNIC, "pyrotechnics"),
)


@dataclass(slots=True)
class _LineReader:
    """Reads ATAK's 9-line attributes line by line; what a line cannot use is set aside."""

    nine: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    leftovers: dict[str, str] = field(default_factory=dict)

    def _left_out(self, line: int, names: tuple[str, ...], error: Exception) -> None:
        self.warnings.append(f"line {line} left out: {error}")
        for name in names:
            if name in self.nine:
                self.leftovers[name] = self.nine[name]

    def _count(self, name: str, line: int) -> int:
        value = self.nine.get(name)
        if value is None:
            return 0
        try:
            return _count(value, name)
        except _Unreadable as error:
            # An unreadable count is not a count of zero, but the others still hold.
            self._left_out(line, (name,), error)
            return 0

    def _flag(self, name: str, line: int) -> bool:
        value = self.nine.get(name)
        if value is None:
            return False
        try:
            return _is_true(value, name)
        except _Unreadable as error:
            self._left_out(line, (name,), error)
            return False

    def _frequency(self) -> str | None:
        value = self.nine.get("freq")
        if value is None:
            self.warnings.append("line 2: ATAK sent no frequency (freq); filed without one")
            return None
        try:
            return normalise_frequency(value)
        except NineLineError:
            self.warnings.append(
                f"line 2: freq={value!r} is not a radio frequency; filed without one"
            )
            self.leftovers["freq"] = value
            return None

    def _choice(
        self, name: str, line: int, items: tuple[_E, ...], names: dict[str, int]
    ) -> _E | None:
        value = self.nine.get(name)
        if value is None:
            return None
        try:
            return _list_position(value, name, items, names)
        except _Unreadable as error:
            self._left_out(line, (name,), error)
            return None

    def request(self, *, point: CotPoint, call_sign: str | None) -> NineLineRequest:
        """Build the request from what can be read; raise ``_Unreadable`` without a call sign."""
        if not call_sign or not call_sign.strip():
            raise _Unreadable("line 2: no call sign (contact callsign or title)")
        if not any(_readable_count(self.nine.get(name)) for name in _PRECEDENCE) and (
            _readable_frequency(self.nine.get("freq")) is None
        ):
            # ATAK's casualty marker with its 9-line left empty: nothing to file a request with.
            raise _Unreadable("ATAK sent no frequency and no patient count: the 9-line is empty")
        frequency = self._frequency()
        equipment = {code for name, code in _EQUIPMENT.items() if self._flag(name, 4)}
        if Equipment.NONE in equipment and len(equipment) > 1:
            equipment.discard(Equipment.NONE)
            self.leftovers["equipment_none"] = self.nine["equipment_none"]
        marking = self._choice("hlz_marking", 7, _MARKING, _MARKING_NAMES)
        detail = self.nine.get("hlz_other")
        if detail is not None and marking is not Marking.OTHER:
            self.leftovers["hlz_other"] = detail
            detail = None
        given_8 = any(name in self.nine for name in _NATIONALITY)
        lines: dict[str, Any] = {
            "location": to_mgrs(point.lat, point.lon),
            "frequency": frequency,
            "call_sign": call_sign,
            "patients_by_precedence": {
                code: self._count(name, 3) for name, code in _PRECEDENCE.items()
            },
            "equipment": frozenset(equipment) if equipment else None,
            "litter": self._count("litter", 5),
            "ambulatory": self._count("ambulatory", 5),
            "security": self._choice("security", 6, _SECURITY, _SECURITY_NAMES),
            "marking": marking,
            "marking_detail": detail,
            "patients_by_nationality": {
                code: self._count(name, 8) for name, code in _NATIONALITY.items()
            }
            if given_8
            else None,
        }
        lines["nbc"], lines["terrain"] = _read_line_9(self.nine, self.leftovers, self._flag)
        # What the model still refuses (a marking description of control characters, more
        # than 999 patients on a line) takes that line out, and only that line.
        for _ in range(len(_CLEARED)):
            try:
                return NineLineRequest(**lines, check_totals=False)
            except NineLineError as error:
                if error.line not in _CLEARED:
                    raise
                self._left_out(error.line, _LINE_ATTRIBUTES[error.line], error)
                lines.update(_CLEARED[error.line])
        raise _Unreadable("the 9-line has no line that can be read")  # pragma: no cover


def _read_line_9(
    nine: dict[str, str], leftovers: dict[str, str], flag: Callable[[str, int], bool]
) -> tuple[frozenset[Nbc] | None, str | None]:
    flags = {name: flag(name, 9) for name in _TERRAIN}
    direction = nine.get("terrain_slope_dir")
    if direction is not None and (not flags["terrain_slope"] or "," in direction):
        leftovers["terrain_slope_dir"] = direction
        direction = None
    detail = nine.get("terrain_other_detail")
    if detail is not None and not flags["terrain_other"]:
        leftovers["terrain_other_detail"] = detail
        detail = None
    nbc = _nbc(detail) if flags["terrain_other"] and sum(flags.values()) == 1 else None
    if nbc is not None:
        return nbc, None
    parts = [_TERRAIN_WORDS[name] for name in _TERRAIN[:1] if flags[name]]
    if flags["terrain_slope"]:
        parts.append(f"SLOPE {direction.strip()}" if direction else "SLOPE")
    parts += [_TERRAIN_WORDS[name] for name in _TERRAIN[2:4] if flags[name]]
    if flags["terrain_other"]:
        parts.append(f"OTHER: {detail.strip()}" if detail else "OTHER")
    return None, ", ".join(parts) or None


def _nbc(detail: str | None) -> frozenset[Nbc] | None:
    if detail is None or not detail.startswith("NBC:"):
        return None
    letters = detail[4:].split()
    if letters == ["NONE"]:
        return frozenset()
    if not letters or not set(letters) <= {"N", "B", "C"}:
        return None
    return frozenset(Nbc(letter) for letter in letters)


def _read_mists(element: ET.Element, warnings: list[str]) -> tuple[ZMist, ...]:
    mists: list[ZMist] = []
    for number, item in enumerate(element.iterfind("zMistsMap/zMist"), start=1):
        title = item.get("title") or None
        # A line break (an encoded &#10; survives the XML parser) becomes a space; the spaces the
        # number was written with are kept, as in the other lines, so it reads back as sent.
        zap = " ".join((item.get("z") or "").splitlines()).strip() or title or f"casualty {number}"
        try:
            mist = Mist(
                zap=zap.strip(),
                mechanism=_lines(item, "m"),
                injuries=_lines(item, "i"),
                signs=_lines(item, "s"),
                treatment=_lines(item, "t"),
            )
            mists.append(ZMist(title=title, mist=mist))
        except MistError as error:
            warnings.append(f"ZMIST {number} cannot be read: {error}")
    return tuple(mists)


def _lines(item: ET.Element, key: str) -> tuple[str, ...]:
    # ATAK separates a ZMIST field's lines with a newline (&#10; in the XML).
    return tuple(line.strip() for line in (item.get(key) or "").splitlines() if line.strip())


def write_medevac(marker: MedevacMarker) -> ET.Element:
    """Write a marker as ATAK's ``<_medevac_>`` element (its 9-line location is the point)."""
    attrs: dict[str, str] = {}
    for name, value in (
        ("title", marker.title),
        ("medline_remarks", marker.medline_remarks),
        ("equipment_detail", marker.equipment_detail),
        *((name, getattr(marker.hlz, name)) for name in _HLZ),
    ):
        if value is not None:
            attrs[name] = value
    attrs["casevac"] = "true" if marker.casevac else "false"
    if marker.equipment_other:
        attrs["equipment_other"] = "true"
    if marker.children is not None:
        attrs["child"] = str(marker.children)
    if marker.nine_line is not None:
        attrs.update(_nine_line_attributes(marker.nine_line))
    for name, value in marker.extras:
        attrs.setdefault(name, value)
    element = ET.Element("_medevac_", attrs)
    if marker.mists:
        holder = ET.SubElement(element, "zMistsMap")
        for entry in marker.mists:
            item = {"title": entry.title} if entry.title is not None else {}
            item["z"] = entry.mist.zap
            for key, name in _MIST_LISTS:
                item[key] = "\n".join(getattr(entry.mist, name))
            ET.SubElement(holder, "zMist", item)
    return element


def _nine_line_attributes(request: NineLineRequest) -> dict[str, str]:
    counts = request.patients_by_precedence
    # No frequency is written as none (ATAK shows an empty field), never as a made-up one.
    attrs = {} if request.frequency is None else {"freq": request.frequency}
    for name, code in _PRECEDENCE.items():
        # ATAK-CIV 4.x has no urgent_surgical or convenience; write them only when needed.
        if counts[code] or code in (Precedence.URGENT, Precedence.PRIORITY, Precedence.ROUTINE):
            attrs[name] = str(counts[code])
    for name, equipment in _EQUIPMENT.items():
        if request.equipment is not None and equipment in request.equipment:
            attrs[name] = "true"
    attrs["litter"] = str(request.litter)
    attrs["ambulatory"] = str(request.ambulatory)
    if request.security is not None:
        attrs["security"] = str(_SECURITY.index(request.security))
    if request.marking is not None:
        attrs["hlz_marking"] = str(_MARKING.index(request.marking))
    if request.marking_detail is not None:
        attrs["hlz_other"] = request.marking_detail
    if request.patients_by_nationality is not None:
        for name, nationality in _NATIONALITY.items():
            attrs[name] = str(request.patients_by_nationality[nationality])
    if request.nbc is not None:
        letters = " ".join(nbc.value for nbc in Nbc if nbc in request.nbc)
        attrs["terrain_other"] = "true"
        attrs["terrain_other_detail"] = f"NBC: {letters or 'NONE'}"
    elif request.terrain is not None:
        attrs.update(_terrain_attributes(request.terrain))
    return attrs


def _terrain_attributes(text: str) -> dict[str, str]:
    """Read our terrain text (``SLOPE S, ROUGH, OTHER: ...``) back into ATAK's flags."""
    attrs: dict[str, str] = {}
    remaining = text
    words = {word: name for name, word in _TERRAIN_WORDS.items()}
    while remaining:
        head, _, tail = remaining.partition(", ")
        if head in words and words[head] not in attrs:
            attrs[words[head]] = "true"
        elif (head == "SLOPE" or head.startswith("SLOPE ")) and "terrain_slope" not in attrs:
            attrs["terrain_slope"] = "true"
            if head[6:].strip():
                attrs["terrain_slope_dir"] = head[6:].strip()
        else:
            attrs["terrain_other"] = "true"
            detail = "" if remaining == "OTHER" else remaining
            detail = detail.removeprefix("OTHER: ").strip()
            if detail:
                attrs["terrain_other_detail"] = detail
            break
        remaining = tail
    return attrs
