// The card folded on the device: tourniquet clocks from stored times, triage with its rule.
import { describe, expect, it } from "vitest";
import { clock, fold } from "../src/card";
import type { StoredEvent, Wire } from "../src/db";
import { fromServer } from "../src/remote";
import { nato, precedence, start } from "../src/triage";

const casualty = "7b7d9c1e-1111-4222-8333-944455566677";
let n = 0;
function stored(kind: string, at: string, fields: Record<string, unknown> = {}): StoredEvent {
  n += 1;
  const event: Wire = {
    kind, event_id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, casualty_id: casualty,
    occurred_at: at, recorded_at: at, author: "medic", device: "phone", ...fields,
  };
  return { event_id: event.event_id, stream: "casualty", stream_id: casualty, kind, event, state: "pending", origin: "device", created: n };
}

describe("fold", () => {
  const applied = stored("tourniquet_applied", "2022-06-14T12:32:00+00:00", { limb: "left_leg", category: "extremity", location: "above the knee" });

  it("computes the clock from the applied time, not a counter", () => {
    const card = fold(casualty, [applied]);
    const now = Date.parse("2022-06-14T13:40:00Z");
    expect(clock(card.tourniquets[0], now)).toEqual({ elapsed: 68 * 60_000, alert: "warning" });
    expect(clock(card.tourniquets[0], now + 3600_000).alert).toBe("critical");
  });

  it("stops the clock when the tourniquet is removed", () => {
    const removed = stored("tourniquet_removed", "2022-06-14T12:50:00Z", { application_id: applied.event_id });
    const card = fold(casualty, [removed, applied]);
    expect(clock(card.tourniquets[0], Date.parse("2022-06-14T15:00:00Z")).elapsed).toBe(18 * 60_000);
  });

  it("suggests T1 and urgent-surgical for a tourniquet, naming the rule", () => {
    const card = fold(casualty, [applied]);
    expect(nato(card)).toMatchObject({ category: "T1", rule: "nato.lsi", surgical: true });
    expect(precedence(card).category).toBe("B");
  });

  it("drops a refused event and a retracted one", () => {
    const refused = { ...stored("vitals_recorded", "2022-06-14T12:40:00Z", { pulse: 400 }), state: "refused" as const };
    const wrong = stored("treatment_given", "2022-06-14T12:41:00Z", { intervention: "npa" });
    const retraction = stored("entry_retracted", "2022-06-14T12:42:00Z", { target: wrong.event_id, reason: "wrong card" });
    const card = fold(casualty, [refused, wrong, retraction]);
    expect(card.vitals).toHaveLength(0);
    expect(card.treatments).toHaveLength(0);
    expect(card.refused).toHaveLength(1);
  });

  it("keeps a tourniquet on when its correction is retracted", () => {
    const correction = stored("tourniquet_applied", "2022-06-14T12:32:00Z", { limb: "left_leg", category: "extremity", supersedes: applied.event_id });
    const retraction = stored("entry_retracted", "2022-06-14T12:40:00Z", { target: correction.event_id, reason: "wrong" });
    const card = fold(casualty, [applied, correction, retraction]);
    expect(card.tourniquets.map((t) => t.application_id)).toEqual([applied.event_id]);
    expect(clock(card.tourniquets[0], Date.parse("2022-06-14T14:40:00Z")).alert).toBe("critical");
    expect(precedence(card).category).toBe("B");
  });

  it("keeps a tourniquet on when its retraction is retracted", () => {
    const retraction = stored("entry_retracted", "2022-06-14T12:40:00Z", { target: applied.event_id, reason: "wrong" });
    const undo = stored("entry_retracted", "2022-06-14T12:41:00Z", { target: retraction.event_id, reason: "it was right" });
    expect(fold(casualty, [applied, retraction, undo]).tourniquets).toHaveLength(1);
  });

  it("ends a corrected application with the removal that named the original", () => {
    const removed = stored("tourniquet_removed", "2022-06-14T13:30:00Z", { application_id: applied.event_id });
    const corrected = stored("tourniquet_applied", "2022-06-14T12:30:00Z", { limb: "left_leg", category: "extremity", supersedes: applied.event_id });
    const [t] = fold(casualty, [applied, removed, corrected]).tourniquets;
    expect([t.application_id, t.ended_at]).toEqual([corrected.event_id, "2022-06-14T13:30:00.000Z"]);
  });

  it("ends a tourniquet removed at its application's instant though the removal sorts first", () => {
    const on = stored("tourniquet_applied", "2022-06-14T12:32:00Z", { limb: "right_leg", category: "extremity", recorded_at: "2022-06-14T12:34:00Z" });
    const off = stored("tourniquet_removed", "2022-06-14T12:32:00Z", { application_id: on.event_id, recorded_at: "2022-06-14T12:33:00Z" });
    expect(fold(casualty, [on, off]).tourniquets[0].ended).toBe("removed");
  });

  it("stops the coordinator's clock at the conversion, not at a later removal", () => {
    const card = fromServer({
      casualty_id: casualty,
      updated_seq: 1,
      tourniquets: [{ application_id: applied.event_id, limb: "left_leg", category: "extremity", location: null, tourniquet_type: null,
        applied_at: "2022-06-14T12:30:00Z", applied_by: "medic", converted_at: "2022-06-14T12:40:00Z", removed_at: "2022-06-14T14:40:00Z" }],
    });
    expect(clock(card.tourniquets[0], Date.parse("2022-06-14T15:00:00Z"))).toEqual({ elapsed: 10 * 60_000, alert: "ok" });
  });
});

describe("triage", () => {
  const passes = { walking: false, breathing: true, respiratory_rate: 20, radial_pulse: true };

  it("takes AVPU P or U over a ticked 'follows commands'", () => {
    for (const avpu of ["P", "U"]) {
      const card = fold(casualty, [stored("vitals_recorded", "2022-06-14T12:35:00Z", { ...passes, avpu, follows_commands: true })]);
      expect(start(card)).toMatchObject({ category: "immediate", rule: "start.avpu" });
      expect([nato(card).category, precedence(card).category]).toEqual(["T1", "A"]);
    }
  });

  it("reads a recorded death as dead, even with a tourniquet on", () => {
    const on = stored("tourniquet_applied", "2022-06-14T12:32:00Z", { limb: "left_leg", category: "extremity" });
    const kia = stored("outcome_recorded", "2022-06-14T12:50:00Z", { outcome: "killed_in_action" });
    const card = fold(casualty, [on, kia]);
    expect(nato(card)).toMatchObject({ category: "dead", rule: "nato.outcome_dead" });
    expect(precedence(card).category).toBeNull();
  });
});
