// The card folded on the device: tourniquet clocks from stored times, triage with its rule.
import { describe, expect, it } from "vitest";
import { clock, fold } from "../src/card";
import type { StoredEvent, Wire } from "../src/db";
import { nato, precedence } from "../src/triage";

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
});
