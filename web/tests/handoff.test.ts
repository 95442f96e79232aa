// The browser's handoff codec reads the Python codec's golden vectors (tests/goldens/handoff)
// alike: the same events from the good ones, the same field named for the bad ones. With
// GOLDENHOUR_HANDOFF_OUT set, it writes its own encoding of every casualty history of
// tests/goldens/rules (and of the handoff vectors) for pytest to decode with the Python codec
// (tests/integration/test_handoff_parity.py).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Wire } from "../src/db";
import { CASUALTY_KINDS, Collector, decodeHandoff, encodeHandoff, HandoffError, readPart } from "../src/handoff/codec";

interface Golden {
  casualty_kinds: string[];
  good: { name: string; events: Wire[]; parts: string[] }[];
  bad: { name: string; parts: string[]; field: string }[];
}

const golden: Golden = JSON.parse(readFileSync(new URL("../../tests/goldens/handoff/vectors.json", import.meta.url), "utf-8"));
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

describe("handoff codec", () => {
  it("refuses the kinds the domain refuses", () => {
    expect([...CASUALTY_KINDS].sort()).toEqual(golden.casualty_kinds);
  });

  for (const vector of golden.good) {
    it(`decodes ${vector.name}`, () => {
      const parts = vector.parts.map(bytes);
      expect(decodeHandoff(parts)).toEqual(vector.events);
      expect(decodeHandoff([...parts].reverse().concat(parts))).toEqual(vector.events);
    });
    it(`encodes ${vector.name} and reads it back`, () => {
      const parts = encodeHandoff(vector.events, 100);
      expect(parts.every((p) => p.length <= 107)).toBe(true);
      expect(parts.map((p) => readPart(p).index)).toEqual(parts.map((_, i) => i + 1));
      expect(decodeHandoff(parts)).toEqual(vector.events);
    });
  }

  for (const vector of golden.bad) {
    it(`refuses ${vector.name} naming ${vector.field}`, () => {
      let refused: unknown = null;
      try {
        decodeHandoff(vector.parts.map(bytes));
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(HandoffError);
      expect((refused as HandoffError).field).toBe(vector.field);
    });
  }

  it("counts the parts it has as they come", () => {
    const parts = golden.good.find((v) => v.parts.length === 3)!.parts.map(bytes);
    const collector = new Collector();
    collector.add(parts[2]);
    expect([collector.parts.size, collector.count, collector.complete]).toEqual([1, 3, false]);
    collector.add(parts[2]);
    collector.add(parts[0]);
    collector.add(parts[1]);
    expect(collector.complete).toBe(true);
  });
});

const out = process.env.GOLDENHOUR_HANDOFF_OUT;

if (out) {
  it("writes every golden history as handoff codes", () => {
    const directory = new URL("../../tests/goldens/rules/", import.meta.url).pathname;
    const written: { name: string; events: Wire[]; parts: string[] }[] = [];
    const hex = (p: Uint8Array) => [...p].map((b) => b.toString(16).padStart(2, "0")).join("");
    for (const vector of golden.good) {
      written.push({ name: vector.name, events: vector.events, parts: encodeHandoff(vector.events).map(hex) });
    }
    for (const file of readdirSync(directory).filter((f) => f.endsWith(".json")).sort()) {
      const cases = JSON.parse(readFileSync(join(directory, file), "utf8")) as { name: string; casualties: { events: Wire[] }[] }[];
      for (const c of cases) {
        c.casualties.forEach((x, i) => {
          if (x.events.length === 0) return;
          written.push({ name: `${file} ${c.name} #${i}`, events: x.events, parts: encodeHandoff(x.events, 200).map(hex) });
        });
      }
    }
    writeFileSync(out, JSON.stringify(written));
  });
}
