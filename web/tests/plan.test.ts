// The planner's suggestions: read strictly, matched with the picture, drawn, refreshed no more
// often than allowed, and accepted as the same events as a manual assignment.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { expectBadPlanField, KALYNA, LYS, planResponse, REQUEST, SLOVIANSK } from "./plan-fixtures";
import { assign, assignmentEvents, fromSuggestion } from "../src/missions";
import {
  blocked,
  destinationPosition,
  formatGain,
  parsePlan,
  planRoutes,
  suggestionKey,
  throttle,
  vehiclePosition,
  withoutRequest,
} from "../src/plan";
import type { RecordRow } from "../src/remote";

const UNIT = "11111111-2222-4333-8444-555566667777";

function body(): Record<string, unknown> {
  return planResponse();
}

function row(id: string, fields: Record<string, unknown>): RecordRow {
  return { id, updated_seq: 1, ...fields };
}

const vehicles = [row(KALYNA, { call_sign: "KALYNA 21", base: { lat: 48.85, lon: 38.1 }, status: "available" })];
const facilities = [row(SLOVIANSK, { name: "Sloviansk hospital", position: { lat: 48.85, lon: 37.6 } })];

describe("parsePlan", () => {
  it("reads the server's answer", () => {
    const plan = parsePlan(body());
    expect(plan.solve_ms).toBe(21.4);
    expect(plan.suggestions).toHaveLength(1);
    const [s] = plan.suggestions;
    expect([s.call_sign, s.destination_name, s.destination_kind, s.request_ids]).toEqual(["KALYNA 21", "Sloviansk hospital", "facility", [REQUEST]]);
    expect(s.casualties[0]).toEqual({ casualty_id: LYS, label: "Lys", category: "immediate", precedence: "B", request_id: REQUEST });
    expect(plan.left_out).toEqual([{ kind: "vehicle", id: "a6a0c1d2-3e4f-5a6b-8c7d-9e0f1a2b3c4d", reason: "unavailable", code: "other" }]);
  });

  it("reads a casualty with no request and an empty plan", () => {
    const b = body();
    const s = (b.suggestions as Record<string, unknown>[])[0];
    s.request_ids = [];
    (s.casualties as Record<string, unknown>[])[0].request_id = null;
    s.pickup_point_id = null;
    expect(parsePlan(b).suggestions[0].casualties[0].request_id).toBeNull();
    expect(parsePlan({ ...body(), suggestions: [], left_out: [] }).suggestions).toEqual([]);
  });

  it.each([
    ["body", null],
    ["solve_ms", { ...body(), solve_ms: "fast" }],
    ["generated_at", { ...body(), generated_at: "yesterday" }],
    ["suggestions", { ...body(), suggestions: {} }],
    ["suggestions[0].vehicle_id", { ...body(), suggestions: [{ ...(body().suggestions as object[])[0], vehicle_id: 7 }] }],
    ["suggestions[0].pickup.lat", { ...body(), suggestions: [{ ...(body().suggestions as object[])[0], pickup: { lon: 38 } }] }],
    ["suggestions[0].pickup", { ...body(), suggestions: [{ ...(body().suggestions as object[])[0], pickup: { lat: 148, lon: 38 } }] }],
    ["suggestions[0].destination_kind", { ...body(), suggestions: [{ ...(body().suggestions as object[])[0], destination_kind: "depot" }] }],
    ["suggestions[0].request_ids[0]", { ...body(), suggestions: [{ ...(body().suggestions as object[])[0], request_ids: [1] }] }],
    ["suggestions[0].casualties[0].label", { ...body(), suggestions: [{ ...(body().suggestions as object[])[0], casualties: [{ casualty_id: LYS }] }] }],
    ["left_out[0].kind", { ...body(), left_out: [{ kind: "facility", id: "x", reason: "y" }] }],
  ])("names the bad field: %s", (field, value) => expectBadPlanField(value, field));
});

