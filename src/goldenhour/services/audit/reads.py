"""Reads recorded in the audit chain, many at once when many readers come together."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from goldenhour.domain.access import Principal
from goldenhour.domain.ports import AuditEntry, EventLog

__all__ = ["ReadAudit", "read_entry"]


def read_entry(
    principal: Principal, *, target_kind: str, target_id: str, action: str = "read",
    detail: str = "", at: datetime,
) -> AuditEntry:  # fmt: skip
    """Return the audit entry of ``principal`` reading (or being refused) a record at ``at``."""
    return AuditEntry(
        at=at, user_id=principal.user_id, username=principal.username,
        role=principal.role.value, unit_id=principal.unit_id, device=principal.device,
        action=action, target_kind=target_kind, target_id=target_id, detail=detail,
    )  # fmt: skip


@dataclass(slots=True)
class _Waiting:
    entry: AuditEntry
    done: bool = False
    error: BaseException | None = None


class ReadAudit:
    """Writes the audit entries of reads, many at once when many readers come together.

    A read is answered only after its entry is committed. When a hundred live-update streams
    wake for the same new event, one thread commits the entries queued meanwhile in one
    transaction (a group commit) instead of a hundred transactions queueing for the write lock.
    """

    def __init__(self, log: EventLog) -> None:
        self._log = log
        self._changed = threading.Condition()
        self._queue: list[_Waiting] = []
        self._writing = False

    def record(self, entry: AuditEntry) -> None:
        """Append ``entry`` to the audit chain; return once it is committed, or raise."""
        mine = _Waiting(entry)
        with self._changed:
            self._queue.append(mine)
            while self._writing and not mine.done:
                self._changed.wait()
            if not mine.done:
                self._writing = True
                batch, self._queue = self._queue, []
        if not mine.done:
            self._write(batch)
        if mine.error is not None:
            raise mine.error

    def _write(self, batch: list[_Waiting]) -> None:
        error: BaseException | None = None
        try:
            with self._log.writer() as writer:
                for waiting in batch:
                    writer.audit(waiting.entry)
        except BaseException as exc:  # every reader of the batch is told, then it propagates
            error = exc
        with self._changed:
            for waiting in batch:
                waiting.done, waiting.error = True, error
            self._writing = False
            self._changed.notify_all()
