"""The exported Bundle: a well-formed transaction whose resources carry the card's content."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given

from goldenhour.adapters.fhir import FhirError, export_bundle
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID, demo_casualty_events
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.errors import EventConflictError

from builders import at
from fhir_cases import CASUALTY, full_history
from strategies import histories

Resource = dict[str, Any]
FHIR_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
LOINC, SNOMED, UCUM = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    return export_bundle(full_history(), casualty_id=CASUALTY)


def resources(bundle: dict[str, Any], kind: str) -> list[Resource]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes(concept: Resource, system: str) -> set[str]:
    return {coding["code"] for coding in concept.get("coding", []) if coding["system"] == system}


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")


def observation(bundle: dict[str, Any], loinc: str) -> Resource:
    return next(o for o in resources(bundle, "Observation") if loinc in codes(o["code"], LOINC))


class TestBundle:
    @given(histories())
    def test_every_entry_is_a_put_to_an_id_derived_from_the_history(
        self, history: list[CasualtyEvent]
    ) -> None:
        """Transaction entries: fullUrl urn:uuid:<id>, PUT Type/<id>, ids unique."""
        bundle = export_bundle(history, casualty_id=CASUALTY)
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "transaction"
        urls = [entry["fullUrl"] for entry in bundle["entry"]]
        assert len(urls) == len(set(urls))
        for entry in bundle["entry"]:
            resource = entry["resource"]
            assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
            assert entry["request"] == {
                "method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"
            }  # fmt: skip

    @given(histories())
    def test_every_reference_resolves_inside_the_bundle(self, history: list[CasualtyEvent]) -> None:
        """Resources point at each other by the urn:uuid full URLs of the same bundle."""
        bundle = export_bundle(history, casualty_id=CASUALTY)
        urls = {entry["fullUrl"] for entry in bundle["entry"]}
        found = [v for path, v in walk(bundle) if path.endswith(".reference")]
        assert found and set(found) <= urls

    def test_no_element_is_empty_and_every_time_is_utc(self, bundle: dict[str, Any]) -> None:
        """FHIR forbids empty elements (R4 §2.6.2); times are instants in Zulu."""
        for path, value in walk(bundle):
            assert value not in (None, "", [], {}), path
            if re.search(r"(DateTime|start|end|recorded|authoredOn|sent|date|recordedDate)$",
                         path):  # fmt: skip
                assert FHIR_DATETIME.match(value), (path, value)

    def test_the_history_document_holds_every_event(self, bundle: dict[str, Any]) -> None:
        """The DocumentReference carries the JSON list of all events, voided ones included."""
        (document,) = resources(bundle, "DocumentReference")
        attachment = document["content"][0]["attachment"]
        events = json.loads(base64.b64decode(attachment["data"]))
        assert len(events) == len(full_history())
        assert {e["kind"] for e in events} >= {"entry_retracted", "note_added"}
        (provenance,) = resources(bundle, "Provenance")
        assert provenance["entity"] == [
            {"role": "source", "what": {"reference": f"urn:uuid:{document['id']}"}}
        ]
        assert len(provenance["target"]) == len(bundle["entry"]) - 2

    def test_a_casualty_without_events_is_refused(self) -> None:
        """Nothing to export is an error, not an empty bundle."""
        with pytest.raises(FhirError):
            export_bundle(full_history(), casualty_id=DEMO_CASUALTY_ID)

    def test_one_id_with_two_contents_is_refused(self) -> None:
        """A conflicting history cannot be exported."""
        history = full_history()
        with pytest.raises(EventConflictError):
            export_bundle([*history, replace(history[1], author="other")], casualty_id=CASUALTY)


class TestContent:
    def test_the_patient_carries_both_card_identities(self, bundle: dict[str, Any]) -> None:
        """Battle roster, last 4, personal number and document, name, call sign, gender."""
        (patient,) = resources(bundle, "Patient")
        systems = {i["system"].rsplit(":", 1)[-1]: i["value"] for i in patient["identifier"]}
        assert systems["battle-roster"] == "TS1814" and systems["last4"] == "1814"
        assert systems["personal-number"] == "UA-123456"
        assert patient["name"][0] == {"use": "official", "family": "Шевченко",
                                      "given": ["Taras", "Hryhorovych"]}  # fmt: skip
        assert patient["name"][1] == {"use": "nickname", "text": "Kobzar"}
        assert (patient["gender"], patient["birthDate"]) == ("male", "1990-03-09")
        assert patient["deceasedDateTime"] == "2022-06-14T14:00:00Z"

    def test_the_encounter_follows_the_evacuation_path(self, bundle: dict[str, Any]) -> None:
        """Point of injury, then one location per handover, each with its period."""
        (encounter,) = resources(bundle, "Encounter")
        assert encounter["class"]["code"] == "FLD" and encounter["status"] == "finished"
        assert encounter["period"] == {"start": "2022-06-14T12:30:00Z",
                                       "end": "2022-06-14T14:00:00Z"}  # fmt: skip
        names = {f"urn:uuid:{loc['id']}": loc["name"] for loc in resources(bundle, "Location")}
        path = [(names[stage["location"]["reference"]], stage["period"])
                for stage in encounter["location"]]  # fmt: skip
        assert path == [
            ("Point of injury", {"start": "2022-06-14T12:30:00Z", "end": "2022-06-14T13:00:00Z"}),
            ("BUHAI 2", {"start": "2022-06-14T13:00:00Z", "end": "2022-06-14T13:25:00Z"}),
            ("Siversk stabilisation point", {"start": "2022-06-14T13:25:00Z"}),
        ]

    def test_an_injury_is_a_condition_with_site_side_and_mechanism(
        self, bundle: dict[str, Any]
    ) -> None:
        """SNOMED thigh with a left laterality qualifier; mechanisms as condition-dueTo."""
        sited = [c for c in resources(bundle, "Condition") if "bodySite" in c]
        thigh = next(c for c in sited if "68367000" in codes(c["bodySite"][0], SNOMED))
        site = thigh["bodySite"][0]
        assert codes(site["extension"][0]["valueCodeableConcept"], SNOMED) == {"7771000"}
        due = [e for e in thigh["extension"] if e["url"].endswith("condition-dueTo")]
        assert {e["valueCodeableConcept"]["text"] for e in due} == {"drone", "FPV drop"}

    def test_a_tourniquet_is_a_procedure_from_on_to_off(self, bundle: dict[str, Any]) -> None:
        """SNOMED 20655006, performedPeriod from application to conversion, the limb's code."""
        procedures = [p for p in resources(bundle, "Procedure") if "20655006" in codes(
            p["code"], SNOMED)]  # fmt: skip
        leg = next(p for p in procedures if "bodySite" in p and "coding" in p["bodySite"][0])
        assert leg["performedPeriod"] == {"start": "2022-06-14T12:32:00Z",
                                          "end": "2022-06-14T13:10:00Z"}  # fmt: skip
        assert codes(leg["bodySite"][0], SNOMED) == {"32153003"}
        assert leg["usedCode"] == [{"text": "CAT"}]
        assert len(procedures) == 2

    def test_vitals_are_loinc_observations_in_ucum(self, bundle: dict[str, Any]) -> None:
        """Heart rate /min, SpO2 %, palpated BP without diastolic, AVPU P, GCS a score."""
        assert observation(bundle, "8867-4")["valueQuantity"] == {
            "value": 128, "unit": "beats/minute", "system": UCUM, "code": "/min"}  # fmt: skip
        assert observation(bundle, "59408-5")["valueQuantity"]["code"] == "%"
        pressure = observation(bundle, "85354-9")
        assert pressure["component"][0]["valueQuantity"]["code"] == "mm[Hg]"
        assert "dataAbsentReason" in pressure["component"][1]
        assert codes(observation(bundle, "67775-7")["valueCodeableConcept"], SNOMED) == {
            "450847001"}  # fmt: skip
        assert observation(bundle, "9269-2")["valueQuantity"]["code"] == "{score}"
        assert observation(bundle, "8310-5")["valueQuantity"]["code"] == "Cel"

    def test_drugs_and_fluids_are_medication_administrations(self, bundle: dict[str, Any]) -> None:
        """Dose in UCUM where the unit is known, text otherwise; SNOMED route codes."""
        given = {m["medicationCodeableConcept"]["text"]: m
                 for m in resources(bundle, "MedicationAdministration")}  # fmt: skip
        assert given["TXA"]["dosage"]["dose"] == {"value": 2.0, "unit": "g", "system": UCUM,
                                                  "code": "g"}  # fmt: skip
        assert given["OTFC"]["dosage"]["dose"]["code"] == "ug"
        assert given["moxifloxacin"]["dosage"]["dose"] == {"value": 1.0, "unit": "tablet of 400"}
        assert "dose" not in given["anti-tetanus serum"]["dosage"]
        assert codes(given["whole blood"]["dosage"]["route"], SNOMED) == {"417255000"}
        assert given["whole blood"]["dosage"]["dose"]["code"] == "mL"

    def test_triage_keeps_the_rule_and_the_reason(self, bundle: dict[str, Any]) -> None:
        """Each triage decision is an Observation noting suggestion, rule and reason."""
        system = "urn:goldenhour:codesystem:triage-system"
        nato = next(
            o for o in resources(bundle, "Observation") if "nato" in codes(o["code"], system)
        )
        assert nato["valueCodeableConcept"]["text"] == "T1"
        assert [n["text"] for n in nato["note"]] == [
            "suggested: T2", "rule: haemorrhage", "reason: two tourniquets"]  # fmt: skip

    def test_retracted_and_superseded_entries_are_not_shown(self, bundle: dict[str, Any]) -> None:
        """The structured side shows the card: the corrected note, not the first one."""
        notes = [c["payload"][0]["contentString"] for c in resources(bundle, "Communication")
                 if c["category"][0]["coding"][0]["code"] == "note"]  # fmt: skip
        assert notes == ["second note, correcting the first"]
        assert not any(
            "splint" in p["code"].get("text", "") for p in resources(bundle, "Procedure")
        )

    def test_form100_strips_are_flags(self, bundle: dict[str, Any]) -> None:
        """Kept strips become active Flags the receiving hospital sees."""
        assert sorted(f["code"]["text"] for f in resources(bundle, "Flag")) == [
            "black strip: isolation", "red strip: urgent care"]  # fmt: skip

    def test_the_demo_casualty_has_the_resources_a_hospital_expects(self) -> None:
        """Patient, Encounter, Condition, Procedure, Observation, MedicationAdministration."""
        bundle = export_bundle(demo_casualty_events(injured_at=at(0)), casualty_id=DEMO_CASUALTY_ID)
        kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
        assert kinds >= {"Patient", "Encounter", "Condition", "Procedure", "Observation",
                         "MedicationAdministration", "ServiceRequest", "Location",
                         "DocumentReference", "Provenance"}  # fmt: skip


