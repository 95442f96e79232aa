// Finding casualties by short id, name or unit (issue 17 item 5).
import { describe, expect, it } from "vitest";
import { findCasualties, matches } from "../src/search";
import type { ServerCard } from "../src/remote";

// Only the identity fields a test gives: the search reads each with a fallback.
const card = (casualty_id: string, identity: Partial<NonNullable<ServerCard["identity"]>>): ServerCard =>
  ({ casualty_id, updated_seq: 1, identity: identity as NonNullable<ServerCard["identity"]> });

const LYS = card("dec82c58-0000-4000-8000-000000000001", { callsign: "Lys", name_last: "Kovalenko", unit: "1st battalion, 3rd company" });
const OLENA = card("4a1f0000-0000-4000-8000-000000000002", { name_last: "Шевченко", name_first: "Олена", unit: "93 ОМБр" });
const NOBODY = card("77770000-0000-4000-8000-000000000003", {});

describe("matches", () => {
  it.each([
    ["#DEC8", LYS],
    ["dec8", LYS],
    ["#4A1F", OLENA],
    ["lys", LYS],
    ["KOVAL", LYS],
    ["шевч", OLENA],
    ["олена", OLENA],
    ["3rd company", LYS],
    ["93 омбр", OLENA],
    ["#7777", NOBODY],
  ])("finds %s", (query, which) => {
    expect(matches(which, query)).toBe(true);
  });

  it.each([
    ["", LYS],
    ["#LYS", LYS],
    ["#4A1F", LYS],
    ["petro", LYS],
    ["battalion", OLENA],
  ])("does not find %s", (query, which) => {
    expect(matches(which, query)).toBe(false);
  });
});

describe("findCasualties", () => {
  it("returns every match, in order of id, at most the limit", () => {
    expect(findCasualties([LYS, OLENA, NOBODY], "o").map((c) => c.casualty_id)).toEqual([LYS.casualty_id]);
    expect(findCasualties([NOBODY, LYS, OLENA], "#").length).toBe(0);
    const many = Array.from({ length: 30 }, (_, i) => card(`aa${String(i).padStart(2, "0")}0000-0000-4000-8000-000000000000`, {}));
    expect(findCasualties(many, "#AA", 20).length).toBe(20);
  });
});
