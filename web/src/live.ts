// Live updates from the server's event stream (Server-Sent Events). EventSource cannot send an
// Authorization header, and a token in a URL would be written to access logs, so each opening
// first asks for a single-use ticket (POST /api/v1/stream/ticket, with the token in the header)
// and puts that in the URL. The stream resumes from the last position this device stored
// (?after=); a reconnect always takes a new ticket, since the browser's own retry would reuse a
// spent one. The server ends the stream with "session_ended" when the token or user is revoked.
import { api, ApiError, session } from "./api";
import { db, getMeta, setMeta, type StoredEvent, streamOf, type Wire } from "./db";
import { sealAhead } from "./lock/seal";

export interface LiveEvent {
  seq: number;
  stream: string;
  stream_id: string;
  kind: string;
  event: Wire;
}

// Every event kind the server sends (the stream names each message by its kind).
export const KINDS = [
  "casualty_registered", "identity_recorded", "injury_recorded", "tourniquet_applied",
  "tourniquet_converted", "tourniquet_removed", "treatment_given", "fluid_given",
  "medication_given", "vitals_recorded", "triage_assessed", "evacuation_requested",
  "handed_over", "diagnosis_recorded", "outcome_recorded", "note_added", "entry_retracted", "injury_time_recorded",
  "unit_registered", "user_registered", "user_disabled", "user_password_changed", "user_reassigned",
  "vehicle_registered", "vehicle_position_reported", "vehicle_status_changed",
  "facility_registered", "facility_capacity_reported", "point_registered", "threat_area_drawn",
  "threat_area_withdrawn", "evacuation_request_filed", "request_acknowledged",
  "request_redirected", "request_cancelled", "mission_assigned", "mission_status_changed",
  "facility_status_reported",
];

// At most this many arrived entries are written in one transaction.
const BATCH = 500;

export interface LiveOptions {
  /** Keep what arrives in the device's store (the medic's offline copy). */
  store: boolean;
  onEvent?: (e: LiveEvent) => void;
  /** Start after this log position (the coordinator starts where its snapshot ended). */
  after?: number;
}

/** Follow the stream until the returned function is called. */
export function follow(options: LiveOptions): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let cursor = options.after ?? 0;

  const reopen = (ms: number) => {
    source?.close();
    source = null;
    if (!stopped) retry = setTimeout(() => void open(), ms);
  };

  const open = async () => {
    const s = session();
    if (stopped || !s) return;
    if (options.store) cursor = Math.max(cursor, await getMeta<number>("cursor", 0));
    let ticket: string;
    try {
      ({ ticket } = await api<{ ticket: string }>("/api/v1/stream/ticket", { method: "POST" }));
    } catch (error) {
      // Refused (the token is gone): try again rarely; offline: soon.
      reopen(error instanceof ApiError && error.status === 401 ? 30_000 : 3000);
      return;
    }
    if (stopped) return;
    source = new EventSource(`/api/v1/stream?ticket=${encodeURIComponent(ticket)}&after=${cursor}`);
    const handle = (message: MessageEvent) => receive(message);
    for (const kind of KINDS) source.addEventListener(kind, handle);
    // The token expired or was revoked, or the user disabled: nothing more will come on it.
    source.addEventListener("session_ended", () => reopen(30_000));
    // Any other error (the server went away): reopen from our cursor with a new ticket.
    source.onerror = () => reopen(3000);
  };

  // What arrives is kept in batches: one sealing pass and one transaction for all that came
  // while the previous batch was written. One transaction per message made every view re-read
  // the store per message: a phone joining a unit with a few thousand entries froze for minutes.
  const arrived: LiveEvent[] = [];
  let keeping: Promise<void> | null = null;
  const keepArrived = async () => {
    for (let batch = arrived.splice(0, BATCH); batch.length > 0; batch = arrived.splice(0, BATCH)) {
      await keep(batch);
      for (const data of batch) options.onEvent?.(data);
    }
  };
  const receive = (message: MessageEvent) => {
    const data = JSON.parse(message.data) as LiveEvent;
    cursor = Math.max(cursor, data.seq);
    if (!options.store) {
      options.onEvent?.(data);
      return;
    }
    arrived.push(data);
    keeping ??= keepArrived().finally(() => (keeping = null));
  };

  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}

/** Keep `batch` (in stream order) in the device's store and move the stored cursor past it. */
async function keep(batch: LiveEvent[]): Promise<void> {
  // Sealed before the transaction: an IndexedDB transaction cannot wait on WebCrypto.
  await sealAhead(batch.map((data) => ({ event_id: data.event.event_id, event: data.event })));
  await db.transaction("rw", db.events, db.meta, async () => {
    const existing = await db.events.bulkGet(batch.map((data) => data.event.event_id));
    const fresh = new Map<string, StoredEvent>();
    for (const [i, data] of batch.entries()) {
      const known = existing[i];
      if (known) {
        if (known.state !== "stored") await db.events.update(known.event_id, { state: "stored", seq: data.seq });
        continue;
      }
      fresh.set(data.event.event_id, {
        event_id: data.event.event_id,
        stream: data.stream,
        stream_id: data.stream_id,
        kind: data.kind,
        event: data.event,
        state: "stored",
        origin: "server",
        created: Date.now(),
        seq: data.seq,
      });
    }
    if (fresh.size > 0) await db.events.bulkPut([...fresh.values()]);
    const last = Math.max(...batch.map((data) => data.seq));
    if (last > (await getMeta<number>("cursor", 0))) await setMeta("cursor", last);
  });
}

/** Keep a casualty's history read from the server on this phone. A crew's casualties were
 *  written before their mission linked them to the crew: the stream, which went past them then,
 *  never sends them. What is already here (sent by this phone, or kept before) stays as it is. */
export async function keepHistory(history: Wire[]): Promise<void> {
  const items = history.filter((e) => typeof e.event_id === "string" && typeof e.kind === "string");
  await sealAhead(items.map((e) => ({ event_id: e.event_id, event: e })));
  await db.transaction("rw", db.events, async () => {
    for (const e of items) {
      if (await db.events.get(e.event_id)) continue;
      const { stream, stream_id } = streamOf(e);
      await db.events.put({ event_id: e.event_id, stream, stream_id, kind: e.kind, event: e, state: "stored", origin: "server", created: Date.now() });
    }
  });
}
