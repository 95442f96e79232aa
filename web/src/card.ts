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
  converted_at: string | null;
  removed_at: string | null;
  ended_at: string | null; // the earlier of converted_at and removed_at: when compression stopped
  ended: "removed" | "converted" | null;
}

export interface Card {
  casualty_id: string;
  registered_at: string | null;
  identity: Record<string, unknown>;
  position: LatLon | null;
  injured_at: string | null;
  injury_times: Wire[]; // the time-of-injury entries that count, each correctable
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
  outcome: Wire | null; // the latest outcome (returned to duty, died...), as the server keeps it
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

/**
 * Which events corrections and retractions void, as the server decides it (voided_ids in
 * domain/casualty/card.py): a retraction voids its target while the retraction itself counts
 * (retracting a retraction restores the target); a correction voids what it corrected unless
 * the correction is retracted (a correction corrected again still stands, through its own
 * correction). A malformed cycle counts every member, so no input can loop.
 */
export class Voiding {
  private corrections = new Map<string, string[]>();
  private retractions = new Map<string, string[]>();
  private memo = new Map<string, boolean>();

  constructor(byId: Map<string, Wire>) {
    const add = (map: Map<string, string[]>, target: string, id: string) => map.set(target, [...(map.get(target) ?? []), id]);
    for (const e of byId.values()) {
      if (typeof e.supersedes === "string" && byId.has(e.supersedes)) add(this.corrections, e.supersedes, e.event_id);
      if (e.kind === "entry_retracted" && typeof e.target === "string" && byId.has(e.target)) add(this.retractions, e.target, e.event_id);
    }
  }

  /** Whether a retraction that still counts names this event. */
  retracted(id: string, visiting: Set<string> = new Set()): boolean {
    return (this.retractions.get(id) ?? []).some((r) => !this.void(r, visiting));
  }

  /** Whether this event is retracted, or corrected by a correction that is not retracted. */
  void(id: string, visiting: Set<string> = new Set()): boolean {
    const top = visiting.size === 0;
    if (top && this.memo.has(id)) return this.memo.get(id)!;
    if (visiting.has(id)) return false;
    const inner = new Set(visiting).add(id);
    const result =
      this.retracted(id, inner) || (this.corrections.get(id) ?? []).some((c) => !this.retracted(c, inner));
    if (top) this.memo.set(id, result);
    return result;
  }
}

export function fold(casualtyId: string, stored: StoredEvent[]): Card {
  const byId = new Map<string, Wire>();
  for (const s of stored) {
    if (s.state === "refused") continue;
    if (typeof s.event.casualty_id === "string" && s.event.casualty_id !== casualtyId) continue;
    const e = { ...s.event, occurred_at: iso(s.event.occurred_at), recorded_at: iso(s.event.recorded_at) };
    byId.set(e.event_id, e);
  }
  const voiding = new Voiding(byId);
  const all = [...byId.values()].sort(order);
  const events = all.filter((e) => !voiding.void(e.event_id));
  const card: Card = {
    casualty_id: casualtyId,
    registered_at: null,
    identity: {},
    position: null,
    injured_at: null,
    injury_times: [],
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
    outcome: null,
    pending: stored.filter((s) => s.state === "pending").length,
    refused: stored.filter((s) => s.state === "refused"),
    // As the server: the latest moment of any event, voided ones included.
    last_at: all.reduce<string | null>((m, e) => (m === null || e.occurred_at > m ? e.occurred_at : m), null),
  };
  const applications: Wire[] = [];
  const ends: Wire[] = [];
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
      case "injury_time_recorded":
        // The time of injury learnt after the card was opened: the latest entry counts.
        if (e.injured_at) card.injured_at = String(e.injured_at);
        card.injury_times.push(e);
        break;
      case "injury_recorded":
        card.injuries.push(e);
        break;
      case "tourniquet_applied":
        applications.push(e);
        break;
      case "tourniquet_removed":
      case "tourniquet_converted":
        // Kept aside and matched once every application is known: a removal may sort before
        // its application (same instant, recorded earlier).
        ends.push(e);
        break;
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
      case "outcome_recorded":
        card.outcome = e;
        break;
    }
  }
  card.tourniquets = tourniquetRecords(all, applications, ends, voiding);
  return card;
}

