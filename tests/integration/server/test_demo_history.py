"""The demo writes weeks of past casualties through the normal ingest; seeding again adds none."""

from __future__ import annotations

from sqlalchemy import Engine

from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.queries import SqlRecords
from goldenhour.cli.wiring import seed_demo
from goldenhour.demo.bilohorivka import demo_id
from goldenhour.demo.scenario import BATTALION, BRIGADE, COMPANY
from goldenhour.domain.access import Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import CardFilter
from goldenhour.services.survival import observations_from_log

PASSWORD = "demo-history-password"


def test_the_demo_history_is_accepted_whole_and_seeding_again_adds_nothing(
    engine: Engine,
) -> None:
    log = SqlEventLog(engine)
    seed_demo(log, PASSWORD)  # raises on any refused event
    without = log.last_seq()
    seed_demo(log, PASSWORD, history_weeks=1)
    with_history = log.last_seq()
    seed_demo(log, PASSWORD, history_weeks=1)
    assert log.last_seq() == with_history
    assert with_history - without > 300  # a week: about a hundred casualties, several events each
    record = observations_from_log(log)
    assert record.casualties >= 60
    assert sum(o.died for o in record.observations) > 5
    assert sum(not o.died for o in record.observations) > 20


def test_the_live_demos_medic_and_coordinator_do_not_see_the_past_weeks(engine: Engine) -> None:
    """The history is a sector of its own: the demo's battalion and company see today only."""
    seed_demo(SqlEventLog(engine), PASSWORD, history_weeks=1)
    records = SqlRecords(engine)

    def seen(username: str, role: Role, unit_path: str) -> int:
        principal = Principal(
            user_id=demo_id(f"user/{username}"), username=username, role=role,
            unit_id=COMPANY, unit_path=unit_path, device="test",
        )  # fmt: skip
        return len(records.list_cards(principal, CardFilter(limit=5000)))

    assert seen("medic", Role.MEDIC, f"/{BRIGADE}/{BATTALION}/{COMPANY}/") == 3
    assert seen("coordinator", Role.COORDINATOR, f"/{BRIGADE}/{BATTALION}/") == 3
    assert seen("admin", Role.ADMIN, f"/{BRIGADE}/") > 60


def test_no_past_request_waits_once_its_casualty_reached_care_or_died(engine: Engine) -> None:
    """The history records no missions; left open, its requests would wait in an administrator's
    queue for hundreds of hours. Those whose casualty reached care or died are closed."""
    seed_demo(SqlEventLog(engine), PASSWORD, history_weeks=1)
    records = SqlRecords(engine)
    admin = Principal(
        user_id=demo_id("user/admin"), username="admin", role=Role.ADMIN, unit_id=BRIGADE,
        unit_path=f"/{BRIGADE}/", device="test",
    )  # fmt: skip
    cards = {
        str(card["casualty_id"]): card
        for card in records.list_cards(admin, CardFilter(limit=5000))
    }  # fmt: skip
    requests = records.list_streams(admin, "request")
    past = [r for r in requests if any(c in cards for c in r.get("casualty_ids", []))]
    assert len(past) > 60
    ended = [
        r for r in past
        if any(cards[c]["status"] in ("handed_over", "closed") for c in r["casualty_ids"])
    ]  # fmt: skip
    assert len(ended) > 50
    assert [r for r in ended if r["status"] != "cancelled"] == []
    assert any(r["status"] == "cancelled" for r in past)
