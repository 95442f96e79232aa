// issue 13 item 11: GCS parts, time of injury, burns with %TBSA, fluids, on the device's card,
// in its MIST and in the forms' checks (the same bounds as the server: limits.json).
import { describe, expect, it } from "vitest";
import { burnTotal, fold, gcsTotal, latestGcs } from "../src/card";
import type { StoredEvent, Wire } from "../src/db";
import { mist } from "../src/medevac";
import { burnPercent, GCS_PARTS, volumeMl } from "../src/medic/lists";

const casualty = "7b7d9c1e-1111-4222-8333-944455566688";
let n = 0;
function stored(kind: string, at: string, fields: Record<string, unknown> = {}): StoredEvent {
  n += 1;
  const event: Wire = {
    kind, event_id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, casualty_id: casualty,
    occurred_at: at, recorded_at: at, author: "medic", device: "phone", ...fields,
  };
  return { event_id: event.event_id, stream: "casualty", stream_id: casualty, kind, event, state: "pending", origin: "device", created: n };
}

describe("GCS", () => {
  it("totals the three parts, keeps a given total, and has none with a part missing", () => {
    expect(gcsTotal({ gcs_eye: 3, gcs_verbal: 4, gcs_motor: 6 })).toBe(13);
    expect(gcsTotal({ gcs: 9 })).toBe(9);
    expect(gcsTotal({ gcs_eye: 1, gcs_motor: 4 })).toBeNull();
  });

  it("offers each part's grades as the domain bounds them", () => {
    expect(GCS_PARTS).toEqual([["gcs_eye", 4], ["gcs_verbal", 5], ["gcs_motor", 6]]);
  });

  it("reads out the total with its parts in the MIST and takes the latest set that has one", () => {
    const card = fold(casualty, [
      stored("casualty_registered", "2022-06-14T12:30:00Z", { identity: { callsign: "Sokil" } }),
      stored("vitals_recorded", "2022-06-14T12:35:00Z", { avpu: "V", gcs_eye: 3, gcs_verbal: 4, gcs_motor: 6 }),
      stored("vitals_recorded", "2022-06-14T12:40:00Z", { pulse: 120 }),
    ]);
    expect(latestGcs(card.vitals)).toBe(13);
    expect(mist(card, Date.parse("2022-06-14T13:00:00Z"))).toContain("S: 1235Z AVPU V GCS 13 E3V4M6; 1240Z P 120");
  });
});

describe("time of injury", () => {
  it("is the latest entry's, apart from when the card was opened, and each entry is listed", () => {
    const first = stored("injury_time_recorded", "2022-06-14T12:40:00Z", { injured_at: "2022-06-14T12:10:00Z" });
    const card = fold(casualty, [
      stored("casualty_registered", "2022-06-14T12:30:00Z", { injured_at: "2022-06-14T12:20:00Z" }),
      first,
      stored("injury_time_recorded", "2022-06-14T12:41:00Z", { injured_at: "2022-06-14T12:05:00Z", supersedes: first.event_id }),
    ]);
    expect(card.injured_at).toBe("2022-06-14T12:05:00Z");
    expect(card.injury_times.map((e) => e.injured_at)).toEqual(["2022-06-14T12:05:00Z"]);
    expect(mist(card, Date.parse("2022-06-14T13:00:00Z"))).toContain("TIME: 141205ZJUN22");
  });
});

describe("burns", () => {
  it("sums the burned area over regions and says it in all in the MIST", () => {
    const card = fold(casualty, [
      stored("injury_recorded", "2022-06-14T12:32:00Z", { region: "chest", kinds: ["burn"], burn_tbsa_percent: 9 }),
      stored("injury_recorded", "2022-06-14T12:33:00Z", { region: "upper_arm", laterality: "left", kinds: ["burn"], burn_tbsa_percent: 4.5 }),
      stored("injury_recorded", "2022-06-14T12:34:00Z", { region: "thigh", kinds: ["fragment"] }),
    ]);
    expect(burnTotal(card.injuries)).toBe(13.5);
    expect(mist(card, Date.parse("2022-06-14T13:00:00Z"))).toContain("burns 13.5% TBSA in all");
    expect(burnTotal([])).toBeNull();
  });

  it("refuses in the form what the server refuses: not a number, out of 0-100, all burns past 100 %", () => {
    expect(burnPercent("4,5", null)).toBe(4.5);
    expect(burnPercent("18", 82)).toBe(18);
    expect(burnPercent("19", 82)).toBeNull();
    expect(burnPercent("101", null)).toBeNull();
    expect(burnPercent("-1", null)).toBeNull();
    expect(burnPercent("abc", null)).toBeNull();
  });
});

describe("fluids", () => {
  it("takes a volume from 1 to 10,000 ml, with a decimal comma, and nothing else", () => {
    expect(volumeMl("500")).toBe(500);
    expect(volumeMl("0,5")).toBeNull();
    expect(volumeMl("1")).toBe(1);
    expect(volumeMl("10001")).toBeNull();
    expect(volumeMl("0")).toBeNull();
    expect(volumeMl("-250")).toBeNull();
    expect(volumeMl("abc")).toBeNull();
  });

  it("lists fluids and blood on the card with their time, and the MIST's T line says them", () => {
    const card = fold(casualty, [
      stored("fluid_given", "2022-06-14T12:42:00Z", { fluid_kind: "blood_product", name: "Whole blood", volume_ml: 450, route: "IO" }),
      stored("fluid_given", "2022-06-14T12:38:00Z", { fluid_kind: "fluid", name: "Ringer's lactate", volume_ml: 500, route: "IV" }),
    ]);
    expect(card.fluids.map((f) => f.name)).toEqual(["Ringer's lactate", "Whole blood"]);
    expect(mist(card, Date.parse("2022-06-14T13:00:00Z"))).toContain("T: Ringer's lactate 500 ml IV 1238Z; Whole blood 450 ml IO 1242Z");
  });
});