def test_gcs_parts_are_components_of_the_loinc_score_with_their_total() -> None:
    """Issue 13 item 11: eye, verbal and motor as LOINC 9267-6, 9270-0, 9268-4 under 9269-2."""
    from goldenhour.domain.casualty.events import CasualtyRegistered, VitalsRecorded

    from builders import make

    history = [
        make(CasualtyRegistered, casualty_id=CASUALTY),
        make(VitalsRecorded, casualty_id=CASUALTY, minute=5, gcs_eye=3, gcs_verbal=4, gcs_motor=6),
        make(VitalsRecorded, casualty_id=CASUALTY, minute=9, gcs_eye=2, gcs_motor=5),
    ]
    bundle = export_bundle(history, casualty_id=CASUALTY)
    scores = [o for o in resources(bundle, "Observation") if "9269-2" in codes(o["code"], LOINC)]
    by_time = sorted(scores, key=lambda o: o["effectiveDateTime"])
    full, partial = by_time
    assert full["valueQuantity"]["value"] == 13
    parts = {next(iter(codes(c["code"], LOINC))): c["valueQuantity"]["value"]
             for c in full["component"]}  # fmt: skip
    assert parts == {"9267-6": 3, "9270-0": 4, "9268-4": 6}
    assert "valueQuantity" not in partial and "dataAbsentReason" in partial
    assert len(partial["component"]) == 2
