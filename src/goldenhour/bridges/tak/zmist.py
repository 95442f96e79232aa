"""What a ZMIST card's free text says in Golden Hour's terms: vital signs and treatments.

ATAK's ZMIST fields are free text. The S (signs) line is read for the vital signs written the way
Golden Hour's own MIST writes them (``P 118 RR 24 SpO2 94 BP 96/60 AVPU A PAIN 7``, see
``goldenhour.domain.medevac.from_card.vitals_text``) and ATAK's checklist phrase ``Pulse Radial:
Has Radial`` / ``No Radial`` (reference atak-medevac-9line-zmist.xml). The T (treatment) line is
read item by item for interventions named in so many words. Anything not recognised stays in the
ZMIST text, which the bridge always keeps as a note on the card: nothing is guessed.
"""

from __future__ import annotations

import re
from typing import Any

from goldenhour.domain.casualty.vocabulary import Avpu, Intervention
from goldenhour.domain.errors import InvalidEventError

__all__ = ["interventions", "vitals_from_signs"]

_NUMBER_VITALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("pulse", r"\b(?:P|HR|pulse)\s*[:=]?\s*(\d{1,3})\b"),
        ("respiratory_rate", r"\b(?:RR|resp(?:iratory)?(?: rate)?)\s*[:=]?\s*(\d{1,3})\b"),
        ("spo2", r"\bSpO2\s*[:=]?\s*(\d{1,3})\b"),
        ("pain", r"\bpain\s*[:=]?\s*(\d{1,2})\b"),
        ("gcs", r"\bGCS\s*[:=]?\s*(\d{1,2})\b"),
    )
)
_BLOOD_PRESSURE = re.compile(r"\bBP\s*[:=]?\s*(\d{2,3})\s*/\s*(\d{2,3}|P)\b", re.IGNORECASE)
_AVPU = re.compile(r"\bAVPU\s*[:=]?\s*([AVPU])\b", re.IGNORECASE)
_RADIAL = re.compile(r"\bpulse radial\s*:\s*(has|no)\s+radial\b", re.IGNORECASE)

# Words a medic writes for each intervention (TCCC card terms; our convention). Tourniquets
# are not read: Golden Hour records a tourniquet with its limb and time, which "TQ" lacks.
_INTERVENTION_WORDS: tuple[tuple[Intervention, re.Pattern[str]], ...] = tuple(
    (intervention, re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
    for intervention, words in (
        (Intervention.CRIC, r"cric|cricothyr\w*"),
        (Intervention.NPA, r"NPA|nasopharyngeal"),
        (Intervention.ET_TUBE, r"ET ?tube|intubat\w*"),
        (Intervention.SGA, r"SGA|i-?gel|supraglottic"),
        (Intervention.CHEST_SEAL, r"chest seal"),
        (Intervention.NEEDLE_DECOMPRESSION, r"needle( decompression| decomp)?|NDC"),
        (Intervention.CHEST_TUBE, r"chest tube"),
        (Intervention.HEMOSTATIC_DRESSING, r"hemostatic|haemostatic|combat gauze|quikclot"),
        (Intervention.PRESSURE_DRESSING, r"pressure dressing|israeli bandage"),
        (Intervention.WOUND_PACKING, r"wound packing|packing"),
        (Intervention.PELVIC_BINDER, r"pelvic binder|SAM pelvic"),
        (Intervention.IV_ACCESS, r"IV( access)?"),
        (Intervention.IO_ACCESS, r"IO( access)?"),
        (Intervention.OXYGEN, r"oxygen|O2"),
        (Intervention.HYPOTHERMIA_PREVENTION, r"hypothermia|HPMK|blanket"),
        (Intervention.SPLINT, r"splint\w*"),
        (Intervention.EYE_SHIELD, r"eye shield"),
        (Intervention.COMBAT_PILL_PACK, r"pill pack"),
    )
)


def vitals_from_signs(signs: tuple[str, ...]) -> dict[str, Any]:
    """Return the vital signs a ZMIST's S line names, as ``VitalsRecorded`` fields.

    Values outside what a living person can show are left out (the text keeps them).
    """
    text = "; ".join(signs)
    found: dict[str, Any] = {}
    for name, pattern in _NUMBER_VITALS:
        match = pattern.search(text)
        if match:
            found[name] = int(match[1])
    pressure = _BLOOD_PRESSURE.search(text)
    if pressure:
        found["systolic"] = int(pressure[1])
        if pressure[2].isdigit():
            found["diastolic"] = int(pressure[2])
    avpu = _AVPU.search(text)
    if avpu:
        found["avpu"] = Avpu(avpu[1].upper())
    radial = _RADIAL.search(text)
    if radial:
        found["radial_pulse"] = radial[1].lower() == "has"
    return found


def drop_refused(fields: dict[str, Any], error: InvalidEventError) -> dict[str, Any]:
    """Return ``fields`` without the one an ``InvalidEventError`` named (and what needs it)."""
    name = error.field.split(".")[0]
    if name not in fields:
        return {}
    kept = {key: value for key, value in fields.items() if key != name}
    if name == "systolic":
        kept.pop("diastolic", None)
    return kept


def interventions(items: tuple[str, ...]) -> list[tuple[Intervention, str]]:
    """Return each intervention a ZMIST's T line names, with the item that named it."""
    found: list[tuple[Intervention, str]] = []
    for item in items:
        for part in re.split(r"[,/+]", item):
            for intervention, pattern in _INTERVENTION_WORDS:
                if pattern.search(part) and all(part.strip() != done for _, done in found):
                    found.append((intervention, part.strip()))
                    break
    return found
