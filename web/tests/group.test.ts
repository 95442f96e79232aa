// Several casualties at one site (issue 13, item 12): the list by triage category with counts,
// and one request for the selected casualties, as the server's domain would count it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fold } from "../src/card";
import type { StoredEvent, Wire } from "../src/db";
import { byTriage, category, categoryCounts, groupRequest, lineCounts } from "../src/group";
import type { RuleCase } from "./rules-answer";

let n = 0;
function card(...events: [string, Record<string, unknown>][]) {
  const casualty = `7b7d9c1e-2222-4222-8333-${String(++n).padStart(12, "0")}`;
  const all: [string, Record<string, unknown>][] = [["casualty_registered", { identity: { status: "own_military" } }], ...events];
  const stored = all.map(([kind, fields], i): StoredEvent => {
    n += 1;
    const at = `2022-06-14T12:${String(30 + i).padStart(2, "0")}:00Z`;
    const event: Wire = {
      kind, event_id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, casualty_id: casualty,
      occurred_at: at, recorded_at: at, author: "medic", device: "phone", ...fields,
    };
    return { event_id: event.event_id, stream: "casualty", stream_id: casualty, kind, event, state: "stored", origin: "device", created: n };
  });
  return fold(casualty, stored);
}

const radio = { frequency: "38.900 MHZ", callSign: "KALYNA 21", security: "E", marking: "D" };
const pickup = { lat: 48.5671234, lon: 37.9912345 };
const walking = ["vitals_recorded", { walking: true }] as [string, Record<string, unknown>];
const tourniquet = ["tourniquet_applied", { limb: "left_leg", category: "limb" }] as [string, Record<string, unknown>];
const killed = ["outcome_recorded", { outcome: "killed_in_action" }] as [string, Record<string, unknown>];
const assessed = (c: string) => ["triage_assessed", { system: "nato", category: c, suggested: c }] as [string, Record<string, unknown>];

describe("the list by triage category", () => {
  it("puts immediate first, then delayed, minimal, the untriaged, expectant and dead, and counts each", () => {
    const dead = card(killed);
    const minimal = card(walking);
    const immediate = card(tourniquet);
    const untriaged = card();
    const expectant = card(assessed("T4"));
    const delayed = card(assessed("T2"));
    const sorted = byTriage([dead, minimal, immediate, untriaged, expectant, delayed]);
    expect(sorted.map(category)).toEqual(["T1", "T2", "T3", null, "T4", "dead"]);
    expect(categoryCounts([dead, minimal, immediate, untriaged, expectant, delayed, card(tourniquet)])).toEqual({
      T1: 2, T2: 1, T3: 1, T4: 1, dead: 1, none: 1,
    });
  });
});

describe("one request for several casualties", () => {
  it("gives each casualty its part, leaves out the dead and files at the most urgent precedence", () => {
    const urgent = card(["evacuation_requested", { request_id: "old", precedence: "A", position: "seated" }]);
    const bleeding = card(tourniquet);
    const walker = card(walking);
    const dead = card(tourniquet, killed);
    const request = groupRequest([walker, dead, urgent, bleeding], pickup, radio, "req-1", "unit-1");
    expect(request.counted).toEqual([walker.casualty_id, urgent.casualty_id, bleeding.casualty_id]);
    expect(request.notCounted).toEqual([dead.casualty_id]);
    expect(request.parts.map((p) => [p.precedence, p.position, p.request_id])).toEqual([
      ["D", "seated", "req-1"],
      ["A", "seated", "req-1"],
      ["B", "litter", "req-1"],
    ]);
    expect(request.filed).toMatchObject({ request_id: "req-1", unit_id: "unit-1", precedence: "A", casualty_ids: request.counted });
    expect(request.nineLine).toContain("LINE 3: A1 B1 C0 D1 E0\n");
    expect(request.nineLine).toContain("LINE 5: L1 A2\n");
    expect(lineCounts(request.filed!.nine_line)).toEqual({ byPrecedence: { A: 1, B: 1, C: 0, D: 1, E: 0 }, litter: 1, ambulatory: 2, total: 3 });
  });

  it("files nothing when every selected casualty is dead", () => {
    const request = groupRequest([card(killed)], pickup, radio, "req-2", "unit-1");
    expect([request.filed, request.parts, request.nineLine]).toEqual([null, [], ""]);
  });

  it("sends the 9-line the Python domain writes for every several-casualty golden case", () => {
    let checked = 0;
    for (const file of ["named.json", "random.json"]) {
      const path = new URL(`../../tests/goldens/rules/${file}`, import.meta.url).pathname;
      for (const c of JSON.parse(readFileSync(path, "utf8")) as RuleCase[]) {
        if (c.casualties.length < 2) continue;
        const cards = c.casualties.map((x) =>
          fold(x.casualty_id, x.events.map((event, created): StoredEvent => ({
            event_id: event.event_id, stream: "casualty", stream_id: x.casualty_id, kind: event.kind, event,
            state: "stored", origin: "server", created,
          }))),
        );
        const caseRadio = { frequency: c.frequency ?? "38.900 MHZ", callSign: c.call_sign ?? "KALYNA 21", security: c.security, marking: c.marking };
        const request = groupRequest(cards, c.pickup, caseRadio, "r", "u");
        expect([c.name, request.nineLine || null]).toEqual([c.name, c.expected.nine_line]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });
});

describe("lineCounts", () => {
  it("reads lines 3 and 5 back from a filed 9-line, and nothing from none", () => {
    expect(lineCounts("LINE 1: 37U\nLINE 3: A2 B0 C1 D0 E0\nLINE 5: L2 A1\n")).toEqual({
      byPrecedence: { A: 2, B: 0, C: 1, D: 0, E: 0 }, litter: 2, ambulatory: 1, total: 3,
    });
    expect(lineCounts(null)).toBeNull();
    expect(lineCounts("free text")).toBeNull();
  });
});
