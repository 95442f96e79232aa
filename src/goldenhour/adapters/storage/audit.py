"""The audit chain: append-only, each entry hashing the one before, verifiable end to end.

An entry's hash is SHA-256 over the previous entry's hash and the entry's own fields in a fixed
JSON form. Changing, removing or reordering any entry breaks every hash after it;
``verify_chain`` names the first entry that does not fit. Cutting entries off the end, or
rewriting the whole chain with fresh hashes, leaves a chain that fits itself: to catch that,
note the head (``chain_head``) somewhere else, e.g. in the operations log, and check it later.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from goldenhour.adapters.storage.tables import audit_log
from goldenhour.domain.ports import AuditEntry, ChainReport

#: The "previous hash" of the first entry.
GENESIS = "0" * 64

#: Built once: the values go in as parameters, so SQLAlchemy reuses the compiled statement.
_INSERT_ENTRY = audit_log.insert()

_FIELDS = ("seq", "at", "user_id", "username", "role", "unit_id", "device", "action",
           "target_kind", "target_id", "detail")  # fmt: skip


def entry_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """Return the hash of an entry given the previous entry's hash."""
    body = json.dumps({name: row[name] for name in _FIELDS}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def append_entry(connection: Connection, entry: AuditEntry) -> int:
    """Append ``entry`` to the chain inside the caller's write transaction; return its seq.

    The caller's transaction holds the database's write lock (SQLite BEGIN IMMEDIATE, or the
    PostgreSQL advisory lock taken by the log writer), so two entries never share a parent.
    """
    row = chained_row(entry, head=chain_head(connection))
    insert_rows(connection, [row])
    seq: int = row["seq"]
    return seq


def chain_head(connection: Connection) -> tuple[int, str]:
    """Return the seq and hash of the last entry of the chain (0 and ``GENESIS`` if empty)."""
    stored = connection.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    return (stored.seq, stored.hash) if stored is not None else (0, GENESIS)


def chained_row(entry: AuditEntry, *, head: tuple[int, str]) -> dict[str, Any]:
    """Return the row that appends ``entry`` after ``head`` (seq and hash), hashes included.

    A writer that appends several entries in one transaction chains each row to the one before
    and inserts them together (``insert_rows``): the head is read once per transaction.
    """
    seq, prev_hash = head[0] + 1, head[1]
    row: dict[str, Any] = {
        "seq": seq,
        "at": entry.at.isoformat(),
        "user_id": str(entry.user_id) if entry.user_id else None,
        "username": entry.username,
        "role": entry.role,
        "unit_id": str(entry.unit_id) if entry.unit_id else None,
        "device": entry.device,
        "action": entry.action,
        "target_kind": entry.target_kind,
        "target_id": entry.target_id,
        "detail": entry.detail,
    }
    return {**row, "prev_hash": prev_hash, "hash": entry_hash(prev_hash, row)}


def insert_rows(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert rows made by ``chained_row``, in chain order, in the caller's write transaction."""
    connection.execute(_INSERT_ENTRY, rows)


def verify_chain(connection: Connection, *, batch: int = 5000) -> ChainReport:
    """Walk the chain in order and report the first entry that was changed, removed or moved."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    last_seen = 0
    while True:
        query = select(audit_log).where(audit_log.c.seq > last_seen).order_by(audit_log.c.seq)
        rows = connection.execute(query.limit(batch)).mappings().all()
        if not rows:
            break
        for row in rows:
            count += 1
            if row["seq"] != expected_seq:
                return ChainReport(
                    entries=count,
                    first_bad_seq=expected_seq,
                    problem=f"entry {expected_seq} is missing (next is {row['seq']})",
                )
            if row["prev_hash"] != prev_hash:
                return ChainReport(
                    entries=count,
                    first_bad_seq=row["seq"],
                    problem=f"entry {row['seq']} does not follow entry {row['seq'] - 1}",
                )
            if entry_hash(prev_hash, dict(row)) != row["hash"]:
                return ChainReport(
                    entries=count,
                    first_bad_seq=row["seq"],
                    problem=f"entry {row['seq']} was changed after it was written",
                )
            prev_hash, expected_seq = row["hash"], expected_seq + 1
            last_seen = row["seq"]
    return ChainReport(entries=count)


def entry_hash_at(connection: Connection, seq: int) -> str | None:
    """Return the stored hash of entry ``seq``, if it exists."""
    found: str | None = connection.execute(
        select(audit_log.c.hash).where(audit_log.c.seq == seq)
    ).scalar()
    return found


def chain_length(connection: Connection) -> int:
    """Return the number of entries in the chain."""
    return int(connection.execute(select(func.count()).select_from(audit_log)).scalar_one())


class SqlAuditChain:
    """The audit chain in the database, read back to be checked (``domain.ports.AuditChain``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def verify(self) -> ChainReport:
        """Walk the chain in order and report the first entry that does not fit."""
        with self.engine.connect() as connection:
            return verify_chain(connection)

    def entry_hash_at(self, seq: int) -> str | None:
        """Return the stored hash of entry ``seq``, if it exists."""
        with self.engine.connect() as connection:
            return entry_hash_at(connection, seq)

    def head(self) -> tuple[int, str]:
        """Return the newest entry's place and hash (``(0, GENESIS)`` when empty)."""
        with self.engine.connect() as connection:
            return chain_head(connection)
