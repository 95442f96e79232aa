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
    const handle = (message: MessageEvent) => void receive(message);
    for (const kind of KINDS) source.addEventListener(kind, handle);
    // The token expired or was revoked, or the user disabled: nothing more will come on it.
    source.addEventListener("session_ended", () => reopen(30_000));
    // Any other error (the server went away): reopen from our cursor with a new ticket.
    source.onerror = () => reopen(3000);
  };

  const receive = async (message: MessageEvent) => {
    const data = JSON.parse(message.data) as LiveEvent;
    cursor = Math.max(cursor, data.seq);
    if (options.store) await keep(data);
    options.onEvent?.(data);
  };

  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}

async function keep(data: LiveEvent): Promise<void> {
  // Sealed before the transaction: an IndexedDB transaction cannot wait on WebCrypto.
  await sealAhead([{ event_id: data.event.event_id, event: data.event }]);
  await db.transaction("rw", db.events, db.meta, async () => {
    const existing = await db.events.get(data.event.event_id);
    if (existing) {
      if (existing.state !== "stored") await db.events.update(existing.event_id, { state: "stored", seq: data.seq });
    } else {
      const stored: StoredEvent = {
        event_id: data.event.event_id,
        stream: data.stream,
        stream_id: data.stream_id,
        kind: data.kind,
        event: data.event,
        state: "stored",
        origin: "server",
        created: Date.now(),
        seq: data.seq,
      };
      await db.events.put(stored);
    }
    const cursor = await getMeta<number>("cursor", 0);
    if (data.seq > cursor) await setMeta("cursor", data.seq);
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
