"""The database schema (SQLAlchemy Core). Alembic migrations in migrations/ create it.

``events`` is the log: append-only, its ``seq`` the cursor devices and nodes sync by. Every table
after it except ``tokens``, ``audit_log`` and ``rejected_events`` is a projection that
``goldenhour db rebuild`` recreates from the log.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite's rowid alias must be INTEGER; PostgreSQL gets a 64-bit sequence.
_SEQ = BigInteger().with_variant(Integer, "sqlite")
_UUID = String(36)
_TIME = String(40)  # ISO 8601 in UTC: sorts as text, reads the same on every engine

events = Table(
    "events",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("event_id", _UUID, nullable=False, unique=True),
    Column("stream", String(16), nullable=False),
    Column("stream_id", _UUID, nullable=False),
    Column("kind", String(48), nullable=False),
    Column("scope_unit", _UUID, nullable=True),
    Column("content_hash", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("occurred_at", _TIME, nullable=False),
    Column("received_at", _TIME, nullable=False),
    Column("submitted_by", _UUID, nullable=True),
    Column("device", String(128), nullable=False),
)
Index("ix_events_stream", events.c.stream, events.c.stream_id, events.c.seq)
Index("ix_events_scope", events.c.scope_unit, events.c.seq)

rejected_events = Table(
    "rejected_events",
    metadata,
    Column("id", _SEQ, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=True),
    Column("outcome", String(16), nullable=False),
    Column("field", String(128), nullable=True),
    Column("reason", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("received_at", _TIME, nullable=False),
    Column("submitted_by", _UUID, nullable=True),
    Column("device", String(128), nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("unit_id", _UUID, primary_key=True),
    Column("parent_id", _UUID, nullable=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("path", Text, nullable=False),  # "/root/…/unit/": a subtree is a path prefix
)
Index("ix_units_path", units.c.path)

users = Table(
    "users",
    metadata,
    Column("user_id", _UUID, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("unit_id", _UUID, nullable=False),
    Column("facility_id", _UUID, nullable=True),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

streams = Table(
    "streams",
    metadata,
    Column("stream", String(16), primary_key=True),
    Column("stream_id", _UUID, primary_key=True),
    Column("scope_unit", _UUID, nullable=True),
    Column("state", Text, nullable=False),
    Column("updated_seq", _SEQ, nullable=False),
    Column("updated_at", _TIME, nullable=False),
    # The record's ``status`` from its state, when it has one (revision 0006_plan_facts): the
    # live plan reads only the open requests and the active missions.
    Column("status", String(32), nullable=True),
)
Index("ix_streams_scope", streams.c.stream, streams.c.scope_unit)
Index("ix_streams_updated", streams.c.stream, streams.c.updated_seq)
Index("ix_streams_status", streams.c.stream, streams.c.status, streams.c.updated_seq)

# Which casualties each evacuation request names (revision 0007_request_progress), by casualty:
# a casualty's card changing finds the requests whose status it may move without reading
# every request.
request_casualties = Table(
    "request_casualties",
    metadata,
    Column("casualty_id", _UUID, primary_key=True),
    Column("request_id", _UUID, primary_key=True),
)
Index("ix_request_casualties_request", request_casualties.c.request_id)

casualty_cards = Table(
    "casualty_cards",
    metadata,
    Column("casualty_id", _UUID, primary_key=True),
    Column("scope_unit", _UUID, nullable=True),
    Column("status", String(32), nullable=False),
    Column("precedence", String(1), nullable=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("updated_seq", _SEQ, nullable=False),
    Column("updated_at", _TIME, nullable=False),
    Column("card", Text, nullable=False),
    # What the live plan needs of the casualty (``domain.medevac.waiting``), folded with the card
    # so that a plan reads it and folds nothing (revision 0006_plan_facts).
    Column("evacuation", Text, nullable=True),
    # When the casualty was last handed over, or their card closed (died, returned to duty);
    # none while they wait: a request filed before it is served (revision 0007_request_progress).
    Column("delivered_at", _TIME, nullable=True),
)
Index("ix_casualty_cards_scope", casualty_cards.c.scope_unit, casualty_cards.c.updated_seq)
# The orders and filters the reads use (issue 19): the newest changes first, of one status or
# precedence, in a viewport. The unit is in the first two so the scope is checked in the index.
Index("ix_casualty_cards_updated", casualty_cards.c.updated_seq, casualty_cards.c.scope_unit)
Index(
    "ix_casualty_cards_status",
    casualty_cards.c.status, casualty_cards.c.updated_seq, casualty_cards.c.scope_unit,
)  # fmt: skip
Index("ix_casualty_cards_precedence", casualty_cards.c.precedence, casualty_cards.c.updated_seq)
Index("ix_casualty_cards_position", casualty_cards.c.lon, casualty_cards.c.lat)

# Which facility may see which record: a casualty, request or mission sent there by a mission,
# or a casualty handed over to it. A mission also links what it carries to the crew of its
# vehicle: then ``facility_id`` holds the crew's unit id (ids never collide: both are UUIDs).
facility_links = Table(
    "facility_links",
    metadata,
    Column("stream", String(16), primary_key=True),
    Column("stream_id", _UUID, primary_key=True),
    Column("facility_id", _UUID, primary_key=True),
    Column("since_seq", _SEQ, nullable=False),
)
Index("ix_facility_links_facility", facility_links.c.facility_id, facility_links.c.stream)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", _UUID, nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # "bearer", "device" or "ticket"
    Column("device", String(128), nullable=False),
    Column("issued_at", _TIME, nullable=False),
    Column("expires_at", _TIME, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    # A stream ticket's: the hash of the token it was issued against (revision 0003).
    Column("parent_hash", String(64), nullable=True),
    # Revoked because the phone was reported lost: it is told to wipe itself (revision 0004).
    Column("lost", Boolean, nullable=False, default=False, server_default=false()),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=False),
    Column("at", _TIME, nullable=False),
    Column("user_id", _UUID, nullable=True),
    Column("username", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("unit_id", _UUID, nullable=True),
    Column("device", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target_kind", String(16), nullable=False),
    Column("target_id", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# The trauma registry (docs/registry.md, revision 0005_registry): one row per casualty with
# what the registry's figures need, written with the casualty's card.
registry_rows = Table(
    "registry_rows",
    metadata,
    Column("casualty_id", _UUID, primary_key=True),
    Column("unit_id", _UUID, nullable=True),
    Column("area", String(16), nullable=True),
    Column("population", String(16), nullable=True),
    Column("battle_loss", Boolean, nullable=True),
    Column("injured_at", _TIME, nullable=True),
    Column("first_event_at", _TIME, nullable=True),
    Column("reference_at", _TIME, nullable=True),
    Column("mechanisms", Text, nullable=False),
    Column("regions", Text, nullable=False),
    Column("triage_system", String(16), nullable=True),
    Column("triage_category", String(16), nullable=True),
    Column("precedence", String(1), nullable=True),
    Column("tourniquet_count", Integer, nullable=False),
    Column("tourniquet_on_at", _TIME, nullable=True),
    Column("tourniquet_off_at", _TIME, nullable=True),
    Column("tourniquet_minutes", Float, nullable=True),
    Column("tourniquets_open", Integer, nullable=False),
    Column("drug_classes", Text, nullable=False),
    Column("txa", Boolean, nullable=False),
    Column("blood_units", Integer, nullable=False),
    Column("blood_at", _TIME, nullable=True),
    Column("requested_at", _TIME, nullable=True),
    Column("picked_up_at", _TIME, nullable=True),
    Column("arrived_at", _TIME, nullable=True),
    Column("surgery_at", _TIME, nullable=True),
    Column("outcome", String(32), nullable=True),
    Column("outcome_at", _TIME, nullable=True),
    Column("newest_input_at", _TIME, nullable=True),
    # What the row brings to the figures (figures.row_facts), kept typed so that a summary
    # counts in SQL: the registry category, the UTC day, the cells, the chain in minutes.
    Column("category", String(16), nullable=False),
    Column("reference_day", String(10), nullable=True),
    Column("triage_cell", String(16), nullable=False),
    Column("tourniquet_cell", String(16), nullable=True),
    Column("tourniquet_over_2h", Boolean, nullable=False),
    Column("injury_to_tourniquet_minutes", Float, nullable=True),
    Column("injury_to_request_minutes", Float, nullable=True),
    Column("request_to_pickup_minutes", Float, nullable=True),
    Column("pickup_to_facility_minutes", Float, nullable=True),
    Column("facility_to_surgery_minutes", Float, nullable=True),
    Column("injury_to_facility_minutes", Float, nullable=True),
    Column("updated_seq", _SEQ, nullable=False),
)
Index("ix_registry_rows_reference_at", registry_rows.c.reference_at)

# What the operational log tells the registry about a casualty: the request filed for it, the
# mission that picked it up and handed it over. Kept apart so that it survives the order in
# which the casualty's own events and the missions arrive.
registry_chain = Table(
    "registry_chain",
    metadata,
    Column("casualty_id", _UUID, primary_key=True),
    Column("requested_at", _TIME, nullable=True),
    Column("picked_up_at", _TIME, nullable=True),
    Column("arrived_at", _TIME, nullable=True),
)

# The export's stable random key per casualty: drawn once, never derived from the record id,
# and not a projection (a rebuild must keep it).
registry_keys = Table(
    "registry_keys",
    metadata,
    Column("casualty_id", _UUID, primary_key=True),
    Column("export_key", String(32), nullable=False, unique=True),
)

# Forward and rear nodes (issue 15, revision 0005_outbox). Not projections: a rebuild keeps them.

#: This database's node, once ``goldenhour node init`` made it one (at most one row): from then
#: on every event accepted here gets an ``outbox`` row in the transaction that stores it.
node_identity = Table(
    "node_identity",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(8), nullable=False),  # "forward" or "rear"
    Column("created_at", _TIME, nullable=False),
)

#: Events accepted here and not yet acknowledged by the node's own JetStream stream.
outbox = Table(
    "outbox",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=False),  # the event's place in the log
    Column("event_id", _UUID, nullable=False),
    Column("queued_at", _TIME, nullable=False),
)

#: Which node each event ingested from another node came from.
node_receipts = Table(
    "node_receipts",
    metadata,
    Column("event_id", _UUID, primary_key=True),
    Column("node", String(64), nullable=False),
    Column("received_at", _TIME, nullable=False),
)
Index("ix_node_receipts_node", node_receipts.c.node)

#: At the rear: how far in the log the area router went for each forward node (revision 0006).
node_area_cursor = Table(
    "node_area_cursor",
    metadata,
    Column("node", String(64), primary_key=True),
    Column("after_seq", _SEQ, nullable=False),
)

#: At the rear: the casualties, requests and missions sent to each forward node in full.
node_area_records = Table(
    "node_area_records",
    metadata,
    Column("node", String(64), primary_key=True),
    Column("stream", String(16), primary_key=True),
    Column("stream_id", _UUID, primary_key=True),
)

#: Projection tables, emptied and refilled by a rebuild.
PROJECTIONS = (
    units, users, streams, casualty_cards, facility_links, registry_chain, registry_rows,
    request_casualties,
)  # fmt: skip
