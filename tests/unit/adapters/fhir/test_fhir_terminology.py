"""The codes and units of the FHIR export: complete, well-formed, and where they belong."""

from __future__ import annotations

import pytest

from goldenhour.adapters.fhir import terminology
from goldenhour.domain.casualty.vocabulary import Avpu, BodyRegion, Laterality, Limb, Route

# Verhoeff's dihedral check (SNOMED CT TIG, "Check-digit computation"): the group table D5 and
# the permutation p1 whose powers give the position permutations.
_D5 = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]  # fmt: skip
_P1 = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]
_PERMUTATIONS = [list(range(10))]
for _ in range(7):
    _PERMUTATIONS.append([_P1[digit] for digit in _PERMUTATIONS[-1]])


def verhoeff_valid(number: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _D5[check][_PERMUTATIONS[position % 8][int(digit)]]
    return check == 0


def loinc_check_digit(number: str) -> int:
    """LOINC's mod 10 check digit (LOINC Users' Guide, appendix: "Calculating Mod 10")."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit // 10 + digit % 10
    return (10 - total % 10) % 10


SNOMED_CODES = sorted(
    {code for table in (terminology.BODY_SITES, terminology.LATERALITY, terminology.LIMBS,
                        terminology.INTERVENTIONS, terminology.ROUTES, terminology.PULSE_SITES,
                        terminology.AVPU)
     for code, _ in table.values()}
    | {terminology.TOURNIQUET_PROCEDURE[0], terminology.NO_KNOWN_ALLERGY[0]}
)  # fmt: skip
LOINC_CODES = sorted(
    {vital.code for vital in terminology.VITALS.values()}
    | {code for code, _ in terminology.SPO2_CODES}
    | {pair[0] for pair in (terminology.BP_PANEL, terminology.SYSTOLIC, terminology.DIASTOLIC,
                            terminology.BLOOD_GROUP, terminology.AVPU_OBSERVATION)}
)  # fmt: skip


class TestCodes:
    def test_the_check_digit_helpers_agree_with_known_codes(self) -> None:
        """The helpers accept SNOMED CT's root concept and LOINC's heart rate, refuse a typo."""
        assert verhoeff_valid("138875005") and not verhoeff_valid("138875006")
        assert loinc_check_digit("8867") == 4

    @pytest.mark.parametrize("code", SNOMED_CODES)
    def test_every_snomed_code_is_a_well_formed_concept_id(self, code: str) -> None:
        """Verhoeff check digit right, partition 00 (a concept, short format)."""
        assert verhoeff_valid(code)
        assert code[-3:-1] == "00"

    @pytest.mark.parametrize("code", LOINC_CODES)
    def test_every_loinc_code_has_its_check_digit(self, code: str) -> None:
        """The digit after the dash is the mod 10 check of the number before it."""
        number, check = code.split("-")
        assert loinc_check_digit(number) == int(check)

    def test_the_codes_the_issue_names_are_used(self) -> None:
        """Heart rate, respiration, GCS, pain, temperature and the BP panel use their LOINC."""
        vitals = terminology.VITALS
        assert (vitals["pulse"].code, vitals["respiratory_rate"].code) == ("8867-4", "9279-1")
        assert (vitals["gcs"].code, vitals["pain"].code) == ("9269-2", "72514-3")
        assert vitals["temperature_c"].code == "8310-5"
        assert (terminology.BP_PANEL[0], terminology.SYSTOLIC[0], terminology.DIASTOLIC[0]) == (
            "85354-9", "8480-6", "8462-4",
        )  # fmt: skip
        assert {code for code, _ in terminology.SPO2_CODES} == {"2708-6", "59408-5"}
        assert terminology.TOURNIQUET_PROCEDURE[0] == "20655006"

    def test_units_are_ucum(self) -> None:
        """Rates per minute, scores as annotations, Celsius as Cel, seconds as s."""
        units = {name: vital.ucum for name, vital in terminology.VITALS.items()}
        assert units == {
            "pulse": "/min", "respiratory_rate": "/min", "gcs": "{score}", "pain": "{score}",
            "temperature_c": "Cel", "capillary_refill_s": "s",
        }  # fmt: skip


class TestCoverage:
    @pytest.mark.parametrize(
        ("table", "vocabulary"),
        [
            (terminology.BODY_SITES, BodyRegion),
            (terminology.LATERALITY, Laterality),
            (terminology.LIMBS, Limb),
            (terminology.ROUTES, Route),
            (terminology.AVPU, Avpu),
        ],
    )
    def test_every_value_of_the_card_has_a_code(
        self, table: dict[object, object], vocabulary: type
    ) -> None:
        """No body region, side, limb, route or AVPU level is left without its SNOMED CT code."""
        assert set(table) == set(vocabulary.__members__.values())

    def test_no_two_regions_share_a_code(self) -> None:
        """Each body region has a concept of its own."""
        codes = [code for code, _ in terminology.BODY_SITES.values()]
        assert len(codes) == len(set(codes))
