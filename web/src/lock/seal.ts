// Entries are encrypted at rest: a Dexie middleware keeps each event's content (`event`: names,
// units, positions, injuries, treatments) only as AES-GCM ciphertext (`sealed`) in IndexedDB.
// What stays in clear is what the store is queried by and says nothing of the casualty: the
// event's random id, its stream and the stream's random id, its kind, its state in the outbox,
// when it was written here, its place in the server's log, and the server's answer to it.
//
// WebCrypto is asynchronous, and an IndexedDB transaction closes when it waits on anything else,
// so the middleware never encrypts or decrypts itself. While the store is open the plain entries
// are kept in memory (`plain`); writers seal new content first (`sealAhead`), and the middleware
// swaps content and ciphertext synchronously. An event whose content was not sealed ahead is
// refused, never written in clear. When the phone locks, the key and the memory copy are dropped.
import type { DBCore, DBCoreCursor, DBCoreTable, Middleware } from "dexie";
import { seal, type Sealed, unseal } from "./vault";

interface Plain {
  json: string; // the content as JSON, to recognise it when it is written back unchanged
  event: unknown;
  sealed: Sealed;
}

let key: CryptoKey | null = null;
const plain = new Map<string, Plain>();
// Rows found in clear while the store is open (written by an earlier version, or by a hand
// outside the app): they may be written back as they are, and `sealLeftovers` seals them.
const leftovers = new Set<string>();

/** The ids of rows read in clear and not yet sealed. */
export function clearLeftovers(): string[] {
  return [...leftovers];
}

/** These rows are sealed now. */
export function leftoversSealed(ids: string[]): void {
  for (const id of ids) leftovers.delete(id);
}
const listeners = new Set<() => void>();

/** Whether the store is open (the key is in memory). */
export function storeOpen(): boolean {
  return key !== null;
}

/** Be told when the store opens or closes. */
export function onStoreOpen(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Hold the key and the decrypted entries of `rows` (the raw rows of the user's store). */
export async function openStore(dataKey: CryptoKey, rows: { event_id: string; sealed?: Sealed; event?: unknown }[]): Promise<void> {
  plain.clear();
  for (const row of rows) {
    if (row.sealed) {
      const event = await unseal(dataKey, row.sealed);
      plain.set(row.event_id, { json: JSON.stringify(event), event, sealed: row.sealed });
    }
  }
  key = dataKey;
  for (const fn of listeners) fn();
}

/** Drop the key and every decrypted entry (the phone locks or the user leaves). */
export function closeStore(): void {
  key = null;
  plain.clear();
  leftovers.clear();
  for (const fn of listeners) fn();
}

/** Encrypt the content of events about to be written (call before the write's transaction). */
export async function sealAhead(rows: { event_id: string; event: unknown }[]): Promise<void> {
  if (!key) throw new Error("the store is locked: nothing can be written until it is unlocked");
  for (const row of rows) {
    // An event never changes under its id: one already known here keeps its sealed content.
    if (plain.has(row.event_id)) continue;
    const json = JSON.stringify(row.event);
    plain.set(row.event_id, { json, event: row.event, sealed: await seal(key, row.event) });
  }
}

function sealRow(value: Record<string, unknown>): Record<string, unknown> {
  if (!("event" in value)) return value; // already sealed (written back as read while locked)
  const id = String(value.event_id);
  const known = plain.get(id);
  if (!known && leftovers.has(id)) return value; // already clear on disk: sealed by the sweep
  if (!known || known.json !== JSON.stringify(value.event)) {
    throw new Error(`event ${id} was not sealed before it was written: call sealAhead first`);
  }
  const { event: _content, ...rest } = value;
  return { ...rest, sealed: known.sealed };
}

function openRow(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  if (!("sealed" in value)) {
    if (key && "event" in value && !plain.has(String((value as { event_id?: unknown }).event_id)))
      leftovers.add(String((value as { event_id?: unknown }).event_id));
    return value;
  }
  const row = value as Record<string, unknown>;
  const known = plain.get(String(row.event_id));
  if (!known) return value; // locked: the content stays sealed
  const { sealed: _sealed, ...rest } = row;
  return { ...rest, event: known.event };
}

// A cursor whose values are opened. It delegates each member by name: the cursor underneath is
// the browser's IDBCursor, whose getters refuse any other `this` (so no prototype trick).
function openingCursor(cursor: DBCoreCursor): DBCoreCursor {
  const opening: DBCoreCursor = {
    get trans() {
      return cursor.trans;
    },
    get key() {
      return cursor.key;
    },
    get primaryKey() {
      return cursor.primaryKey;
    },
    get value() {
      return openRow(cursor.value);
    },
    get done() {
      return cursor.done;
    },
    continue: (key) => cursor.continue(key),
    continuePrimaryKey: (key, primaryKey) => cursor.continuePrimaryKey(key, primaryKey),
    advance: (count) => cursor.advance(count),
    start: (onNext) => cursor.start(onNext),
    stop: (value) => cursor.stop(value),
    next: async () => ((await cursor.next()) ? opening : (null as unknown as DBCoreCursor)),
    fail: (error) => cursor.fail(error),
  };
  return opening;
}

function sealedTable(table: DBCoreTable): DBCoreTable {
  return {
    ...table,
    mutate: (req) =>
      req.type === "add" || req.type === "put"
        ? table.mutate({ ...req, values: req.values.map((v) => sealRow(v as Record<string, unknown>)) })
        : table.mutate(req),
    get: async (req) => openRow(await table.get(req)),
    getMany: async (req) => (await table.getMany(req)).map(openRow),
    query: async (req) => {
      const answer = await table.query(req);
      return req.values ? { ...answer, result: answer.result.map(openRow) } : answer;
    },
    openCursor: async (req) => {
      const cursor = await table.openCursor(req);
      return cursor && req.values ? openingCursor(cursor) : cursor;
    },
  };
}

/** The middleware that seals the `events` table of a user's store (see the top of this file). */
export const sealMiddleware: Middleware<DBCore> = {
  stack: "dbcore",
  name: "goldenhour-seal",
  level: -2, // below Dexie's caches and observers: everything above sees the plain entries
  create: (down) => ({
    ...down,
    table: (name) => (name === "events" ? sealedTable(down.table(name)) : down.table(name)),
  }),
};
