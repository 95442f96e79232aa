// A casualty's card, folded on the device from its events (the device's own and the server's),
// the way the server folds it: repeats dropped, superseded and retracted entries voided, the
// rest read in the order they happened. The card is never stored: it is always derived.
import type { StoredEvent, Wire } from "./db";
import type { LatLon } from "./geo";

export interface Tourniquet {
  application_id: string;
  limb: string | null;
  category: string;
  location: string | null;
  type: string | null;
  applied_at: string;
  ended_at: string | null;
  ended: "removed" | "converted" | null;
}

export interface Card {
  casualty_id: string;
  registered_at: string | null;
  identity: Record<string, unknown>;
  position: LatLon | null;
  injured_at: string | null;
  injuries: Wire[];
  tourniquets: Tourniquet[];
  treatments: Wire[];
  medications: Wire[];
  fluids: Wire[];
  vitals: Wire[];
  triage: Record<string, Wire>; // latest assessment per system
  evacuations: Wire[];
  handovers: Wire[];
  notes: Wire[];
  pending: number; // events of this card not yet sent
  refused: StoredEvent[];
  last_at: string | null;
}

function order(a: Wire, b: Wire): number {
  return (
    a.occurred_at.localeCompare(b.occurred_at) ||
    a.recorded_at.localeCompare(b.recorded_at) ||
    a.event_id.localeCompare(b.event_id)
  );
}

/** Compare ISO times by instant (strings with different offsets do not sort as text). */
function iso(value: unknown): string {
  return new Date(String(value)).toISOString();
}

export function fold(casualtyId: string, stored: StoredEvent[]): Card {
  const byId = new Map<string, Wire>();
  for (const s of stored) {
    if (s.state === "refused") continue;
    const e = { ...s.event, occurred_at: iso(s.event.occurred_at), recorded_at: iso(s.event.recorded_at) };
    byId.set(e.event_id, e);
  }
  const voided = new Set<string>();
  for (const e of byId.values()) {
    if (typeof e.supersedes === "string") voided.add(e.supersedes);
    if (e.kind === "entry_retracted" && typeof e.target === "string") voided.add(e.target);
  }
  const events = [...byId.values()].filter((e) => !voided.has(e.event_id)).sort(order);
  const card: Card = {
    casualty_id: casualtyId,
    registered_at: null,
    identity: {},
    position: null,
    injured_at: null,
    injuries: [],
    tourniquets: [],
    treatments: [],
    medications: [],
    fluids: [],
    vitals: [],
    triage: {},
    evacuations: [],
    handovers: [],
    notes: [],
    pending: stored.filter((s) => s.state === "pending").length,
    refused: stored.filter((s) => s.state === "refused"),
    last_at: events.length ? events[events.length - 1].occurred_at : null,
  };
  const tq = new Map<string, Tourniquet>();
  for (const e of events) {
    switch (e.kind) {
      case "casualty_registered":
        card.registered_at = e.occurred_at;
        card.identity = { ...card.identity, ...strip(e.identity) };
        if (e.position) card.position = e.position as LatLon;
        if (e.injured_at) card.injured_at = String(e.injured_at);
        break;
      case "identity_recorded":
        card.identity = { ...card.identity, ...strip(e.identity) };
        break;
      case "injury_recorded":
        card.injuries.push(e);
        break;
      case "tourniquet_applied":
        tq.set(e.event_id, {
          application_id: e.event_id,
          limb: (e.limb as string) ?? null,
          category: String(e.category ?? "extremity"),
          location: (e.location as string) ?? null,
          type: (e.tourniquet_type as string) ?? null,
          applied_at: e.occurred_at,
          ended_at: null,
          ended: null,
        });
        break;
      case "tourniquet_removed":
      case "tourniquet_converted": {
        const t = tq.get(String(e.application_id));
        if (t && !t.ended_at) {
          t.ended_at = e.occurred_at;
          t.ended = e.kind === "tourniquet_removed" ? "removed" : "converted";
        }
        break;
      }
      case "treatment_given":
        card.treatments.push(e);
        break;
      case "medication_given":
        card.medications.push(e);
        break;
      case "fluid_given":
        card.fluids.push(e);
        break;
      case "vitals_recorded":
        card.vitals.push(e);
        break;
      case "triage_assessed":
        card.triage[String(e.system)] = e;
        break;
      case "evacuation_requested":
        card.evacuations.push(e);
        break;
      case "handed_over":
        card.handovers.push(e);
        break;
      case "note_added":
        card.notes.push(e);
        break;
    }
  }
  card.tourniquets = [...tq.values()];
  return card;
}

function strip(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

/** The name people use for a casualty: call sign, name, roster number, or a short id. */
export function displayName(card: Card): string {
  const id = card.identity;
  const name = [id.name_last, id.name_first].filter(Boolean).join(", ");
  return String(id.callsign || name || id.battle_roster || `#${card.casualty_id.slice(0, 4).toUpperCase()}`);
}

/** Tourniquet clock state at `now` (ms): time on and the alert level (1 h warning, 2 h alarm). */
export function clock(t: Tourniquet, now: number): { elapsed: number; alert: "ok" | "warning" | "critical" } {
  const start = Date.parse(t.applied_at);
  const end = t.ended_at ? Math.min(Date.parse(t.ended_at), now) : now;
  const elapsed = Math.max(0, end - start);
  // TCCC: convert or reassess before 2 h; Golden Hour warns at 1 h (domain/tourniquet/clock.py).
  const alert = elapsed >= 2 * 3600_000 ? "critical" : elapsed >= 3600_000 ? "warning" : "ok";
  return { elapsed, alert };
}

/** The latest value of one vital sign, or undefined. */
export function latest(vitals: Wire[], name: string): unknown {
  for (let i = vitals.length - 1; i >= 0; i--) {
    const v = vitals[i][name];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}
