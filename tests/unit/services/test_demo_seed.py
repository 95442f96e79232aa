"""Seeding the demo through its service, on the in-memory fakes: again changes nothing."""

from __future__ import annotations

from goldenhour.adapters.memory import InMemoryEventLog, InMemoryUserAccounts, PlainPasswords
from goldenhour.demo.scenario import DEMO_USERS
from goldenhour.services.demo_seed import seed_demo


def test_the_demo_is_seeded_once_and_a_changed_password_is_set_back() -> None:
    log = InMemoryEventLog()
    accounts, passwords = InMemoryUserAccounts(log), PlainPasswords()
    seed_demo(log, accounts, passwords, "first")  # raises on any refused event
    seeded = log.last_seq()
    assert seeded > len(DEMO_USERS)
    for user in DEMO_USERS:
        found = accounts.by_name(user.username)
        assert found is not None and passwords.verify(found.password_hash, "first")
    seed_demo(log, accounts, passwords, "first")
    assert log.last_seq() == seeded
    seed_demo(log, accounts, passwords, "second")
    assert log.last_seq() == seeded + len(DEMO_USERS)  # one password change per user
    medic = accounts.by_name("medic")
    assert medic is not None and passwords.verify(medic.password_hash, "second")
