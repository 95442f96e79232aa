import { describe, expect, it } from "vitest";
import { closesTo, threatsOnRoute, type ThreatRecord } from "../src/route";

const SIVERSK = { lat: 48.865, lon: 38.095 };
const PICKUP = { lat: 48.9172, lon: 38.2297 };
const KRAMATORSK = { lat: 48.7389, lon: 37.5848 };
const NOW = Date.parse("2026-12-07T12:00:00Z");

const circle = (id: string, centre: { lat: number; lon: number }, radius_m: number, extra: Partial<ThreatRecord> = {}): ThreatRecord => ({
  id,
  threat_kind: "shelling",
  centre,
  radius_m,
  starts_at: "2026-12-07T11:00:00Z",
  ends_at: "2026-12-07T18:00:00Z",
  ...extra,
});

describe("threats on a crew's route", () => {
  it("lists an area a leg passes through, not one beside the route", () => {
    const onTheWay = circle("on", PICKUP, 2500);
    const away = circle("away", { lat: 49.3, lon: 38.9 }, 2500);
    expect(threatsOnRoute([SIVERSK, PICKUP, KRAMATORSK], [away, onTheWay], NOW).map((t) => t.id)).toEqual(["on"]);
  });

  it("finds an area the leg crosses between its ends", () => {
    const middle = { lat: (SIVERSK.lat + PICKUP.lat) / 2, lon: (SIVERSK.lon + PICKUP.lon) / 2 };
    expect(threatsOnRoute([SIVERSK, PICKUP], [circle("mid", middle, 300)], NOW)).toHaveLength(1);
  });

  it("finds a polygon across the route", () => {
    const d = 0.01;
    const square = [PICKUP.lat - d, PICKUP.lat + d].flatMap((lat) => [PICKUP.lon - d, PICKUP.lon + d].map((lon) => ({ lat, lon })));
    const polygon = [square[0], square[1], square[3], square[2]];
    const area: ThreatRecord = { id: "poly", threat_kind: "mines", polygon, starts_at: "2026-12-07T11:00:00Z" };
    expect(threatsOnRoute([SIVERSK, PICKUP], [area], NOW).map((t) => t.id)).toEqual(["poly"]);
  });

  it("leaves out an area withdrawn or whose window is over", () => {
    const over = circle("over", PICKUP, 2500, { ends_at: "2026-12-07T11:30:00Z" });
    const withdrawn = circle("gone", PICKUP, 2500, { withdrawn_at: "2026-12-07T11:40:00Z" });
    expect(threatsOnRoute([SIVERSK, PICKUP], [over, withdrawn], NOW)).toEqual([]);
  });
});

describe("which vehicles an area stops (issue 18)", () => {
  const area = (stops?: string[] | null) => circle("a", PICKUP, 500, { stops });
  it("stops every kind when it names none (areas drawn before kinds existed)", () => {
    expect(closesTo(area(undefined), "helicopter")).toBe(true);
    expect(closesTo(area(null), "ground_ambulance")).toBe(true);
  });
  it("stops only the kinds it names", () => {
    expect(closesTo(area(["ground_ambulance", "armoured_evacuation"]), "ground_ambulance")).toBe(true);
    expect(closesTo(area(["ground_ambulance", "armoured_evacuation"]), "helicopter")).toBe(false);
  });
  it("stops no kind when it only raises the risk", () => {
    expect(closesTo(area([]), "ground_ambulance")).toBe(false);
  });
});
