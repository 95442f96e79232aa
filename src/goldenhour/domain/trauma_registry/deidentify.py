"""The de-identified export: one line per casualty, nothing that names or locates a person.

No names, service or document numbers, free text, device or record ids; the place is the
10 km square; times are minutes from the injury; the date is the ISO week of the injury; each
casualty has a key drawn at random once (``export_key``), stable across exports and unrelated
to the record id.
"""

from __future__ import annotations

from datetime import datetime

from goldenhour.domain.trauma_registry.figures import classify
from goldenhour.domain.trauma_registry.record import RegistryRecord

__all__ = ["EXPORT_COLUMNS", "export_line"]

#: The export's columns, in order.
EXPORT_COLUMNS: tuple[str, ...] = (
    "key", "iso_week", "area_10km", "population", "battle_loss", "mechanisms", "regions",
    "triage_system", "triage_category", "precedence", "tourniquet_count",
    "tourniquet_on_min", "tourniquet_minutes", "tourniquets_open", "drug_classes", "txa",
    "blood_units", "blood_min", "request_min", "pickup_min", "facility_min", "surgery_min",
    "outcome", "registry_outcome", "outcome_min",
)  # fmt: skip


def _minutes(start: datetime | None, moment: datetime | None) -> str:
    if start is None or moment is None:
        return ""
    return str(round((moment - start).total_seconds() / 60))


def export_line(record: RegistryRecord, key: str) -> dict[str, str]:
    """Return the export's line for one row, every value as text (empty when unknown)."""
    start = record.injured_at
    week = ""
    if record.reference_time is not None:
        year, number, _ = record.reference_time.isocalendar()
        week = f"{year}-W{number:02d}"
    flag = {None: "", True: "true", False: "false"}
    return {
        "key": key,
        "iso_week": week,
        "area_10km": record.area or "",
        "population": record.population or "",
        "battle_loss": flag[record.battle_loss],
        "mechanisms": ";".join(record.mechanisms),
        "regions": ";".join(record.regions),
        "triage_system": record.triage_system or "",
        "triage_category": record.triage_category or "",
        "precedence": record.precedence or "",
        "tourniquet_count": str(record.tourniquet_count),
        "tourniquet_on_min": _minutes(start, record.tourniquet_on_at),
        "tourniquet_minutes": (
            "" if record.tourniquet_minutes is None else str(round(record.tourniquet_minutes))
        ),
        "tourniquets_open": str(record.tourniquets_open),
        "drug_classes": ";".join(record.drug_classes),
        "txa": flag[record.txa],
        "blood_units": str(record.blood_units),
        "blood_min": _minutes(start, record.blood_at),
        "request_min": _minutes(start, record.requested_at),
        "pickup_min": _minutes(start, record.picked_up_at),
        "facility_min": _minutes(start, record.arrived_at),
        "surgery_min": _minutes(start, record.surgery_at),
        "outcome": record.outcome or "",
        "registry_outcome": classify(record).value,
        "outcome_min": _minutes(start, record.outcome_at),
    }
