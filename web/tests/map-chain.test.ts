// The live map shows casualties still in the chain, not closed past ones (issue 17, item 4).
import { describe, expect, it } from "vitest";
import { inChain, inOpenRequests, liveCasualties, located } from "../src/map/chain";
import type { RecordRow, ServerCard } from "../src/remote";

const card = (casualty_id: string, status?: ServerCard["status"]): ServerCard => ({ casualty_id, updated_seq: 1, ...(status ? { status } : {}) });
const request = (id: string, casualty_ids: string[], status = "open"): RecordRow => ({ id, updated_seq: 1, casualty_ids, status });
const mission = (id: string, request_ids: string[], status: string): RecordRow => ({ id, updated_seq: 1, request_ids, status });

describe("the live map's casualties", () => {
  it("keeps those not yet at a facility and leaves out closed and handed-over ones", () => {
    const cards = [card("poi", "at_point_of_injury"), card("waiting", "awaiting_evacuation"), card("old", "handed_over"), card("dead", "closed"), card("legacy")];
    const shown = liveCasualties({ cards: new Map(cards.map((c) => [c.casualty_id, c])), requests: [], missions: [] }).map((c) => c.casualty_id);
    expect(shown).toEqual(["poi", "waiting", "legacy"]);
  });

  it("keeps a handed-over casualty asked for again for the next leg, until that mission hands over", () => {
    const open = inOpenRequests([request("r1", ["relay"]), request("r2", ["done"]), request("r3", ["cancelled"], "cancelled")], [mission("m2", ["r2"], "handed_over")]);
    expect([...open].sort()).toEqual(["relay"]);
    expect(inChain(card("relay", "handed_over"), open)).toBe(true);
    expect(inChain(card("done", "handed_over"), open)).toBe(false);
    expect(inChain(card("relay", "closed"), open)).toBe(false);
  });

  it("leaves out the casualties of a request the server says is served (handed_over)", () => {
    const open = inOpenRequests([request("r1", ["next-leg"], "requested"), request("r2", ["served"], "handed_over")], []);
    expect([...open]).toEqual(["next-leg"]);
    expect(inChain(card("served", "handed_over"), open)).toBe(false);
  });

  it("counts on the map only a casualty with a position (one started without a GPS fix waits in the queue)", () => {
    expect(located({ ...card("fix"), position: { lat: 48.9, lon: 38.1 } })).toBe(true);
    expect(located({ ...card("no-fix"), position: null })).toBe(false);
    expect(located(card("never"))).toBe(false);
    expect(located({ ...card("half"), position: { lat: 48.9 } as unknown as ServerCard["position"] })).toBe(false);
  });
});
