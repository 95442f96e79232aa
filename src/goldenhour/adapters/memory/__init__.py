"""In-memory adapters: the event log and the other ports, for tests and a server-less run.

They keep the same contract as the SQL adapters (``tests/integration/server/
test_event_log_contract.py`` runs the same tests on both), so a use case tested on these fakes
behaves the same on SQLite and PostgreSQL.
"""

from goldenhour.adapters.memory.event_log import InMemoryAuditChain, InMemoryEventLog, Rejected
from goldenhour.adapters.memory.ports import (
    InMemoryAudits,
    InMemoryRecords,
    InMemoryTokens,
    InMemoryUserAccounts,
    PlainPasswords,
)

__all__ = ["InMemoryAuditChain", "InMemoryAudits", "InMemoryEventLog", "InMemoryRecords",
           "InMemoryTokens", "InMemoryUserAccounts", "PlainPasswords", "Rejected"]  # fmt: skip
