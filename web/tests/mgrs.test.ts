// MGRS in the browser agrees with GeographicLib's GeoConvert on the reference rows the Python
// tests use too (tests/data/mgrs/geoconvert-reference.tsv, source in tests/data/README.md),
// outside the polar regions, which the `mgrs` package does not cover (UPS).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromMgrs, toMgrs } from "../src/geo";

const table = fileURLToPath(new URL("../../tests/data/mgrs/geoconvert-reference.tsv", import.meta.url));
const rows = readFileSync(table, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("\t"))
  .map(([id, category, lat, lon, mgrs]) => ({ id, category, lat: Number(lat), lon: Number(lon), mgrs }));
const covered = rows.filter((r) => !/polar|svalbard|norway/.test(r.category));

function metres(a: string, b: string): number {
  // Same grid square: compare eastings and northings in metres.
  const split = (s: string) => [s.slice(0, -10), Number(s.slice(-10, -5)), Number(s.slice(-5))] as const;
  const [sa, ea, na] = split(a);
  const [sb, eb, nb] = split(b);
  return sa === sb ? Math.hypot(ea - eb, na - nb) : Infinity;
}

describe("MGRS against GeoConvert", () => {
  it("covers Ukraine and the band and zone edges", () => {
    expect(covered.length).toBeGreaterThan(100);
  });

  it.each(covered)("formats row $id ($category) within 1 m of GeoConvert", (row) => {
    const ours = toMgrs({ lat: row.lat, lon: row.lon }).replace(/ /g, "");
    expect(metres(ours, row.mgrs)).toBeLessThanOrEqual(1.5);
  });

  it.each(covered.filter((r) => r.category.startsWith("ukraine")))("reads row $id back to within 2 m", (row) => {
    const back = fromMgrs(row.mgrs)!;
    const dy = (back.lat - row.lat) * 111_320;
    const dx = (back.lon - row.lon) * 111_320 * Math.cos((row.lat * Math.PI) / 180);
    expect(Math.hypot(dx, dy)).toBeLessThan(2);
  });

  it("refuses what is not MGRS", () => {
    expect(fromMgrs("37U DQ 123")).toBeNull();
    expect(fromMgrs("hello")).toBeNull();
  });
});
