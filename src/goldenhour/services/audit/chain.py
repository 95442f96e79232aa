"""Check the audit chain: every entry fits the one before, and a head noted earlier is still there.

A chain cut off at the end, or rewritten whole with fresh hashes, still fits itself; only a head
noted outside the database (``head_text``) and checked later (``check_chain``) catches that.
"""

from __future__ import annotations

from goldenhour.domain.errors import GoldenHourError, ValidationError
from goldenhour.domain.ports import AuditChain, ChainReport

__all__ = ["AuditChainBroken", "check_chain", "head_text"]


class AuditChainBroken(GoldenHourError, ValueError):
    """The audit chain has a changed, removed or reordered entry."""


def head_text(chain: AuditChain) -> str:
    """Return the newest entry as ``SEQ:HASH``, to note outside the database and check later."""
    seq, digest = chain.head()
    return f"{seq}:{digest}"


def check_chain(chain: AuditChain, *, expect_head: str | None = None) -> ChainReport:
    """Verify the chain and, if it is whole, that the entry noted as ``expect_head`` is unchanged.

    ``expect_head`` is ``SEQ:HASH`` as ``head_text`` gave it; anything else is a
    ``ValidationError`` naming ``--expect-head``. A missing or changed noted entry is reported as
    the chain's first bad entry.
    """
    report = chain.verify()
    if not report.intact or expect_head is None:
        return report
    seq_text, _, expected = expect_head.partition(":")
    if not seq_text.isdigit() or len(expected) != 64:
        raise ValidationError("--expect-head", "give SEQ:HASH as 'audit head' prints it")
    found = chain.entry_hash_at(int(seq_text))
    if found == expected:
        return report
    state = "is missing" if found is None else "has another hash"
    return ChainReport(
        entries=report.entries, first_bad_seq=int(seq_text),
        problem=f"entry {seq_text} noted earlier {state}: cut off or rewritten",
    )  # fmt: skip
