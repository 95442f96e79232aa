// The outbox: events are written to the device first, then sent in the background, in the
// order they were made, with retries. The server answers per event: accepted or duplicate
// means done; anything else is kept on the device and shown with the field and the reason.
// An entry is sent only with its author's token, from its author's store: a user who logs in
// on a phone where another left entries unsent neither sees nor sends them.
import { api, ApiError, session } from "./api";
import { db, streamOf, type StoredEvent, type Wire } from "./db";
import { onStoreOpen, sealAhead, storeOpen } from "./lock/seal";

export type Online = "online" | "offline" | "unauthorised";

let online: Online = typeof navigator !== "undefined" && navigator.onLine ? "online" : "offline";
const onlineListeners = new Set<(o: Online) => void>();

export function onlineState(): Online {
  return online;
}

export function onOnline(fn: (o: Online) => void): () => void {
  onlineListeners.add(fn);
  return () => onlineListeners.delete(fn);
}

function setOnline(next: Online): void {
  if (next === online) return;
  online = next;
  for (const fn of onlineListeners) fn(next);
}

/** Write an event to the device (the outbox) and start sending it. It is sent by `sender`
 * (its author, unless this phone received it from another by a handoff: then the user who
 * took it over), and in the order of `created`. */
export async function record(
  event: Wire,
  { sender = event.author, created = Date.now() }: { sender?: string; created?: number } = {},
): Promise<StoredEvent> {
  const { stream, stream_id } = streamOf(event);
  const stored: StoredEvent = {
    event_id: event.event_id,
    stream,
    stream_id,
    kind: event.kind,
    event,
    state: "pending",
    origin: "device",
    created,
    attempts: 0,
    author: sender,
  };
  await sealAhead([stored]);
  await db.events.put(stored);
  kick();
  return stored;
}

interface Submission {
  index: number;
  event_id: string | null;
  outcome: string;
  seq?: number | null;
  field?: string | null;
  reason?: string | null;
  fields?: { field: string; reason: string }[];
}

const BATCH = 200;
let sending: Promise<void> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let delay = 1000;

/** Send what is pending now (coalesced: one sender at a time). */
export function kick(): Promise<void> {
  if (!sending) sending = sendAll().finally(() => (sending = null));
  return sending;
}

async function sendAll(): Promise<void> {
  clearTimeout(timer);
  // Who sends, from which store, fixed for this round: if the user changes meanwhile, the
  // round stops and the next one sends the new user's entries with the new user's token.
  const author = session();
  const store = db;
  // Locked, the entries are sealed and the key is not in memory: they wait, kept in the
  // outbox, and go when the phone is unlocked (onStoreOpen below).
  if (!author || !storeOpen()) return;
  try {
    for (;;) {
      if (session() !== author || db !== store) break;
      const pending = (await store.events.where("state").equals("pending").sortBy("created")).filter(
        (e) => (e.author ?? e.event.author) === author.username,
      );
      if (pending.length === 0) break;
      const batch = pending.slice(0, BATCH);
      const answer = await api<{ results: Submission[] }>("/api/v1/events", {
        method: "POST",
        headers: { Authorization: `Bearer ${author.token}` },
        body: JSON.stringify({ events: batch.map((e) => e.event) }),
      });
      await store.transaction("rw", store.events, async () => {
        for (const result of answer.results) {
          const sent = batch[result.index];
          const done = result.outcome === "accepted" || result.outcome === "duplicate";
          await store.events.update(sent.event_id, {
            state: done ? "stored" : "refused",
            outcome: result.outcome,
            seq: result.seq ?? undefined,
            field: result.field ?? undefined,
            reason: result.reason ?? undefined,
            problems: done ? undefined : result.fields,
            attempts: (sent.attempts ?? 0) + 1,
          });
        }
      });
      setOnline("online");
    }
    delay = 1000;
    if (session() && session() !== author) timer = setTimeout(() => void kick(), 0);
  } catch (error) {
    if (session() !== author) {
      // The answer was for the user who left: not the new user's connection state.
      timer = setTimeout(() => void kick(), 0);
      return;
    }
    if (error instanceof ApiError && error.status === 401) setOnline("unauthorised");
    else if (!(error instanceof ApiError)) setOnline("offline");
    delay = Math.min(delay * 2, 30_000);
    timer = setTimeout(() => void kick(), delay);
  }
}

/** Keep a refused event on the device but send it again (after the user read the reason). */
export async function retry(eventId: string): Promise<void> {
  await db.events.update(eventId, { state: "pending" });
  void kick();
}

/** Delete a refused event from the device (the medic confirmed: the server never stored it). */
export async function discard(eventId: string): Promise<void> {
  const row = await db.events.get(eventId);
  if (row?.state === "refused") await db.events.delete(eventId);
}

/** Check the server now and then; on the way back online, flush the outbox at once. */
export function watchConnection(): void {
  onStoreOpen(() => {
    if (storeOpen()) void kick();
  });
  const check = async () => {
    try {
      const response = await fetch("/api/v1/health", { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      if (online === "offline") setOnline("online");
      if (online !== "unauthorised") void kick();
    } catch {
      setOnline("offline");
    }
  };
  window.addEventListener("online", () => void check());
  window.addEventListener("offline", () => setOnline("offline"));
  void check();
  setInterval(() => void check(), 5000);
}

/** Mark the device online again after a fresh login. */
export function loggedIn(): void {
  setOnline(navigator.onLine ? "online" : "offline");
  void kick();
}
