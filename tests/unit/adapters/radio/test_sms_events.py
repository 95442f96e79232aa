"""A decoded SMS as events: one record per casualty, the request last, ids from sender and text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from goldenhour.adapters.radio import (
    CasualtyHandover,
    CompactMessage,
    LastVitals,
    TourniquetTime,
    decode_sms,
    encode_sms,
)
from goldenhour.adapters.radio.sms_events import SmsEnvelope, message_key, sms_events
from goldenhour.domain.casualty.events import (
    EvacuationRequested,
    TourniquetApplied,
    VitalsRecorded,
)
from goldenhour.domain.casualty.vocabulary import EvacuationPosition, Limb
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line_text import parse_nine_line
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.triage.categories import NatoCategory, Precedence

RECEIVED = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
APPLIED = RECEIVED - timedelta(minutes=20)
ENVELOPE = SmsEnvelope(
    sender="+380501234567", author="medic",
    unit_id=UUID("00000000-0000-4000-8000-000000000001"), received_at=RECEIVED,
)  # fmt: skip


def two_casualties() -> str:
    """Return the SMS of an urgent litter casualty with a tourniquet and a priority walker."""
    request = parse_nine_line(
        "1 37UDQ4356118531\n2 38.9/KALYNA 21\n3 A1C1\n5 L1A1", check_totals=False
    )
    first = CasualtyHandover(
        mist=Mist(zap="KA-1"), triage=NatoCategory.T1,
        tourniquets=(TourniquetTime(limb=Limb.LEFT_LEG, applied_at=APPLIED),),
        vitals=LastVitals(taken_at=RECEIVED - timedelta(minutes=5), pulse=118),
    )  # fmt: skip
    second = CasualtyHandover(mist=Mist(zap="KA-2"), triage=NatoCategory.T3)
    return encode_sms(CompactMessage(request=request, casualties=(first, second)))


def test_each_casualty_gets_its_share_of_the_nine_line_and_the_request_comes_last() -> None:
    """Line 3 and line 5 are handed out in order: the first casualty urgent on a litter."""
    text = two_casualties()
    events = sms_events(decode_sms(text), key=message_key(ENVELOPE.sender, text), envelope=ENVELOPE)
    evacuations = [e for e in events if isinstance(e, EvacuationRequested)]
    assert [(e.precedence, e.position) for e in evacuations] == [
        (Precedence.URGENT, EvacuationPosition.LITTER),
        (Precedence.PRIORITY, EvacuationPosition.SEATED),
    ]
    filed = events[-1]
    assert isinstance(filed, EvacuationRequestFiled)
    assert filed.casualty_ids == tuple(e.casualty_id for e in evacuations)
    assert filed.precedence is Precedence.URGENT and filed.unit_id == ENVELOPE.unit_id
    (tourniquet,) = [e for e in events if isinstance(e, TourniquetApplied)]
    assert tourniquet.occurred_at == APPLIED
    (vitals,) = [e for e in events if isinstance(e, VitalsRecorded)]
    assert vitals.pulse == 118
    assert {e.author for e in events} == {"medic"} and {e.recorded_at for e in events} == {RECEIVED}


def test_the_same_text_makes_the_same_ids_and_another_sender_other_ids() -> None:
    """Line endings do not change the key; the sender does."""
    text = two_casualties()
    message = decode_sms(text)
    once = sms_events(message, key=message_key(ENVELOPE.sender, text), envelope=ENVELOPE)
    crlf = text.replace("\n", "\r\n") + "\r\n"
    again = sms_events(message, key=message_key(ENVELOPE.sender, crlf), envelope=ENVELOPE)
    other = sms_events(message, key=message_key("+380000000000", text), envelope=ENVELOPE)
    assert [e.event_id for e in once] == [e.event_id for e in again]
    assert not {e.event_id for e in once} & {e.event_id for e in other}
