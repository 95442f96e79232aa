"""Sacco RPM: coded values, the score from a casualty card, and the illustrative model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import VitalsRecorded
from goldenhour.domain.casualty.vocabulary import Avpu
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.survival.sacco import (
    ILLUSTRATIVE_SURVIVAL_BY_RPM,
    MotorResponse,
    SaccoRpm,
    motor_from_gcs_motor,
    pulse_code,
    respiratory_code,
    rpm_from_card,
    rpm_score,
)

from builders import CASUALTY, make


@pytest.mark.parametrize(
    ("rate", "code"),
    [(0, 0), (1, 1), (9, 1), (10, 4), (24, 4), (25, 3), (35, 3), (36, 2), (60, 2)],
)
def test_respiratory_rate_is_coded_at_the_band_edges(rate: int, code: int) -> None:
    assert respiratory_code(rate) == code


@pytest.mark.parametrize(
    ("rate", "code"),
    [(0, 0), (1, 1), (59, 1), (60, 4), (120, 4), (121, 3), (140, 3), (141, 2), (220, 2)],
)
def test_pulse_is_coded_at_the_band_edges(rate: int, code: int) -> None:
    assert pulse_code(rate) == code


@pytest.mark.parametrize(
    ("grade", "motor"),
    [
        (6, MotorResponse.OBEYS),
        (5, MotorResponse.LOCALISES),
        (4, MotorResponse.WITHDRAWS),
        (3, MotorResponse.FLEXION_OR_EXTENSION),
        (2, MotorResponse.FLEXION_OR_EXTENSION),
        (1, MotorResponse.NONE),
    ],
)
def test_gcs_motor_grades_map_to_motor_responses(grade: int, motor: MotorResponse) -> None:
    assert motor_from_gcs_motor(grade) is motor


def test_a_normal_casualty_scores_twelve_and_a_dead_one_zero() -> None:
    assert rpm_score(16, 80, MotorResponse.OBEYS) == 12
    assert rpm_score(0, 0, MotorResponse.NONE) == 0


@pytest.mark.parametrize("bad", [-1, 2.5, True, None])
def test_a_rate_that_is_not_a_count_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        respiratory_code(bad)  # type: ignore[arg-type]


def test_rpm_is_computed_from_the_latest_vitals_on_the_card() -> None:
    card = fold(
        CASUALTY,
        [
            make(VitalsRecorded, minute=5, respiratory_rate=16, pulse=80, avpu=Avpu.ALERT),
            make(VitalsRecorded, minute=20, respiratory_rate=30, pulse=130, avpu=Avpu.VOICE),
        ],
    )
    assert rpm_from_card(card) == 3 + 3 + 3


def test_rpm_takes_each_part_from_the_latest_set_that_records_it() -> None:
    card = fold(
        CASUALTY,
        [
            make(VitalsRecorded, minute=5, respiratory_rate=8, avpu=Avpu.PAIN),
            make(VitalsRecorded, minute=6, pulse=150),
        ],
    )
    assert rpm_from_card(card) == 1 + 2 + 2


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"follows_commands": True, "avpu": Avpu.VOICE}, 4),
        ({"gcs": 15}, 4),
        ({"gcs": 3}, 0),
        ({"avpu": Avpu.UNRESPONSIVE}, 0),
        ({"avpu": Avpu.ALERT, "follows_commands": False}, 3),
    ],
)
def test_motor_response_comes_from_commands_gcs_then_avpu(
    findings: dict[str, object], expected: int
) -> None:
    card = fold(CASUALTY, [make(VitalsRecorded, respiratory_rate=16, pulse=80, **findings)])
    assert rpm_from_card(card) == 8 + expected


def test_a_card_without_a_motor_finding_has_no_rpm() -> None:
    card = fold(CASUALTY, [make(VitalsRecorded, respiratory_rate=16, pulse=80, gcs=10)])
    assert rpm_from_card(card) is None


def test_a_card_without_vitals_has_no_rpm() -> None:
    assert rpm_from_card(fold(CASUALTY, [])) is None


def test_the_illustrative_table_rises_with_the_score() -> None:
    assert list(ILLUSTRATIVE_SURVIVAL_BY_RPM) == sorted(ILLUSTRATIVE_SURVIVAL_BY_RPM)
    assert len(ILLUSTRATIVE_SURVIVAL_BY_RPM) == 13


def test_an_unstable_casualty_loses_a_point_every_thirty_minutes() -> None:
    model = SaccoRpm(rpm=8)
    assert [model.rpm_after(m) for m in (0, 29.9, 30, 60, 600)] == [8, 8, 7, 6, 0]
    assert model.probability(0) == ILLUSTRATIVE_SURVIVAL_BY_RPM[8]


def test_a_near_normal_casualty_holds_their_score() -> None:
    assert SaccoRpm(rpm=12).rpm_after(600) == 12


@given(rpm=st.integers(0, 12), a=st.floats(0, 2000), b=st.floats(0, 2000))
def test_sacco_survival_never_rises_with_time(rpm: int, a: float, b: float) -> None:
    early, late = sorted((a, b))
    model = SaccoRpm(rpm=rpm)
    assert model.probability(late) <= model.probability(early)


@pytest.mark.parametrize(
    "fields",
    [
        {"rpm": 13},
        {"rpm": 5, "survival_by_rpm": (0.5,) * 12},
        {"rpm": 5, "survival_by_rpm": tuple(1 - i / 12 for i in range(13))},
        {"rpm": 5, "next_rpm": (1,) * 13},
        {"rpm": 5, "step_min": 0.0},
    ],
)
def test_sacco_model_refuses_inconsistent_tables(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SaccoRpm(**fields)  # type: ignore[arg-type]
