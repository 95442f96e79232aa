"""The audit services on the in-memory log: batched read audit, the chain checked against a head."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from goldenhour.adapters.memory import InMemoryEventLog
from goldenhour.domain.errors import ValidationError
from goldenhour.services.audit import ReadAudit, check_chain, head_text, read_entry
from world import World

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)


def _read(audit: ReadAudit, world: World, n: int) -> None:
    audit.record(read_entry(world.medic, target_kind="casualty", target_id=f"c{n}", at=NOW))


def test_concurrent_reads_are_all_recorded_in_one_whole_chain(
    log: InMemoryEventLog, world: World
) -> None:
    audit = ReadAudit(log)
    before = log.audit_chain().verify().entries
    readers = [threading.Thread(target=_read, args=(audit, world, n)) for n in range(20)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    report = log.audit_chain().verify()
    assert (report.intact, report.entries) == (True, before + 20)
    targets = {row["target_id"] for row in log.state.audit_rows if row["action"] == "read"}
    assert targets == {f"c{n}" for n in range(20)}


def test_a_head_noted_earlier_is_found_unchanged(log: InMemoryEventLog, world: World) -> None:
    audit = ReadAudit(log)
    _read(audit, world, 1)
    noted = head_text(log.audit_chain())
    _read(audit, world, 2)
    report = check_chain(log.audit_chain(), expect_head=noted)
    assert report.intact


def test_a_cut_off_chain_is_caught_by_the_head_noted_earlier(
    log: InMemoryEventLog, world: World
) -> None:
    audit = ReadAudit(log)
    _read(audit, world, 1)
    noted = head_text(log.audit_chain())
    seq = int(noted.split(":")[0])
    del log.state.audit_rows[-1]  # cut off: what is left still fits itself
    assert log.audit_chain().verify().intact
    report = check_chain(log.audit_chain(), expect_head=noted)
    assert (report.intact, report.first_bad_seq) == (False, seq)
    assert report.problem == f"entry {seq} noted earlier is missing: cut off or rewritten"


def test_a_rewritten_entry_is_named(log: InMemoryEventLog, world: World) -> None:
    _read(ReadAudit(log), world, 1)
    noted = head_text(log.audit_chain())
    log.state.audit_rows[0] = {**log.state.audit_rows[0], "detail": "rewritten"}
    report = check_chain(log.audit_chain(), expect_head=noted)
    assert (report.intact, report.first_bad_seq) == (False, 1)
    assert report.problem == "entry 1 was changed after it was written"


def test_a_malformed_head_names_the_option(log: InMemoryEventLog, world: World) -> None:
    _read(ReadAudit(log), world, 1)
    with pytest.raises(ValidationError) as raised:
        check_chain(log.audit_chain(), expect_head="12:short")
    assert raised.value.field == "--expect-head"
