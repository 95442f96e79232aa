"""Tourniquet clocks come from the events and a given "now": warnings at 1 h and 2 h."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import (
    TourniquetApplied,
    TourniquetConverted,
    TourniquetRemoved,
)
from goldenhour.domain.casualty.vocabulary import Limb
from goldenhour.domain.tourniquet.clock import (
    TourniquetAlert,
    format_elapsed,
    tourniquet_clocks,
)

from builders import CASUALTY, at, make

APPLIED = make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG, location="above the knee")


@pytest.mark.parametrize(
    ("minutes_after_injury", "alert", "elapsed_minutes"),
    [
        (2, TourniquetAlert.OK, 0),
        (61, TourniquetAlert.OK, 59),
        (62, TourniquetAlert.WARNING, 60),
        (121, TourniquetAlert.WARNING, 119),
        (122, TourniquetAlert.CRITICAL, 120),
        (600, TourniquetAlert.CRITICAL, 598),
    ],
)
def test_a_running_tourniquet_warns_at_one_hour_and_alarms_at_two(
    minutes_after_injury: int, alert: TourniquetAlert, elapsed_minutes: int
) -> None:
    (clock,) = tourniquet_clocks(fold(CASUALTY, [APPLIED]), now=at(minutes_after_injury))
    assert (clock.alert, clock.elapsed_minutes, clock.running) == (alert, elapsed_minutes, True)


def test_the_next_alert_is_the_next_threshold_while_it_runs() -> None:
    card = fold(CASUALTY, [APPLIED])
    assert tourniquet_clocks(card, now=at(10))[0].next_alert_at == at(62)
    assert tourniquet_clocks(card, now=at(70))[0].next_alert_at == at(122)
    assert tourniquet_clocks(card, now=at(130))[0].next_alert_at is None


def test_a_removed_tourniquet_stops_its_clock_and_keeps_its_total_time() -> None:
    removed = make(TourniquetRemoved, minute=137, application_id=APPLIED.event_id)
    (clock,) = tourniquet_clocks(fold(CASUALTY, [APPLIED, removed]), now=at(500))
    assert (clock.running, clock.elapsed, clock.alert) == (
        False, timedelta(minutes=135), TourniquetAlert.CRITICAL,
    )  # fmt: skip
    assert clock.next_alert_at is None


def test_a_removal_after_now_does_not_stop_the_clock_yet() -> None:
    removed = make(TourniquetRemoved, minute=90, application_id=APPLIED.event_id)
    (clock,) = tourniquet_clocks(fold(CASUALTY, [APPLIED, removed]), now=at(70))
    assert clock.running and clock.elapsed_minutes == 68


def test_a_conversion_stops_the_clock() -> None:
    converted = make(TourniquetConverted, minute=47, application_id=APPLIED.event_id)
    (clock,) = tourniquet_clocks(fold(CASUALTY, [APPLIED, converted]), now=at(300))
    assert (clock.running, clock.elapsed_minutes, clock.alert) == (False, 45, TourniquetAlert.OK)


def test_each_limb_has_its_own_clock_in_the_order_they_went_on() -> None:
    arm = make(TourniquetApplied, minute=20, limb=Limb.RIGHT_ARM)
    clocks = tourniquet_clocks(fold(CASUALTY, [arm, APPLIED]), now=at(70))
    assert [(c.limb, c.alert) for c in clocks] == [
        (Limb.LEFT_LEG, TourniquetAlert.WARNING), (Limb.RIGHT_ARM, TourniquetAlert.OK),
    ]  # fmt: skip


@given(now=st.integers(0, 24 * 60))
def test_the_clock_is_a_pure_function_of_now(now: int) -> None:
    card = fold(CASUALTY, [APPLIED])
    first = tourniquet_clocks(card, now=at(now))
    assert first == tourniquet_clocks(card, now=at(now))
    assert first[0].elapsed == max(at(now) - at(2), timedelta(0))


def test_elapsed_time_reads_as_hours_and_minutes() -> None:
    assert format_elapsed(timedelta(minutes=67)) == "1 h 07 min"
    assert format_elapsed(timedelta(minutes=43, seconds=59)) == "43 min"
