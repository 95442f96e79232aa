// The phone-to-phone handoff: one casualty's whole history in QR codes (format version 2), the
// same codec as src/goldenhour/adapters/radio/handoff.py (whose docstring gives the layout);
// tests/goldens/handoff/vectors.json holds the vectors both must read alike.
//
// The message is the casualty's events as the device stored them (their ids, times and
// authors unchanged), a JSON array deflated (raw, RFC 1951) and cut into parts; each part is
// [2, part number, part count, CRC-32 of the whole deflated message (4 bytes)] + its piece.
import { deflateSync, inflateSync } from "fflate";
import type { Wire } from "../db";
import { crc32 } from "../sms";

export const HANDOFF_VERSION = 2;
/** Bytes of message per QR code (a version 15 code at error correction M holds it). */
export const PART_BYTES = 360;
export const MAX_PARTS = 64;
const HEADER = 7;

/** The kinds of a casualty's entries: the only ones a handoff carries (the domain's list). */
export const CASUALTY_KINDS = new Set([
  "casualty_registered", "diagnosis_recorded", "entry_retracted", "evacuation_requested", "injury_time_recorded",
  "fluid_given", "handed_over", "identity_recorded", "injury_recorded", "medication_given",
  "note_added", "outcome_recorded", "tourniquet_applied", "tourniquet_converted",
  "tourniquet_removed", "treatment_given", "triage_assessed", "vitals_recorded",
]);

/** A handoff refused: `field` names what was wrong (as the Python codec names it). */
export class HandoffError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export interface Part {
  index: number; // 1..count
  count: number;
  messageId: number;
  chunk: Uint8Array;
}

/** The QR payloads (one per code, in order) carrying one casualty's events. */
export function encodeHandoff(events: Wire[], partBytes: number = PART_BYTES): Uint8Array[] {
  checkHistory(events);
  const deflated = deflateSync(new TextEncoder().encode(JSON.stringify(events)), { level: 9 });
  const count = Math.max(1, Math.ceil(deflated.length / partBytes));
  if (count > MAX_PARTS) throw new HandoffError("length", `${count} QR codes needed; at most ${MAX_PARTS}`);
  const id = crc32(deflated);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = deflated.subarray(i * partBytes, (i + 1) * partBytes);
    const part = new Uint8Array(HEADER + chunk.length);
    part.set([HANDOFF_VERSION, i + 1, count, id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff]);
    part.set(chunk, HEADER);
    parts.push(part);
  }
  return parts;
}

/** Read one QR code's payload; a HandoffError if it is not a part of a handoff. */
export function readPart(data: Uint8Array): Part {
  if (data.length < HEADER || data[0] !== HANDOFF_VERSION) {
    throw new HandoffError("version", "not a Golden Hour handoff code (version 2)");
  }
  const [index, count] = [data[1], data[2]];
  if (count < 1 || count > MAX_PARTS || index < 1 || index > count) {
    throw new HandoffError("part", `part ${index} of ${count} is not a part of a handoff`);
  }
  const messageId = ((data[3] << 24) | (data[4] << 16) | (data[5] << 8) | data[6]) >>> 0;
  return { index, count, messageId, chunk: data.subarray(HEADER) };
}

/** Gathers the parts of one handoff as the camera reads them, in any order, repeats ignored. */
export class Collector {
  readonly parts = new Map<number, Part>();

  /** Add a code's payload; throws HandoffError for a code not ours or of another handoff. */
  add(data: Uint8Array): Part {
    const part = readPart(data);
    const first = this.parts.values().next().value as Part | undefined;
    if (first && (first.messageId !== part.messageId || first.count !== part.count)) {
      throw new HandoffError("part", "codes of two different handoffs");
    }
    this.parts.set(part.index, part);
    return part;
  }

  get count(): number {
    return (this.parts.values().next().value as Part | undefined)?.count ?? 0;
  }

  get complete(): boolean {
    return this.count > 0 && this.parts.size === this.count;
  }

  /** The events, once every part is in; a HandoffError for a damaged or foreign message. */
  events(): Wire[] {
    const count = this.count;
    if (count === 0) throw new HandoffError("parts", "no code read");
    const missing: number[] = [];
    for (let i = 1; i <= count; i++) if (!this.parts.has(i)) missing.push(i);
    if (missing.length) throw new HandoffError("parts", `missing part(s) ${missing.join(", ")} of ${count}`);
    const size = [...this.parts.values()].reduce((n, p) => n + p.chunk.length, 0);
    const deflated = new Uint8Array(size);
    let at = 0;
    for (let i = 1; i <= count; i++) {
      const chunk = this.parts.get(i)!.chunk;
      deflated.set(chunk, at);
      at += chunk.length;
    }
    if (crc32(deflated) !== this.parts.get(1)!.messageId) {
      throw new HandoffError("checksum", "the codes are damaged (CRC-32 differs)");
    }
    let body: Uint8Array;
    try {
      body = inflateSync(deflated);
    } catch (error) {
      throw new HandoffError("checksum", `not a deflated history (${(error as Error).message})`);
    }
    let events: unknown;
    try {
      events = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch {
      throw new HandoffError("events", "not a JSON list of events");
    }
    if (!Array.isArray(events) || !events.every((e) => typeof e === "object" && e !== null && !Array.isArray(e))) {
      throw new HandoffError("events", "not a JSON list of events");
    }
    checkHistory(events as Wire[]);
    return events as Wire[];
  }
}

/** Join the parts (any order, repeats allowed) and return the casualty's events as sent. */
export function decodeHandoff(payloads: Uint8Array[]): Wire[] {
  const collector = new Collector();
  for (const payload of payloads) collector.add(payload);
  return collector.events();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The envelope of each entry, and one casualty for all; the server checks every value. */
function checkHistory(events: Wire[]): void {
  if (events.length === 0) throw new HandoffError("events", "no events");
  const casualties = new Set<string>();
  events.forEach((event, i) => {
    if (!CASUALTY_KINDS.has(event.kind)) {
      throw new HandoffError(`events[${i}].kind`, `${JSON.stringify(event.kind)} is not a casualty's entry`);
    }
    for (const name of ["event_id", "casualty_id"]) {
      const value = event[name];
      if (value === undefined || value === null) throw new HandoffError(`events[${i}].${name}`, `is required in ${event.kind}`);
      if (typeof value !== "string" || !UUID.test(value)) throw new HandoffError(`events[${i}].${name}`, "is not a UUID");
    }
    for (const name of ["occurred_at", "recorded_at", "author", "device"]) {
      if (typeof event[name] !== "string") throw new HandoffError(`events[${i}].${name}`, `is required in ${event.kind}`);
    }
    casualties.add(event.casualty_id as string);
  });
  if (casualties.size > 1) throw new HandoffError("events", "entries of more than one casualty");
}
