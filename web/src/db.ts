// The device's own store (Dexie over IndexedDB). Every event the user makes is written here
// first and shown from here; the outbox is the events whose `state` is "pending". Events the
// server streams to this device are kept beside them, so a card reads the same offline.
import Dexie, { type Table } from "dexie";

export type Wire = Record<string, unknown> & {
  kind: string;
  event_id: string;
  occurred_at: string;
  recorded_at: string;
  author: string;
  device: string;
};

/** Where an event stands: not yet sent, stored by the server, or refused by it. */
export type EventState = "pending" | "stored" | "refused";

export interface StoredEvent {
  event_id: string;
  stream: string; // "casualty", "request", "vehicle", ...
  stream_id: string;
  kind: string;
  event: Wire;
  state: EventState;
  origin: "device" | "server";
  created: number; // Date.now() when written here; the outbox sends in this order
  seq?: number; // its place in the server's log, once stored
  outcome?: string; // the server's answer: accepted, duplicate, invalid, conflict, ...
  field?: string; // the refused field
  reason?: string; // why it was refused
  attempts?: number;
}

export interface Session {
  id: "current";
  token: string;
  expires_at: string;
  username: string;
  role: string;
  unit_id: string;
  unit_name?: string;
  facility_id?: string | null;
  device: string;
}

export interface Meta {
  key: string;
  value: unknown;
}

export class GoldenHourDb extends Dexie {
  events!: Table<StoredEvent, string>;
  session!: Table<Session, string>;
  meta!: Table<Meta, string>;

  constructor(name = "goldenhour") {
    super(name);
    this.version(1).stores({
      events: "event_id, [stream+stream_id], state, created, kind",
      session: "id",
      meta: "key",
    });
  }
}

export const db = new GoldenHourDb();

/** The stream an event belongs to, and which one: mirrors the server's `stream_field`s. */
const STREAM_FIELDS: [string, string][] = [
  ["casualty_id", "casualty"],
  ["request_id", "request"],
  ["mission_id", "mission"],
  ["vehicle_id", "vehicle"],
  ["facility_id", "facility"],
  ["point_id", "point"],
  ["area_id", "threat"],
  ["unit_id", "unit"],
];

export function streamOf(event: Wire): { stream: string; stream_id: string } {
  // Casualty events name a request_id too (evacuation_requested): the casualty wins.
  for (const [field, stream] of STREAM_FIELDS) {
    const value = event[field];
    if (typeof value === "string" && (field !== "facility_id" || event.kind.startsWith("facility_"))) {
      if (field === "unit_id" && event.kind !== "unit_registered") continue;
      return { stream, stream_id: value };
    }
  }
  return { stream: "none", stream_id: event.event_id };
}

export async function getMeta<T>(key: string, fallback: T): Promise<T> {
  const row = await db.meta.get(key);
  return row ? (row.value as T) : fallback;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