describe("a suggestion against the picture", () => {
  const s = parsePlan(body()).suggestions[0];

  it("can be accepted when its requests have no mission", () => {
    expect(blocked(s, [], vehicles)).toBeNull();
    expect(blocked(s, [row("m1", { request_ids: [REQUEST], vehicle_id: KALYNA, status: "cancelled" })], vehicles)).toBeNull();
  });

  it("cannot be accepted twice", () => {
    expect(blocked(s, [row("m1", { request_ids: [REQUEST], vehicle_id: KALYNA, status: "assigned" })], vehicles)).toEqual({ why: "assigned", vehicle: "KALYNA 21" });
  });

  it("cannot become a mission without a request", () => {
    const alone = { ...s, request_ids: [], casualties: [{ ...s.casualties[0], request_id: null }] };
    expect(blocked(alone, [], vehicles)).toEqual({ why: "no_request" });
    expect(withoutRequest(alone)).toHaveLength(1);
    expect(withoutRequest(s)).toEqual([]);
  });

  it("finds the vehicle (reported, else base) and the destination", () => {
    expect(vehiclePosition(vehicles, KALYNA)).toEqual({ lat: 48.85, lon: 38.1 });
    expect(vehiclePosition([{ ...vehicles[0], position: { lat: 48.9, lon: 38.2 } }], KALYNA)).toEqual({ lat: 48.9, lon: 38.2 });
    expect(vehiclePosition(vehicles, "other")).toBeNull();
    expect(destinationPosition(s, facilities, [])).toEqual({ lat: 48.85, lon: 37.6 });
    expect(destinationPosition({ ...s, destination_kind: "exchange_point" }, facilities, [])).toBeNull();
  });

  it("is drawn from the vehicle through the pickup to the destination", () => {
    const plan = parsePlan(body());
    const routes = planRoutes(plan, { vehicles, facilities, points: [] }, suggestionKey(s));
    expect(routes.features).toHaveLength(1);
    expect(routes.features[0].geometry).toEqual({ type: "LineString", coordinates: [[38.1, 48.85], [38.2297, 48.9172], [37.6, 48.85]] });
    expect(routes.features[0].properties).toMatchObject({ selected: 1, vehicle: "KALYNA 21" });
    expect(planRoutes(plan, { vehicles: [], facilities: [], points: [] }, null).features).toEqual([]);
    expect(planRoutes(null, { vehicles, facilities, points: [] }, null).features).toEqual([]);
  });

  it("writes the gain in two significant figures", () => {
    expect([formatGain(0.028, "en"), formatGain(0.0014553, "en"), formatGain(1.234, "en"), formatGain(0.0002, "en"), formatGain(0, "en")]).toEqual(["0.028", "0.0015", "1.2", "< 0.001", "0"]);
    expect([formatGain(0.028, "uk"), formatGain(1.234, "uk")]).toEqual(["0,028", "1,2"]);
  });
});

describe("accepting", () => {
  const s = parsePlan(body()).suggestions[0];

  it("makes the events of a manual assignment, in order", () => {
    const a = fromSuggestion(s, { unit_id: UNIT }, "mission-1");
    const events = assignmentEvents(a);
    expect(events.map((e) => e.kind)).toEqual(["request_acknowledged", "mission_assigned", "vehicle_status_changed"]);
    expect(events[0].fields).toEqual({ request_id: REQUEST, eta: a.eta_pickup });
    expect(events[1].fields).toEqual({
      mission_id: "mission-1",
      vehicle_id: KALYNA,
      request_ids: [REQUEST],
      destination_id: SLOVIANSK,
      unit_id: UNIT,
      eta_pickup: a.eta_pickup,
      eta_destination: "2022-06-14T11:08:00.000Z",
      reason: null,
    });
    expect(a.eta_pickup).toBe(new Date(s.pickup_at).toISOString()); // the planner's, not a guess
    expect(events[2].fields).toEqual({ vehicle_id: KALYNA, status: "assigned" });
  });

  it("acknowledges every request of the mission", () => {
    const two = fromSuggestion({ ...s, request_ids: [REQUEST, "r2"] }, { unit_id: UNIT }, "m");
    expect(assignmentEvents(two).filter((e) => e.kind === "request_acknowledged").map((e) => e.fields.request_id)).toEqual([REQUEST, "r2"]);
  });

  it("gives each acceptance a fresh mission id and sends through the outbox", async () => {
    const where = { unit_id: UNIT };
    expect(fromSuggestion(s, where).mission_id).not.toBe(fromSuggestion(s, where).mission_id);
    const sent: string[] = [];
    await assign(fromSuggestion(s, where), async (kind) => void sent.push(kind));
    expect(sent).toEqual(["request_acknowledged", "mission_assigned", "vehicle_status_changed"]);
  });
});

describe("throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function counter() {
    const runs: number[] = [];
    const fn = vi.fn(async () => void runs.push(Date.now()));
    return { fn, runs };
  }

  it("runs changes at most once per interval, coalesced", async () => {
    const { fn } = counter();
    const th = throttle(fn, 5000);
    th.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(1);
    th.request();
    th.request();
    th.request();
    await vi.advanceTimersByTimeAsync(4000);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("runs on demand at once, never two at a time", async () => {
    let release: () => void = () => undefined;
    const fn = vi.fn(() => new Promise<void>((r) => (release = r)));
    const th = throttle(fn, 5000);
    th.now();
    th.now();
    th.request();
    expect(fn).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(2); // the demand made during the run, at once
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("keeps going after a failed run and stops when told", async () => {
    const fn = vi.fn(async () => {
      throw new Error("offline");
    });
    const th = throttle(fn, 5000);
    th.now();
    await vi.advanceTimersByTimeAsync(0);
    th.request();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fn).toHaveBeenCalledTimes(2);
    th.request();
    th.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    th.now();
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
