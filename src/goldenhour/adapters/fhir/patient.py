"""Who the casualty is, as a FHIR R4 Patient (and AllergyIntolerance) from the card's identity."""

from __future__ import annotations

import re
from datetime import datetime

from goldenhour.adapters.fhir.elements import (
    JSON,
    coding,
    compact,
    concept,
    extension,
    instant,
    own,
    resource_id,
    snomed,
)
from goldenhour.adapters.fhir.terminology import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    EXT_PATIENT_NATIONALITY,
    ISO_3166,
    NO_KNOWN_ALLERGY,
    URI_SYSTEM,
    gh_identifier,
)
from goldenhour.domain.casualty.card import Card

#: DD 1380 and Form 100 numbers, each in an identifier system of its own.
_IDENTIFIERS = (
    ("battle_roster", "battle-roster", "DD 1380 battle roster number"),
    ("last4", "last4", "DD 1380 last four of the service number"),
    ("personal_number", "personal-number", "Form 100 personal number"),
    ("id_document", "id-document", "Form 100 identity document"),
)
_ALPHA2 = re.compile(r"^[A-Z]{2}$")


def casualty_identifier(card: Card) -> JSON:
    """Return the identifier that names the casualty (his Golden Hour id as a URN)."""
    return {
        "system": URI_SYSTEM,
        "value": f"urn:uuid:{card.casualty_id}",
        "type": {"text": "Golden Hour casualty id"},
    }


def _nationality(value: str) -> JSON:
    # R4 core extension patient-nationality: a complex extension whose "code" holds the nation;
    # the card's free text is kept as text, coded ISO 3166 when it is an alpha-2 code.
    codings = [coding(ISO_3166, value)] if _ALPHA2.match(value) else []
    return {
        "url": EXT_PATIENT_NATIONALITY,
        "extension": [{"url": "code", "valueCodeableConcept": concept(*codings, text=value)}],
    }


def patient_resource(card: Card, *, deceased_at: datetime | None) -> JSON:
    """Return the Patient: identifiers, names (call sign as nickname), gender, unit and rank."""
    who = card.identity
    identifiers = [casualty_identifier(card)]
    identifiers += [
        {"system": gh_identifier(system), "value": getattr(who, name), "type": {"text": text}}
        for name, system, text in _IDENTIFIERS
        if getattr(who, name)
    ]
    names: list[JSON] = []
    given = [part for part in (who.name_first, who.patronymic) if part]
    if who.name_last or given:
        names.append(compact({"use": "official", "family": who.name_last, "given": given}))
    if who.callsign:
        names.append({"use": "nickname", "text": who.callsign})
    extensions = [
        extension(name, valueString=getattr(who, name))
        for name in ("rank", "unit", "service")
        if getattr(who, name)
    ]
    if who.status is not None:
        extensions.append(extension("person-status", valueCoding=own("person-status", who.status)))
    if who.age_years is not None:
        extensions.append(extension("age-years", valueInteger=who.age_years))
    if who.nationality:
        extensions.append(_nationality(who.nationality))
    return compact(
        {
            "resourceType": "Patient",
            "id": resource_id("Patient", card.casualty_id),
            "extension": extensions,
            "identifier": identifiers,
            "active": True,
            "name": names,
            "gender": who.gender.value if who.gender is not None else None,
            "birthDate": who.date_of_birth.isoformat() if who.date_of_birth else None,
            "deceasedDateTime": instant(deceased_at) if deceased_at is not None else None,
        }
    )


def allergy_resource(card: Card, patient: JSON) -> JSON | None:
    """Return the DD 1380 ALLERGIES box as an AllergyIntolerance, "NKDA" as no known allergy."""
    allergies = card.identity.allergies
    if not allergies or not allergies.strip():
        return None
    nkda = allergies.strip().upper() == "NKDA"
    return {
        "resourceType": "AllergyIntolerance",
        "id": resource_id("AllergyIntolerance", card.casualty_id),
        "clinicalStatus": concept(coding(ALLERGY_CLINICAL, "active", "Active")),
        "verificationStatus": concept(coding(ALLERGY_VERIFICATION, "unconfirmed", "Unconfirmed")),
        "code": concept(snomed(NO_KNOWN_ALLERGY), text=allergies)
        if nkda
        else concept(text=allergies),
        "patient": patient,
    }
