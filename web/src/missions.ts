// Sending a vehicle: the events a coordinator's assignment makes, whether chosen by hand or
// accepted from the planner's suggestion. Each goes to the device's outbox (events.ts), so an
// assignment made offline is sent when the connection is back.
import { emit, uuid } from "./events";
import type { Suggestion } from "./plan";

export interface Assignment {
  mission_id: string;
  vehicle_id: string;
  request_ids: string[];
  destination_id: string;
  unit_id: string;
  eta_pickup: string | null;
  eta_destination: string | null;
  /** Why, when the coordinator overrides the plan; null when following it. */
  reason: string | null;
}

export interface Pending {
  kind: string;
  fields: Record<string, unknown>;
}

/** The events of an assignment, in order: each request acknowledged, the mission, the vehicle. */
export function assignmentEvents(a: Assignment): Pending[] {
  return [
    ...a.request_ids.map((request_id) => ({ kind: "request_acknowledged", fields: { request_id, eta: a.eta_pickup } })),
    {
      kind: "mission_assigned",
      fields: {
        mission_id: a.mission_id,
        vehicle_id: a.vehicle_id,
        request_ids: [...a.request_ids],
        destination_id: a.destination_id,
        unit_id: a.unit_id,
        eta_pickup: a.eta_pickup,
        eta_destination: a.eta_destination,
        reason: a.reason,
      },
    },
    { kind: "vehicle_status_changed", fields: { vehicle_id: a.vehicle_id, status: "assigned" } },
  ];
}

/** The assignment that accepts a suggestion as the planner made it (no override reason), with
 * the planner's own pickup and delivery times as the mission's ETAs. */
export function fromSuggestion(s: Suggestion, where: { unit_id: string }, missionId: string = uuid()): Assignment {
  return {
    mission_id: missionId,
    vehicle_id: s.vehicle_id,
    request_ids: [...s.request_ids],
    destination_id: s.destination_id,
    unit_id: where.unit_id,
    eta_pickup: new Date(s.pickup_at).toISOString(),
    eta_destination: new Date(s.delivery_at).toISOString(),
    reason: null,
  };
}

/** Write an assignment's events to the outbox, in order. */
export async function assign(
  a: Assignment,
  send: (kind: string, fields: Record<string, unknown>) => Promise<unknown> = emit,
): Promise<void> {
  for (const e of assignmentEvents(a)) await send(e.kind, e.fields);
}
