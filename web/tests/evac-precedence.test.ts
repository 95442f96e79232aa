// The single-casualty request form files the precedence its own 9-line counts the casualty at
// (line 3), with the Python domain as the reference: no precedence at all is routine, D
// (domain/medevac/from_card.py patient_counts).
import { describe, expect, it } from "vitest";
import { fold } from "../src/card";
import type { StoredEvent, Wire } from "../src/db";
import { nineLine, requestPrecedence } from "../src/medevac";

let n = 0;
function card(...events: [string, Record<string, unknown>][]) {
  const casualty = `5c1f0a2e-2222-4333-8444-${String(++n).padStart(12, "0")}`;
  const stored: StoredEvent[] = [["casualty_registered", {}] as const, ...events].map(([kind, fields], i) => {
    n += 1;
    const at = `2022-06-14T12:${String(30 + i).padStart(2, "0")}:00Z`;
    const event: Wire = {
      kind, event_id: `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`, casualty_id: casualty,
      occurred_at: at, recorded_at: at, author: "medic", device: "phone", ...fields,
    };
    return { event_id: event.event_id, stream: "casualty", stream_id: casualty, kind, event, state: "stored" as const, origin: "server" as const, created: n };
  });
  return fold(casualty, stored);
}
const radio = { frequency: "38.900 MHZ", callSign: "KALYNA 21", security: "E", marking: "D" };
const pickup = { lat: 48.5671234, lon: 37.9912345 };

/** The precedence line 3 counts the one casualty at. */
function lineThree(text: string): string {
  const counts = /LINE 3: A(\d+) B(\d+) C(\d+) D(\d+) E(\d+)/.exec(text);
  if (!counts) throw new Error(`no line 3 in ${text}`);
  return "ABCDE"[counts.slice(1).findIndex((count) => count === "1")];
}

describe("requestPrecedence", () => {
  it("files a casualty with no triage as routine, D, as line 3 counts him", () => {
    const c = card();
    expect(requestPrecedence(c)).toBe("D");
    expect(lineThree(nineLine([c], pickup, radio))).toBe("D");
  });

  it("agrees with line 3 for an assessed, a suggested and an already requested precedence", () => {
    const cases: [string, ReturnType<typeof card>][] = [
      ["B", card(["triage_assessed", { system: "precedence", category: "B" }])],
      ["C", card(["triage_assessed", { system: "nato", category: "T2" }])],
      ["A", card(["evacuation_requested", { request_id: "r", precedence: "A", position: "litter" }])],
    ];
    for (const [expected, c] of cases) {
      expect(requestPrecedence(c)).toBe(expected);
      expect(lineThree(nineLine([c], pickup, radio))).toBe(expected);
    }
  });
});
