"""Audit: reads recorded in the audit chain (batched), and the chain checked against a head."""

from goldenhour.services.audit.chain import AuditChainBroken, check_chain, head_text
from goldenhour.services.audit.reads import ReadAudit, read_entry

__all__ = ["AuditChainBroken", "ReadAudit", "check_chain", "head_text", "read_entry"]
