"""Sync: take batches of events from devices and nodes into the log (``submit_events``)."""

from goldenhour.services.sync.ingest import Outcome, SubmissionResult, content_hash, submit_events

__all__ = ["Outcome", "SubmissionResult", "content_hash", "submit_events"]
