"""Casualty histories that say what simulated survival observations say, for the fit's tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    HandedOver,
    OutcomeRecorded,
    TriageAssessed,
)
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.codec import encode_event
from goldenhour.domain.survival.observations import SurvivalObservation
from goldenhour.domain.triage.categories import NatoCategory, StartCategory, TriageSystem

FIRST_INJURY = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
_NATO = {
    StartCategory.IMMEDIATE: NatoCategory.T1,
    StartCategory.DELAYED: NatoCategory.T2,
    StartCategory.MINOR: NatoCategory.T3,
}


def history_for(observation: SurvivalObservation, index: int) -> list[CasualtyEvent]:
    """Return a history whose card gives back ``observation``: registered, triaged, then a
    death at its time or a handover (the last moment known alive) at its time."""
    casualty = uuid.uuid5(uuid.NAMESPACE_URL, f"goldenhour-test/survival/{index}")
    injured = FIRST_INJURY + timedelta(hours=index)
    end = injured + timedelta(minutes=observation.minutes)

    def envelope(name: str, moment: datetime) -> dict[str, Any]:
        return {
            "event_id": uuid.uuid5(casualty, name), "casualty_id": casualty,
            "occurred_at": moment, "recorded_at": end + timedelta(minutes=1),
            "author": "medic", "device": "phone-1",
        }  # fmt: skip

    events: list[CasualtyEvent] = [
        CasualtyRegistered(**envelope("registered", injured), injured_at=injured),
        TriageAssessed(
            **envelope("triage", injured),
            system=TriageSystem.NATO,
            category=_NATO[observation.category],
        ),  # fmt: skip
    ]
    if observation.died:
        events.append(OutcomeRecorded(**envelope("outcome", end),
                                      outcome=Outcome.KILLED_IN_ACTION))  # fmt: skip
    else:
        events.append(HandedOver(**envelope("handover", end), to_stage="Role 2"))
    return events


def wire_events(observations: Iterable[SurvivalObservation]) -> list[dict[str, Any]]:
    """Return every history's events in the wire form, as a JSON file would hold them."""
    return [
        encode_event(event)
        for index, observation in enumerate(observations)
        for event in history_for(observation, index)
    ]
