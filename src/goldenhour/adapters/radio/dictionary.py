"""The preset dictionary the compact message's text is deflated with (format version 1).

Raw deflate (RFC 1951) lets both ends agree on up to 32 KiB of text "already seen", so words
that recur in MIST handovers cost a back-reference of two to three bytes instead of their
letters. The words come from what Golden Hour and ATAK write: DD 1380 / TCCC card terms, the
MIST lines ``domain.medevac.from_card`` writes, ATAK's ZMIST sign lists as the reference
capture shows them (``Pulse Radial: Has Radial``, ``Skin: Cold/Clammy``...), our line 9 terrain
words, and common Ukrainian terms. Deflate codes nearer text more cheaply, so the commonest
phrases come last.

Changing a single byte here changes every message: it needs a new ``FORMAT_VERSION``.
"""

from __future__ import annotations

__all__ = ["PRESET_DICTIONARY"]

_UKRAINIAN = (
    "поранення осколкове кульове вибухова травма ампутація кровотеча турнікет джгут "
    "накладено о ліва права нога рука стегно гомілка плече передпліччя грудна клітка живіт "
    "голова шия опік свідомість пульс тиск дихання сатурація знеболення "
)
_PHRASES = (
    "hypothermia prevention HPMK blanket splint pelvic binder chest seal vented needle "
    "decompression NPA cric SGA ET tube IO access IV access TXA 2 g IV ketamine fentanyl "
    "morphine moxifloxacin ertapenem whole blood plasma saline Hextend 500 ml "
    "combat gauze hemostatic wound packing pressure dressing junctional tourniquet "
    "GCS CRT PAIN AVPU A V P U "
    "penetrating blunt crush fall motor vehicle crash landmine cluster munition grenade RPG "
    "IED blast burn drone artillery GSW gunshot wound fragment amputation fracture "
    "partial thickness full thickness TBSA vascular "
    "head face eye neck chest abdomen pelvis groin back buttock shoulder upper arm elbow "
    "forearm hand thigh knee lower leg foot whole body (front) (back) "
    "Frag Single Burn > 20% Frag Multiple Burn < 20% Radiation Chemical Blast GSW MVC "
    "Bleeding Puncture Burn Deformity Amputation Abrasion Avulsion Fracture Laceration "
    "Airway: No Airway Airway: Patent Breathing: Labored Breathing: Normal "
    "Skin: Warm/Dry Skin: Cold/Clammy Skin: Pale Pulse Radial: No Radial "
    "Bleeding: Controlled Bleeding: Massive Pulse Radial: Has Radial "
    "TERRAIN: NONE, SLOPE N, SLOPE S, SLOPE E, SLOPE W, ROUGH, LOOSE, OTHER: "
    "triage T1 triage T2 triage T3 TQ right arm TQ left arm TQ right leg TQ left leg "
    "above the knee above the elbow CAT SOFTT-W, on 1h, off "
    "P 1 RR 2 SpO2 9 BP 1 /P radial carotid femoral "
)
PRESET_DICTIONARY: bytes = (_UKRAINIAN + _PHRASES).encode("utf-8")
