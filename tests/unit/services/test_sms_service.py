"""An SMS through the service: who it speaks for, its events filed once, every receipt audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goldenhour.adapters.memory import InMemoryAudits, InMemoryEventLog, InMemoryRecords
from goldenhour.adapters.radio import CasualtyHandover, CompactMessage, encode_sms
from goldenhour.adapters.radio.sms_events import SmsRequests
from goldenhour.domain.access import Principal
from goldenhour.domain.casualty.limits import EARLIEST_EVENT_DATE
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line_text import parse_nine_line
from goldenhour.services.sms import IncomingSms, UnknownSender, receive_sms
from goldenhour.services.sync import Outcome
from world import World

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)
PHONE = "+380501234567"
NINE_LINE = "1 37UDQ4356118531\n2 38.9/KALYNA 21\n3 A1\n4 A\n5 L1A0\n6 E\n7 D\n9 NONE"


class _Users:
    """The one port method the SMS service asks of the token store: a user's principal."""

    def __init__(self, world: World) -> None:
        self.by_name = {"medic": world.medic}

    def principal_of_user(self, username: str, *, device: str) -> Principal | None:
        found = self.by_name.get(username)
        return None if found is None else Principal(
            user_id=found.user_id, username=found.username, role=found.role,
            unit_id=found.unit_id, unit_path=found.unit_path, device=device,
        )  # fmt: skip


def _text() -> str:
    request = parse_nine_line(NINE_LINE, check_totals=False)
    mist = Mist(zap="KA-1234", mechanism=("artillery",))
    return encode_sms(CompactMessage(request=request, casualties=(CasualtyHandover(mist=mist),)))


def _receive(
    log: InMemoryEventLog, world: World, text: str, *, sender: str = PHONE
) -> tuple[Principal, list[Outcome]]:
    principal, results = receive_sms(
        SmsRequests(), log, InMemoryRecords(log), _Users(world),  # type: ignore[arg-type]
        InMemoryAudits(log),
        IncomingSms(sender=sender, text=text, received_at=NOW - timedelta(minutes=1)),
        senders={PHONE: "medic"}, now=NOW, max_skew=timedelta(minutes=5),
        earliest=EARLIEST_EVENT_DATE,
    )  # fmt: skip
    return principal, [result.outcome for result in results]


def test_an_sms_is_filed_as_the_mapped_user_once_and_each_receipt_is_audited(
    log: InMemoryEventLog, world: World
) -> None:
    principal, first = _receive(log, world, _text())
    _, again = _receive(log, world, _text())
    assert principal.username == "medic" and principal.device == f"sms:{PHONE}"
    assert first and set(first) == {Outcome.ACCEPTED}
    assert set(again) == {Outcome.DUPLICATE}
    received = [e for e in InMemoryAudits(log).entries() if e["action"] == "sms_received"]
    assert [e["username"] for e in received] == ["medic", "medic"]
    assert received[1]["detail"] == f"{PHONE}: 0 accepted, {len(again)} duplicate, 0 refused"


def test_an_unknown_number_is_refused_and_audited_with_no_user(
    log: InMemoryEventLog, world: World
) -> None:
    stored = log.last_seq()
    with pytest.raises(UnknownSender, match=r"\+380000000000 is not a number"):
        _receive(log, world, _text(), sender="+380000000000")
    refused = InMemoryAudits(log).entries()[-1]
    assert refused["action"] == "sms_refused" and refused["user_id"] is None
    assert refused["username"] == "(unknown sender)"
    assert refused["detail"] == "+380000000000: not mapped to a user"
    assert log.last_seq() == stored


def test_a_garbled_sms_names_its_field_stores_nothing_and_is_audited(
    log: InMemoryEventLog, world: World
) -> None:
    stored = log.last_seq()
    garbled = _text().replace("KALYNA", "KALINA")
    with pytest.raises(ValidationError) as refused:
        _receive(log, world, garbled)
    assert refused.value.field == "checksum"
    entry = InMemoryAudits(log).entries()[-1]
    assert entry["action"] == "sms_refused" and entry["username"] == "medic"
    assert entry["detail"] == f"{PHONE}: checksum"
    assert log.last_seq() == stored
