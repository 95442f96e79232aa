// Events made on this device, in the server's wire form (src/goldenhour/domain/codec.py):
// a fresh UUID, the times with their zone, the author and the device.
import { session } from "./api";
import type { Wire } from "./db";
import { record } from "./sync";
import { nowIso } from "./time";

export function uuid(): string {
  return crypto.randomUUID();
}

/** Build an event of `kind` with the envelope filled in; `occurred_at` defaults to now. */
export function make(kind: string, fields: Record<string, unknown>, occurredAt?: string): Wire {
  const s = session();
  const recorded = nowIso();
  return {
    kind,
    event_id: uuid(),
    occurred_at: occurredAt ?? recorded,
    recorded_at: recorded,
    author: s?.username ?? "unknown",
    device: s?.device ?? "browser",
    ...fields,
  };
}

/** Make an event and write it to the outbox. */
export async function emit(kind: string, fields: Record<string, unknown>, occurredAt?: string): Promise<Wire> {
  const event = make(kind, fields, occurredAt);
  await record(event);
  return event;
}
