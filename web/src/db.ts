// The device's own store (Dexie over IndexedDB). Every event the user makes is written here
// first and shown from here; the outbox is the events whose `state` is "pending". Events the
// server streams to this device are kept beside them, so a card reads the same offline.
//
// A phone is shared: each user has a store of their own (`db` is the logged-in user's), so
// another user who logs in on the same phone sees none of it and sends none of it. The
// device's database keeps only who is logged in (and entries from before stores were per user,
// until their author logs in again).
//
// Each user's entries are encrypted at rest with a key opened by their PIN or password
// (lock/seal.ts, lock/vault.ts); only a clear table of tourniquet start times, keyed by random
// ids, lets the alarms sound while the phone is locked, and while another user (or nobody) is
// logged in: the phone sounds the alarms of every user's store (`deviceClocks`).
import Dexie, { type Table } from "dexie";
import { sealAhead, sealMiddleware } from "./lock/seal";

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
  problems?: { field: string; reason: string }[]; // every field refused, each with its reason
  attempts?: number;
  author?: string; // who wrote it on this device (the user name): only they send it
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

/** A tourniquet still on, kept in clear so its alarm sounds while the phone is locked: when it
 * went on, under a random id, with nothing that says whose it is or where. */
export interface TourniquetClock {
  id: string;
  applied_at: number; // ms since the epoch
}

/** One user's store on this device: their entries and what the server streamed to them. */
export class GoldenHourDb extends Dexie {
  events!: Table<StoredEvent, string>;
  meta!: Table<Meta, string>;
  clocks!: Table<TourniquetClock, string>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      events: "event_id, [stream+stream_id], state, created, kind",
      meta: "key",
    });
    this.version(2).stores({ clocks: "id" });
    this.use(sealMiddleware);
  }
}

/** The device's own database: the session. Its `events` and `meta` are the single store of
 * the version before stores were per user; their entries move to their author's store. */
export class DeviceDb extends Dexie {
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

export const device = new DeviceDb();

/** The name of a user's store (null: nobody is logged in, a store that stays empty). */
export function storeName(username: string | null): string {
  return username === null ? "goldenhour-nobody" : `goldenhour-user-${encodeURIComponent(username)}`;
}

const USER_STORE = "goldenhour-user-";

/** A tourniquet still on in some user's store on this device, read from its clear table. */
export interface DeviceClock extends TourniquetClock {
  username: string; // whose store holds it: the store's name says so in clear already
}

/** The tourniquets still on in every user's store on this device but `except`'s, from their
 * clear `clocks` tables alone (no key needed: a locked or logged-out user's alarms sound on a
 * shared phone). Each store is opened, read and closed, so nothing holds it against a wipe. */
export async function deviceClocks(except: string | null): Promise<DeviceClock[]> {
  const names = (await indexedDB.databases())
    .map((d) => d.name ?? "")
    .filter((name) => name.startsWith(USER_STORE) && name !== (except === null ? null : storeName(except)));
  const found: DeviceClock[] = [];
  for (const name of names) {
    // No schema declared: Dexie opens the store as it is, whatever version it has reached.
    const store = new Dexie(name);
    try {
      await store.open();
      if (!store.tables.some((table) => table.name === "clocks")) continue;
      const username = decodeURIComponent(name.slice(USER_STORE.length));
      const rows = (await store.table("clocks").toArray()) as TourniquetClock[];
      found.push(...rows.map((row) => ({ ...row, username })));
    } catch {
      /* deleted or being upgraded meanwhile: read again at the next round */
    } finally {
      store.close();
    }
  }
  return found.sort((a, b) => a.applied_at - b.applied_at);
}

const opened = new Map<string, GoldenHourDb>();

function storeOf(username: string | null): GoldenHourDb {
  const name = storeName(username);
  let store = opened.get(name);
  if (!store) {
    store = new GoldenHourDb(name);
    opened.set(name, store);
  }
  return store;
}

/** The logged-in user's store. Read it at the time of use: it changes when the user does. */
export let db: GoldenHourDb = storeOf(null);

/** Every user store opened in this page (to close them before the device is wiped). */
export function openedStores(): Dexie[] {
  return [device, ...opened.values()];
}

/** Make `username`'s store the one the app reads and writes (on login, logout and start). */
export async function switchStore(username: string | null): Promise<void> {
  db = storeOf(username);
}

/** Move the user's own entries, not yet accepted, from the device's single store of the
 * earlier version into their store (once it is unlocked: they are sealed on the way); what the
 * server streamed there it streams again. */
export async function adoptEarlierEntries(username: string, store: GoldenHourDb = db): Promise<void> {
  const theirs = await device.events
    .filter((e) => e.origin === "device" && e.state !== "stored" && e.event.author === username)
    .toArray();
  if (theirs.length > 0) {
    await sealAhead(theirs);
    await store.events.bulkPut(theirs.map((e) => ({ ...e, author: username })));
    await device.events.bulkDelete(theirs.map((e) => e.event_id));
  }
  const others = await device.events.filter((e) => e.origin === "device" && e.state !== "stored").count();
  if (others === 0) await device.events.clear();
}

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
