"""The demo casualty from the seed: wounded near Bilohorivka, tourniquet above the knee."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goldenhour.demo.bilohorivka import (
    DEMO_CASUALTY_ID,
    DEMO_RADIO,
    PICKUP_SITE,
    demo_casualty_events,
)
from goldenhour.domain.casualty.card import CardStatus
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.casualty.vocabulary import Limb, Mechanism
from goldenhour.domain.geo.mgrs import parse_mgrs
from goldenhour.domain.medevac.from_card import mist_from_card, nine_line_from_cards
from goldenhour.domain.medevac.mist import encode_mist, parse_mist
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line
from goldenhour.domain.tourniquet.clock import TourniquetAlert, tourniquet_clocks
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem
from goldenhour.domain.triage.suggest import current_triage

INJURED_AT = datetime(2022, 6, 14, 12, 30, tzinfo=UTC)
NOW = INJURED_AT + timedelta(minutes=45)


@pytest.fixture
def history() -> CasualtyHistory:
    history = CasualtyHistory(DEMO_CASUALTY_ID)
    for event in demo_casualty_events(injured_at=INJURED_AT):
        history.append(event, now=NOW)
    return history


def test_his_card_holds_the_wound_the_tourniquet_and_the_request(history: CasualtyHistory) -> None:
    card = history.card()
    print(card)
    assert card.identity.battle_roster == "AP4821"
    assert card.mechanisms == frozenset({Mechanism.ARTILLERY})
    (tourniquet,) = card.tourniquets
    assert (tourniquet.limb, tourniquet.location) == (Limb.LEFT_LEG, "above the knee")
    assert card.status is CardStatus.AWAITING_EVACUATION
    assert current_triage(card, TriageSystem.NATO).category is NatoCategory.T1
    assert card.evacuation_requests[0].precedence is Precedence.URGENT_SURGICAL


def test_his_tourniquet_clock_runs_from_two_minutes_after_the_hit(history: CasualtyHistory) -> None:
    card = history.card()
    (clock,) = tourniquet_clocks(card, now=NOW)
    print(clock)
    assert (clock.elapsed_minutes, clock.alert, clock.running) == (43, TourniquetAlert.OK, True)
    (later,) = tourniquet_clocks(card, now=INJURED_AT + timedelta(minutes=125))
    assert later.alert is TourniquetAlert.CRITICAL


def test_his_nine_line_names_the_guarded_pickup_under_fire(history: CasualtyHistory) -> None:
    request = nine_line_from_cards(
        [history.card()], pickup=PICKUP_SITE, frequency=DEMO_RADIO.frequency,
        call_sign=DEMO_RADIO.call_sign, security=DEMO_RADIO.security, marking=DEMO_RADIO.marking,
    )  # fmt: skip
    text = encode_nine_line(request)
    print(text)
    assert text == (
        "LINE 1: 37U DQ 4356 1853\n"
        "LINE 2: 38.900 MHZ / KALYNA 21\n"
        "LINE 3: A0 B1 C0 D0 E0\n"
        "LINE 4: A\n"
        "LINE 5: L1 A0\n"
        "LINE 6: E\n"
        "LINE 7: D\n"
        "LINE 8: A1 B0 C0 D0 E0\n"
        "LINE 9: NONE\n"
    )
    assert parse_nine_line(text) == request
    centre = parse_mgrs(request.location)
    assert abs(centre.lat - PICKUP_SITE.lat) < 1e-4 and abs(centre.lon - PICKUP_SITE.lon) < 1e-4


def test_his_mist_reads_the_tourniquet_time_and_the_vitals_trend(history: CasualtyHistory) -> None:
    mist = mist_from_card(history.card(), now=NOW)
    text = encode_mist(mist)
    print(text)
    assert text.splitlines()[:4] == [
        "MIST Z: AP4821", "AGE: 34", "TIME: 141230ZJUN22", "M: artillery",
    ]  # fmt: skip
    assert mist.injuries == (
        "left thigh (front): fragment, vascular (shell fragment wound, arterial bleeding)",
    )
    assert [s.split(" P ")[0] for s in mist.signs[:2]] == ["1235Z", "1250Z"]
    assert mist.treatment[0] == "TQ left leg above the knee 1232Z CAT, on 43 min"
    assert "TXA 2 g IV 1237Z" in mist.treatment
    assert parse_mist(text) == mist


def test_building_the_scenario_twice_gives_the_same_events() -> None:
    assert demo_casualty_events(injured_at=INJURED_AT) == demo_casualty_events(
        injured_at=INJURED_AT
    )