/**
 * The tourniquets with when each came off (attach_tourniquet_ends in domain/casualty/card.py).
 * A removal names the application it saw; if that application was corrected since, the
 * correction is the application now, so the chain of corrections not retracted is followed.
 * Of several removals or conversions of one tourniquet, the earliest counts.
 */
function tourniquetRecords(all: Wire[], applications: Wire[], ends: Wire[], voiding: Voiding): Tourniquet[] {
  const supersededBy = new Map<string, string>();
  for (const e of all) {
    if (typeof e.supersedes === "string" && !voiding.retracted(e.event_id)) supersededBy.set(e.supersedes, e.event_id);
  }
  const records = new Map<string, Tourniquet>();
  for (const a of applications) {
    records.set(a.event_id, {
      application_id: a.event_id,
      limb: (a.limb as string) ?? null,
      category: String(a.category ?? "extremity"),
      location: (a.location as string) ?? null,
      type: (a.tourniquet_type as string) ?? null,
      applied_at: a.occurred_at,
      converted_at: null,
      removed_at: null,
      ended_at: null,
      ended: null,
    });
  }
  for (const end of ends) {
    let target = String(end.application_id);
    const seen = new Set<string>();
    while (supersededBy.has(target) && !seen.has(target)) {
      seen.add(target);
      target = supersededBy.get(target)!;
    }
    const record = records.get(target);
    if (!record) continue;
    const field = end.kind === "tourniquet_converted" ? "converted_at" : "removed_at";
    const known = record[field];
    if (known === null || Date.parse(end.occurred_at) < Date.parse(known)) record[field] = end.occurred_at;
  }
  return [...records.values()].map(withEnd);
}

/** Fill `ended_at` and `ended` from the conversion and removal times (the earlier one). */
export function withEnd(t: Tourniquet): Tourniquet {
  const { converted_at: converted, removed_at: removed } = t;
  if (converted !== null && (removed === null || Date.parse(converted) <= Date.parse(removed))) {
    return { ...t, ended_at: converted, ended: "converted" };
  }
  if (removed !== null) return { ...t, ended_at: removed, ended: "removed" };
  return { ...t, ended_at: null, ended: null };
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

/** The Glasgow Coma Scale total of one set: as given, else the sum of all three parts. */
export function gcsTotal(v: Record<string, unknown>): number | null {
  if (v.gcs !== null && v.gcs !== undefined) return Number(v.gcs);
  const parts = [v.gcs_eye, v.gcs_verbal, v.gcs_motor];
  if (parts.some((p) => p === null || p === undefined)) return null;
  return parts.reduce<number>((sum, p) => sum + Number(p), 0);
}

/** The GCS total of the most recent set that has one (Card.vitals in domain/casualty/card.py). */
export function latestGcs(vitals: Wire[]): number | null {
  for (let i = vitals.length - 1; i >= 0; i--) {
    const total = gcsTotal(vitals[i]);
    if (total !== null) return total;
  }
  return null;
}

/** The injuries recorded with a burned area (%TBSA), in the card's order. */
export function burns(injuries: Wire[]): Wire[] {
  return injuries.filter((i) => i.burn_tbsa_percent !== null && i.burn_tbsa_percent !== undefined);
}

/**
 * The burned body surface area of all regions in percent, or null without a burn
 * (Card.burn_tbsa_total): summed in the card's order, as Python sums it, to the same number.
 */
export function burnTotal(injuries: Wire[]): number | null {
  const found = burns(injuries);
  if (!found.length) return null;
  let total = 0;
  for (const b of found) total += Number(b.burn_tbsa_percent);
  return total;
}

/** The latest value of one vital sign, or undefined. */
export function latest(vitals: Wire[], name: string): unknown {
  for (let i = vitals.length - 1; i >= 0; i--) {
    const v = vitals[i][name];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}
