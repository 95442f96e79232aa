"""docs/card-fields.md names real model fields and maps every card value (see that document)."""

from __future__ import annotations

import dataclasses
import re
import typing
from enum import Enum
from pathlib import Path

import pytest

from goldenhour.domain.casualty import card, events, identity, vocabulary
from goldenhour.domain.casualty.vocabulary import (
    Avpu,
    CbrnAgent,
    Intervention,
    LesionType,
    Limb,
    Mechanism,
    SanitaryTreatment,
    SignalStrip,
)
from goldenhour.domain.medevac import mist, nine_line
from goldenhour.domain.triage import categories

DOC = Path(__file__).resolve().parents[3] / "docs" / "card-fields.md"
MODULES = (events, identity, card, vocabulary, categories, nine_line, mist)
REFERENCE = re.compile(r"^(\w+)\.(\w+)(?: (?:=|∋) (\w+)\.(\w+))?$")
DD1380_MECHANISMS = (
    "Artillery", "Blunt", "Burn", "Fall", "Grenade", "GSW", "IED", "Landmine", "MVC", "RPG",
    "Other",
)  # fmt: skip
FORM100_LESION_CODES = (
    "Вогн", "Я", "Хім", "Біол", "Бак", "Інш. збр", "Терм", "Відм", "Реакт. ст", "Хв", "Інф",
    "Мех. трав.",
)  # fmt: skip
VOCABULARIES = (
    Mechanism, LesionType, Intervention, Limb, Avpu, SignalStrip, SanitaryTreatment, CbrnAgent,
)  # fmt: skip


def _rows() -> list[tuple[str, dict[str, str]]]:
    """Return every table row of the document as (heading above it, cells by column name)."""
    rows: list[tuple[str, dict[str, str]]] = []
    heading, header = "", None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading, header = line.lstrip("# "), None
        elif not line.startswith("|"):
            header = None
        elif header is None:
            header = [cell.strip() for cell in line.strip("|").split("|")]
        elif not set(line) <= set("|- "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows.append((heading, dict(zip(header, cells, strict=True))))
    return rows


ROWS = _rows()
REFERENCES = [ref for _, row in ROWS for ref in re.findall(r"`([^`]+)`", row["Golden Hour"])]


def _model_class(name: str) -> type | None:
    found = [getattr(module, name, None) for module in MODULES]
    return next((item for item in found if isinstance(item, type)), None)


def _declared_type(cls: type, attribute: str) -> str | None:
    """Return the declared type of a dataclass field or property as text, or None if neither."""
    if dataclasses.is_dataclass(cls) and attribute in {f.name for f in dataclasses.fields(cls)}:
        return str(typing.get_type_hints(cls)[attribute])
    member = getattr(cls, attribute, None)
    if isinstance(member, property):
        return str(typing.get_type_hints(member.fget).get("return"))
    return None


def test_the_golden_hour_column_holds_many_references() -> None:
    assert len(ROWS) > 150, f"only {len(ROWS)} table rows parsed from {DOC}"
    assert len(REFERENCES) > 250, f"only {len(REFERENCES)} references parsed"


@pytest.mark.parametrize("reference", sorted(set(REFERENCES)))
def test_every_model_reference_resolves_against_the_code(reference: str) -> None:
    match = REFERENCE.match(reference)
    assert match, f"{reference!r} is not `Class.field` or `Class.field = Enum.MEMBER`"
    class_name, attribute, enum_name, member = match.groups()
    cls = _model_class(class_name)
    assert cls is not None, f"{reference!r}: no class {class_name} in the model"
    declared = _declared_type(cls, attribute)
    assert declared is not None, f"{reference!r}: {class_name} has no field or property {attribute}"
    if enum_name is None:
        return
    enum = _model_class(enum_name)
    assert enum is not None and issubclass(enum, Enum), f"{reference!r}: no enum {enum_name}"
    assert member in enum.__members__, f"{reference!r}: {enum_name} has no member {member}"
    assert re.search(rf"\b{enum_name}\b", declared), (
        f"{reference!r}: {class_name}.{attribute} is declared {declared}, not {enum_name}"
    )


def _labels_under(heading_word: str) -> str:
    return " ".join(row["Card field"] for heading, row in ROWS if heading_word in heading)


@pytest.mark.parametrize("checkbox", DD1380_MECHANISMS)
def test_every_dd1380_mechanism_checkbox_has_a_row(checkbox: str) -> None:
    assert f"**{checkbox}**" in _labels_under("Mechanism of injury"), (
        f"DD 1380 mechanism {checkbox!r} has no row in the mechanism table"
    )


@pytest.mark.parametrize("code", FORM100_LESION_CODES)
def test_every_form100_lesion_code_has_a_row(code: str) -> None:
    assert f"**{code}**" in _labels_under("type of lesion"), (
        f"Form 100 lesion code {code!r} has no row in the lesion table"
    )


@pytest.mark.parametrize("enum", VOCABULARIES, ids=lambda enum: enum.__name__)
def test_every_member_of_the_card_vocabularies_is_mapped(enum: type[Enum]) -> None:
    mapped = {ref.split(" ")[-1] for ref in REFERENCES}
    missing = [f"{enum.__name__}.{m.name}" for m in enum]
    missing = [name for name in missing if name not in mapped]
    assert not missing, f"not mapped in the Golden Hour column of {DOC.name}: {missing}"
