// Cards and records as the server serves them, turned into the device's Card shape.
import { type Card, type Tourniquet, withEnd } from "./card";
import type { Wire } from "./db";
import type { LatLon } from "./geo";

import type { components } from "./api/schema";

type Schemas = components["schemas"];
// The keys every reader relies on come from the types generated from the server's OpenAPI schema
// (scripts/web-types): a card or record the server renames or retypes breaks this build.
export type ServerCard = Record<string, unknown> & Pick<Schemas["CardListed"], "casualty_id" | "updated_seq" | "precedence">;
export type RecordRow = Record<string, unknown> & Pick<Schemas["RequestRecord"] | Schemas["MissionRecord"] | Schemas["VehicleRecord"] | Schemas["FacilityRecord"] | Schemas["PointRecord"] | Schemas["ThreatRecord"] | Schemas["UnitRecord"], "id" | "updated_seq">;
/** Each stream's record as the server serves it. */
export type RequestRecord = Schemas["RequestRecord"];
export type MissionRecord = Schemas["MissionRecord"];
export type VehicleRecord = Schemas["VehicleRecord"];
export type FacilityRecord = Schemas["FacilityRecord"];

export function fromServer(c: ServerCard): Card {
  const list = (name: string) => (c[name] as Wire[]) ?? [];
  const triage: Record<string, Wire> = {};
  for (const [system, e] of Object.entries((c.triage as Record<string, Wire>) ?? {})) triage[system] = e;
  return {
    casualty_id: c.casualty_id,
    registered_at: (c.registered as boolean) ? (c.last_event_at as string) : null,
    identity: Object.fromEntries(Object.entries((c.identity as Record<string, unknown>) ?? {}).filter(([, v]) => v != null)),
    position: (c.position as LatLon) ?? null,
    injured_at: (c.injured_at as string) ?? null,
    injury_times: [], // the server's card holds only the time that counts
    injuries: list("injuries"),
    tourniquets: ((c.tourniquets as Record<string, unknown>[]) ?? []).map(
      // The clock stops at the earlier of conversion and removal, as on the server
      // (TourniquetRecord.ended_at), whichever of the two the server sends first.
      (t): Tourniquet =>
        withEnd({
          application_id: String(t.application_id),
          limb: (t.limb as string) ?? null,
          category: String(t.category),
          location: (t.location as string) ?? null,
          type: (t.tourniquet_type as string) ?? null,
          applied_at: String(t.applied_at),
          converted_at: (t.converted_at as string) ?? null,
          removed_at: (t.removed_at as string) ?? null,
          ended_at: null,
          ended: null,
        }),
    ),
    treatments: list("treatments"),
    medications: list("medications"),
    fluids: list("fluids"),
    vitals: list("vitals"),
    triage,
    evacuations: list("evacuation_requests"),
    handovers: list("handovers"),
    notes: list("notes"),
    outcome: (c.outcome as Wire) ?? null,
    pending: 0,
    refused: [],
    last_at: (c.last_event_at as string) ?? null,
  };
}

/** How long a request may wait by precedence (ATP 4-02.2: A and B 1 h, C 4 h, D 24 h). */
export const PRECEDENCE_LIMIT_MS: Record<string, number> = { A: 3600_000, B: 3600_000, C: 4 * 3600_000, D: 24 * 3600_000 };
export const PRECEDENCE_ORDER = ["A", "B", "C", "D", "E"];
