// Cards and records as the server serves them, turned into the device's Card shape.
import type { components } from "./api/schema";
import { type Card, type Tourniquet, withEnd } from "./card";

type Schemas = components["schemas"];
// Cards and records are typed from the server's OpenAPI schema (src/api/schema.d.ts, written by
// scripts/web-types): a field the server renames or retypes breaks this build. A card is read
// field by field with a fallback for each, so any field but its id and last change may be absent.
export type ServerCard = Partial<Schemas["CardListed"]> & Pick<Schemas["CardListed"], "casualty_id" | "updated_seq">;
export type RecordRow = Record<string, unknown> & Pick<Schemas["RequestRecord"] | Schemas["MissionRecord"] | Schemas["VehicleRecord"] | Schemas["FacilityRecord"] | Schemas["PointRecord"] | Schemas["ThreatRecord"] | Schemas["UnitRecord"], "id" | "updated_seq">;
/** Each stream's record as the server serves it. */
export type RequestRecord = Schemas["RequestRecord"];
export type MissionRecord = Schemas["MissionRecord"];
export type VehicleRecord = Schemas["VehicleRecord"];
export type FacilityRecord = Schemas["FacilityRecord"];
export type PointRecord = Schemas["PointRecord"];
export type ThreatRecord = Schemas["ThreatRecord"];

export function fromServer(c: ServerCard): Card {
  return {
    casualty_id: c.casualty_id,
    registered_at: c.registered ? (c.last_event_at ?? null) : null,
    identity: Object.fromEntries(Object.entries(c.identity ?? {}).filter(([, v]) => v != null)),
    position: c.position ?? null,
    injured_at: c.injured_at ?? null,
    injury_times: [], // the server's card holds only the time that counts
    injuries: c.injuries ?? [],
    tourniquets: (c.tourniquets ?? []).map(
      // The clock stops at the earlier of conversion and removal, as on the server
      // (TourniquetRecord.ended_at), whichever of the two the server sends first.
      (t): Tourniquet =>
        withEnd({
          application_id: t.application_id,
          limb: t.limb ?? null,
          category: t.category,
          location: t.location ?? null,
          type: t.tourniquet_type ?? null,
          applied_at: t.applied_at,
          converted_at: t.converted_at ?? null,
          removed_at: t.removed_at ?? null,
          ended_at: null,
          ended: null,
        }),
    ),
    treatments: c.treatments ?? [],
    medications: c.medications ?? [],
    fluids: c.fluids ?? [],
    vitals: c.vitals ?? [],
    triage: { ...c.triage },
    evacuations: c.evacuation_requests ?? [],
    handovers: c.handovers ?? [],
    notes: c.notes ?? [],
    outcome: c.outcome ?? null,
    pending: 0,
    refused: [],
    last_at: c.last_event_at ?? null,
  };
}

/** How long a request may wait by precedence (ATP 4-02.2: A and B 1 h, C 4 h, D 24 h). */
export const PRECEDENCE_LIMIT_MS: Record<string, number> = { A: 3600_000, B: 3600_000, C: 4 * 3600_000, D: 24 * 3600_000 };
export const PRECEDENCE_ORDER = ["A", "B", "C", "D", "E"];
