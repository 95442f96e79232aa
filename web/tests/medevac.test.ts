// The 9-line and MIST filled on the device, as the server fills them (domain/medevac/from_card.py).
import { describe, expect, it } from "vitest";
import { fold } from "../src/card";
import type { StoredEvent, Wire } from "../src/db";
import { mist, nineLine } from "../src/medevac";

let n = 0;
function history(...events: [string, string, Record<string, unknown>][]): StoredEvent[] {
  const casualty = `7b7d9c1e-1111-4222-8333-${String(++n).padStart(12, "0")}`;
  return [["casualty_registered", "2022-06-14T12:30:00Z", { identity: { status: "own_military" } }] as const, ...events].map(([kind, at, fields]) => {
    n += 1;
    const event: Wire = {
      kind, event_id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, casualty_id: casualty,
      occurred_at: at, recorded_at: at, author: "medic", device: "phone", ...fields,
    };
    return { event_id: event.event_id, stream: "casualty", stream_id: casualty, kind, event, state: "stored" as const, origin: "server" as const, created: n };
  });
}
const card = (...events: [string, string, Record<string, unknown>][]) => {
  const stored = history(...events);
  return fold(stored[0].stream_id, stored);
};
const radio = { frequency: "38.900 MHZ", callSign: "KALYNA 21", security: "E", marking: "D" };
const pickup = { lat: 48.5671234, lon: 37.9912345 };

describe("nineLine", () => {
  it("counts the request's own precedence and position, not the suggestion", () => {
    const c = card(["evacuation_requested", "2022-06-14T12:40:00Z", { request_id: "r", precedence: "A", position: "seated" }]);
    const text = nineLine([c], pickup, radio);
    expect(text).toContain("LINE 3: A1 B0 C0 D0 E0\n");
    expect(text).toContain("LINE 5: L0 A1\n");
  });

  it("leaves out the dead, counts the unassessed as routine, and writes line 1 to 10 m", () => {
    const dead = card(["outcome_recorded", "2022-06-14T12:40:00Z", { outcome: "killed_in_action" }]);
    const unknown = card();
    const text = nineLine([dead, unknown], pickup, radio);
    expect(text).toContain("LINE 1: 37U DP 2557 7982\n");
    expect(text).toContain("LINE 3: A0 B0 C0 D1 E0\n");
    expect(nineLine([dead], pickup, radio)).toBe("");
  });

  it("asks for a ventilator for an ET tube or a cric, and leaves line 8 out when a status is unknown", () => {
    const tubed = card(["treatment_given", "2022-06-14T12:40:00Z", { intervention: "et_tube" }]);
    expect(nineLine([tubed], pickup, radio)).toContain("LINE 4: D\n");
    const stored = history();
    const nobody = fold(stored[0].stream_id, stored.map((s) => ({ ...s, event: { ...s.event, identity: {} } })));
    expect(nineLine([tubed, nobody], pickup, radio)).not.toContain("LINE 8");
  });
});

describe("mist", () => {
  it("prints no injury time when it is unknown, not the registration time", () => {
    const text = mist(card(), Date.parse("2022-06-14T13:00:00Z")); // registered at 12:30Z
    expect(text).not.toContain("TIME:");
    expect(text).not.toContain("141230Z");
  });

  it("pairs each systolic with the diastolic of its own set", () => {
    const c = card(
      ["vitals_recorded", "2022-06-14T12:35:00Z", { systolic: 90, diastolic: 80 }],
      ["vitals_recorded", "2022-06-14T12:45:00Z", { systolic: 90 }],
    );
    const text = mist(c, Date.parse("2022-06-14T13:00:00Z"));
    expect(text).toContain("1235Z BP 90/80");
    expect(text).toContain("1245Z BP 90/P");
  });
});
