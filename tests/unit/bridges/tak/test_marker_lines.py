"""The bridge files a MEDEVAC with what could be read (issue 12, items 11 and 12).

A WinTAK CASEVAC with freq="0.0" and fifteen patients became one unnamed casualty and no
request; a marker without a time was refused. The messages are the project's own.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from uuid import UUID

from goldenhour.adapters.cot import CotEvent, decode_cot
from goldenhour.bridges.tak.inbound import UNDATED_NOTE, Envelope, marker_events
from goldenhour.bridges.tak.mirror import Mirror
from goldenhour.domain.casualty.events import NoteAdded
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.triage.categories import Precedence

DEVICE = "tak-bridge"
NOW = datetime(2026, 8, 19, 1, 25, tzinfo=UTC)
ENVELOPE = Envelope(
    author="RECEIVER",
    device=DEVICE,
    unit_id=UUID("00000000-0000-4000-8000-000000000001"),
    now=NOW,
)
TIMES = 'time="2026-08-19T01:20:26Z" start="2026-08-19T01:20:26Z" stale="2026-08-20T01:20:26Z"'
# As WinTAK sends a CASEVAC: freq="0.0", precedences A1 B2 C4 D3 E5, list positions.
WINTAK_MEDEVAC = (
    '<_medevac_ casevac="False" title="MED.19.011941" freq="0.0" urgent="1" urgent_surgical="2" '
    'priority="4" routine="3" convenience="5" equipment_none="true" ambulatory="1" security="0" '
    'hlz_marking="3" terrain_none="true" obstacles="None" zone_prot_selection="0"/>'
)


def _marker(medevac: str, *, times: str = TIMES, received: datetime | None = None) -> CotEvent:
    return decode_cot(
        f'<event version="2.0" uid="test-wintak-1" type="b-r-f-h-c" how="h-g-i-g-o" {times}>'
        '<point lat="48.52" lon="37.95" hae="9999999.0" ce="9999999.0" le="9999999.0"/>'
        f'<detail><contact callsign="RECEIVER.1"/>{medevac}</detail></event>',
        received=received,
    )


def _map(marker: CotEvent) -> list[DomainEvent]:
    mirror = Mirror()
    return marker_events(
        marker,
        envelope=ENVELOPE,
        request=None,
        casualties=lambda casualty: mirror.casualty_known(casualty, device=DEVICE),
        previous_point=None,
    )


def test_a_medevac_without_a_usable_frequency_files_the_request_with_every_patient() -> None:
    events = _map(_marker(WINTAK_MEDEVAC))

    kinds = Counter(event.kind for event in events)
    assert kinds["casualty_registered"] == 15
    assert kinds["evacuation_requested"] == 15
    (filed,) = [e for e in events if isinstance(e, EvacuationRequestFiled)]
    assert filed.precedence is Precedence.URGENT
    assert len(filed.casualty_ids) == 15
    assert filed.nine_line is not None
    assert "LINE 2: NO FREQUENCY / RECEIVER.1\n" in filed.nine_line
    assert "LINE 3: A1 B2 C4 D3 E5\n" in filed.nine_line


def test_a_medevac_with_its_lines_written_as_text_files_them_as_list_entries() -> None:
    medevac = (
        '<_medevac_ title="M-1" freq="38.90" urgent="2" priority="1" litter="2" ambulatory="1" '
        'security="N" hlz_marking="Smoke" us_military="2" non_us_military="1"/>'
    )
    (filed,) = [e for e in _map(_marker(medevac)) if isinstance(e, EvacuationRequestFiled)]
    assert filed.nine_line is not None
    assert "LINE 6: N\n" in filed.nine_line
    assert "LINE 7: C\n" in filed.nine_line
    assert "LINE 8: A2 B0 C1 D0 E0\n" in filed.nine_line


def test_a_medevac_without_times_is_filed_dated_when_received_and_says_so() -> None:
    received = datetime(2026, 8, 19, 1, 24, tzinfo=UTC)
    events = _map(_marker(WINTAK_MEDEVAC, times="", received=received))

    (filed,) = [e for e in events if isinstance(e, EvacuationRequestFiled)]
    assert filed.occurred_at == received
    assert filed.dated_on_receipt  # the request itself says its time is the receipt's
    notes = [e for e in events if isinstance(e, NoteAdded)]
    assert len(notes) == 15
    assert all(UNDATED_NOTE in note.text for note in notes)


def test_a_dated_medevac_carries_no_such_note() -> None:
    events = _map(_marker(WINTAK_MEDEVAC))
    notes = [e for e in events if isinstance(e, NoteAdded)]
    assert notes and not any(UNDATED_NOTE in note.text for note in notes)
    (filed,) = [e for e in events if isinstance(e, EvacuationRequestFiled)]
    assert not filed.dated_on_receipt
