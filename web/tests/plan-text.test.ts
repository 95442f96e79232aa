// The plan's words (issue 17 item 3), tested as the dictionaries are: every reason the server can
// give, "Not planned" ones included, has its text in both languages, the Ukrainian with no English
// in it; a trip that gains nothing says so (never "p falls from 1.00 to 1.00"), in the server's
// own English words, and is never listed first; casualties are named by the screens' short id.
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { uk } from "../src/i18n/uk";
import { type Key } from "../src/i18n";
import { gainsNothing, LEFT_OUT_CODES, ordered, parsePlan, reasonText, type Suggestion } from "../src/plan";
import { planResponse } from "./plan-fixtures";

/** Latin words the Ukrainian interface keeps as they are (NATO categories). */
const ALLOWED_LATIN = /^T[1-4]$/;
const latinWords = (text: string) => (text.replace(/\{\w+\}/g, "").match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => !ALLOWED_LATIN.test(w));

function suggestion(fields: Record<string, unknown>, explanation: Record<string, unknown> = {}): Suggestion {
  const body = planResponse(fields);
  const [s] = body.suggestions as { explanation: object }[];
  const [parsed] = parsePlan({ ...body, suggestions: [{ ...s, explanation: { ...s.explanation, ...explanation } }] }).suggestions;
  return parsed;
}

const NO_GAIN = suggestion(
  { call_sign: "KALYNA 21", expected_gain: 0 },
  { casualty_label: "Leto", tourniquet_min: null, p_now: 0.9999, p_later: 0.9991, sets_off_in_min: 307 },
);
const GAIN = suggestion({ call_sign: "KALYNA 22", expected_gain: 0.0015 }, { casualty_label: "#DEC8", tourniquet_min: null, p_now: 0.0025, p_later: 0.0017 });

describe("reasons not planned", () => {
  it.each(LEFT_OUT_CODES.filter((c) => c !== "other"))("%s is worded in both languages", (code) => {
    const key = `plan_left.${code}` as Key;
    expect(en[key as keyof typeof en]).toBeTruthy();
    expect(uk[key as keyof typeof uk]).toBeTruthy();
    expect(latinWords(uk[key as keyof typeof uk])).toEqual([]);
  });

  it("reads the code, and an unknown one as other (the English reason shows)", () => {
    const body = planResponse();
    const plan = parsePlan({
      ...body,
      left_out: [
        { kind: "vehicle", id: "v", reason: "unavailable", code: "unavailable" },
        { kind: "casualty", id: "c", reason: "something new", code: "brand_new" },
      ],
    });
    expect(plan.left_out.map((x) => x.code)).toEqual(["unavailable", "other"]);
  });
});

describe("the plan's Ukrainian", () => {
  it.each(Object.keys(uk).filter((k) => k.startsWith("plan.") || k.startsWith("plan_")))("%s has no English in it", (key) => {
    expect(latinWords(uk[key as keyof typeof uk])).toEqual([]);
  });
});

describe("a suggestion that gains nothing", () => {
  it("is told apart by chances that print alike", () => {
    expect(gainsNothing(NO_GAIN)).toBe(true);
    expect(gainsNothing(GAIN)).toBe(false);
  });

  it("is worded as gaining nothing, in the server's English", () => {
    expect(reasonText(NO_GAIN, "en")).toBe(
      "KALYNA 21 to Leto: nothing to gain by going now, p 1.00 either way; sets off in 5 h 7 min, when the threat areas on its way and at the pickup are closed",
    );
    expect(reasonText(NO_GAIN, "en")).not.toContain("falls from");
  });

  it("is worded in Ukrainian with the names kept", () => {
    const text = reasonText(NO_GAIN, "uk");
    expect(text).toContain("KALYNA 21");
    expect(text).toContain("Leto");
    expect(text).toContain("1,00");
    expect(latinWords(text.replace("KALYNA", "").replace("Leto", ""))).toEqual([]);
  });

  it("is never listed first", () => {
    expect(ordered([NO_GAIN, GAIN]).map((s) => s.call_sign)).toEqual(["KALYNA 22", "KALYNA 21"]);
    expect(ordered([GAIN, NO_GAIN]).map((s) => s.call_sign)).toEqual(["KALYNA 22", "KALYNA 21"]);
  });
});

describe("a suggestion that gains something", () => {
  it("names the casualty by the screens' short id", () => {
    expect(reasonText(GAIN, "en")).toBe("KALYNA 22 to #DEC8 first: p falls from 0.0025 to 0.0017 if left to a later trip");
  });
});
