"""FHIR handoff: a casualty's events out as a Bundle, a Bundle back in.

The bundle format is an adapter's (``adapters.fhir``); these use cases pick the casualty, check
the history and hand it to the ``BundleCodec`` the wiring builds (``cli.wiring.fhir_bundles``
for ``goldenhour fhir``, ``api.app`` for ``GET /api/v1/casualties/{id}/fhir``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from goldenhour.domain.access import Principal
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.errors import EventCodecError
from goldenhour.domain.ports import AuditRecorder, RecordReader
from goldenhour.services.cards import casualty_history, read_card

__all__ = ["BundleCodec", "export_casualty", "export_record", "one_casualty"]


class BundleCodec(Protocol):
    """Writes a casualty's history as a bundle and reads one back."""

    @property
    def max_bytes(self) -> int:
        """Return the size of the largest bundle ``read`` accepts."""
        ...

    def export(self, events: Iterable[CasualtyEvent], *, casualty_id: UUID) -> dict[str, Any]:
        """Return the casualty's card and full history as a bundle (a JSON-ready dict)."""
        ...

    def read(self, data: bytes) -> list[CasualtyEvent]:
        """Return the events a bundle carries, refusing anything malformed or altered."""
        ...


def one_casualty(events: Sequence[CasualtyEvent], chosen: UUID | None) -> UUID:
    """Return the casualty the events are about: ``chosen``, or the only one.

    Raises ``EventCodecError`` (field ``--casualty``) when ``chosen`` is in no event, or when
    none is chosen and the events are about several casualties.
    """
    found = sorted({event.casualty_id for event in events}, key=str)
    if chosen is not None:
        if chosen not in found:
            raise EventCodecError("--casualty", f"no event in the file is about {chosen}")
        return chosen
    if len(found) > 1:
        raise EventCodecError(
            "--casualty", f"the file holds {len(found)} casualties; name one of: "
            + ", ".join(str(casualty) for casualty in found)
        )  # fmt: skip
    return found[0]


def export_casualty(
    codec: BundleCodec, events: Sequence[CasualtyEvent], *, chosen: UUID | None
) -> dict[str, Any]:
    """Check one casualty's history among ``events`` and return it as a bundle."""
    casualty_id = one_casualty(events, chosen)
    history = casualty_history(events, casualty_id, others=True)
    return codec.export(history.events, casualty_id=casualty_id)


def export_record(
    codec: BundleCodec, records: RecordReader, audits: AuditRecorder, principal: Principal,
    casualty_id: UUID, *, now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """Return a stored casualty's card and history as a bundle, if the principal may open it.

    The read is authorised and audited as ``read_fhir`` (``services.cards.read_card``); a
    casualty out of scope or absent raises ``CasualtyNotFoundError`` after ``denied_read_fhir``.
    """
    found = read_card(records, audits, principal, casualty_id, action="read_fhir", now=now)
    return codec.export(found.history, casualty_id=casualty_id)
