// Shared by the plan tests: the server's answer, and a bad one refused naming the field.
import { expect } from "vitest";
import { parsePlan, PlanFormatError } from "../src/plan";

/** Parsing `value` as a plan fails with a `PlanFormatError` naming `field`. */
export function expectBadPlanField(value: unknown, field: string): void {
  let error: unknown = null;
  try {
    parsePlan(value);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PlanFormatError);
  expect((error as PlanFormatError).field).toBe(field);
}

export const KALYNA = "05f2cc20-3f3b-5f40-bcb2-735e61601196";
export const REQUEST = "78d42717-5e35-5017-b73e-0e955081c42a";
export const SLOVIANSK = "998c709b-97da-510a-9fdc-410502557c3f";
export const LYS = "43350aa3-34c5-5724-973a-aa864727294e";

/** A plan as the server answers (src/goldenhour/api/routes/plan.py's example), with the first
 * suggestion's fields replaced by `suggestion`. */
export function planResponse(suggestion: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    generated_at: "2022-06-14T09:40:00+00:00",
    horizon_min: 480.0,
    method: "cp-sat optimal",
    solve_ms: 21.4,
    waiting: 3,
    idle_vehicles: 3,
    suggestions: [
      {
        vehicle_id: KALYNA,
        call_sign: "KALYNA 21",
        casualties: [{ casualty_id: LYS, label: "Lys", category: "immediate", precedence: "B", request_id: REQUEST }],
        request_ids: [REQUEST],
        pickup: { lat: 48.9172, lon: 38.2297 },
        pickup_point_id: "70505e5b-6573-527b-b61f-c37f8cd72ee3",
        destination_id: SLOVIANSK,
        destination_name: "Sloviansk hospital",
        destination_kind: "facility",
        depart_at: "2022-06-14T09:40:00+00:00",
        pickup_at: "2022-06-14T10:21:00+00:00",
        delivery_at: "2022-06-14T11:08:00+00:00",
        expected_gain: 0.028,
        reason: "KALYNA 21 to Lys first: tourniquet on for 42 min",
        explanation: { casualty_label: "Lys", tourniquet_min: 42, p_now: 0.031, p_later: 0.012, after_labels: [], sets_off_in_min: null },
        ...suggestion,
      },
    ],
    left_out: [{ kind: "vehicle", id: "a6a0c1d2-3e4f-5a6b-8c7d-9e0f1a2b3c4d", reason: "unavailable" }],
  };
}
