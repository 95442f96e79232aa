// The planner's reason in the coordinator's language: the suggestion's pickup time and the facts
// of its reason are read strictly, and worded in English exactly as the server's English reason,
// and in Ukrainian, with chances and durations written as the planner writes them.
import { describe, expect, it } from "vitest";
import { expectBadPlanField, LYS, planResponse } from "./plan-fixtures";
import { formatMinutes, formatProbability, parsePlan, reasonPieces, reasonText, type Suggestion } from "../src/plan";

const REASON =
  "KALYNA 21 to Lys first: tourniquet on for 42 min, p falls from 0.031 to 0.012 if left to a later trip; " +
  "sets off in 25 min, when the threat areas on its way and at the pickup are closed";

// The server's example answer, with a casualty on no request and a wait for threat areas.
function body(): Record<string, unknown> {
  const answer = planResponse({
    casualties: [{ casualty_id: LYS, label: "Lys", category: "immediate", precedence: "B", request_id: null }],
    request_ids: [],
    pickup_point_id: null,
    depart_at: "2022-06-14T10:05:00+00:00",
    pickup_at: "2022-06-14T10:46:00+00:00",
    delivery_at: "2022-06-14T11:33:00+00:00",
    reason: REASON,
    explanation: { casualty_label: "Lys", tourniquet_min: 42.0, p_now: 0.031, p_later: 0.012, after_labels: [], sets_off_in_min: 25.0 },
  });
  return { ...answer, left_out: [] };
}

function suggestion(explanation: Partial<Suggestion["explanation"]> = {}): Suggestion {
  const [s] = parsePlan(body()).suggestions;
  return { ...s, explanation: { ...s.explanation, ...explanation } };
}

function withSuggestion(fields: Record<string, unknown>): Record<string, unknown> {
  return { ...body(), suggestions: [{ ...(body().suggestions as object[])[0], ...fields }] };
}

function withExplanation(fields: Record<string, unknown>): Record<string, unknown> {
  const [s] = body().suggestions as { explanation: object }[];
  return withSuggestion({ explanation: { ...s.explanation, ...fields } });
}

describe("parsePlan, the pickup time and the explanation", () => {
  it("reads them", () => {
    const [s] = parsePlan(body()).suggestions;
    expect(s.pickup_at).toBe("2022-06-14T10:46:00+00:00");
    expect(s.reason).toBe(REASON);
    expect(s.explanation).toEqual({ casualty_label: "Lys", tourniquet_min: 42, p_now: 0.031, p_later: 0.012, after_labels: [], sets_off_in_min: 25 });
  });

  it("reads a casualty without a tourniquet, waiting for named casualties, on a vehicle setting off now", () => {
    const [s] = parsePlan(withExplanation({ tourniquet_min: null, after_labels: ["Vovk", "Leto"], sets_off_in_min: null })).suggestions;
    expect([s.explanation.tourniquet_min, s.explanation.after_labels, s.explanation.sets_off_in_min]).toEqual([null, ["Vovk", "Leto"], null]);
  });

  it.each([
    ["suggestions[0].pickup_at", withSuggestion({ pickup_at: undefined })],
    ["suggestions[0].pickup_at", withSuggestion({ pickup_at: "soon" })],
    ["suggestions[0].explanation", withSuggestion({ explanation: undefined })],
    ["suggestions[0].explanation", withSuggestion({ explanation: "because" })],
    ["suggestions[0].explanation.casualty_label", withExplanation({ casualty_label: null })],
    ["suggestions[0].explanation.tourniquet_min", withExplanation({ tourniquet_min: "42" })],
    ["suggestions[0].explanation.p_now", withExplanation({ p_now: undefined })],
    ["suggestions[0].explanation.p_later", withExplanation({ p_later: Number.NaN })],
    ["suggestions[0].explanation.after_labels", withExplanation({ after_labels: "Vovk" })],
    ["suggestions[0].explanation.after_labels[1]", withExplanation({ after_labels: ["Vovk", 7] })],
    ["suggestions[0].explanation.sets_off_in_min", withExplanation({ sets_off_in_min: "25" })],
  ])("names the bad field: %s", (field, value) => expectBadPlanField(value, field));
});

describe("formatProbability", () => {
  // The planner's own output for each (planning/plan.py `_probability`).
  it.each([
    [0.62, "0.62"],
    [0.41, "0.41"],
    [0.097, "0.10"],
    [0.0951, "0.10"],
    [0.093, "0.093"],
    [0.0015, "0.0015"],
    [0.01, "0.01"],
    [0.0099996, "0.01"],
    [0.001, "0.001"],
    [0.00099, "< 0.001"],
    [0.00003, "< 0.001"],
    [0, "0"],
    // Exact ties go to the even digit, as in Python; 0.615 is below its tie as a double.
    [0.125, "0.12"],
    [0.375, "0.38"],
    [0.615, "0.61"],
    [0.0625, "0.062"],
  ])("writes %s as the planner does: %s", (p, written) => {
    expect(formatProbability(p, "en")).toBe(written);
  });

  it("uses the decimal comma in Ukrainian", () => {
    expect([formatProbability(0.62, "uk"), formatProbability(0.0015, "uk"), formatProbability(0.00003, "uk"), formatProbability(0, "uk")]).toEqual([
      "0,62",
      "0,0015",
      "< 0,001",
      "0",
    ]);
  });
});

describe("formatMinutes", () => {
  it.each([
    [100, "1 h 40 min", "1 год 40 хв"],
    [42, "42 min", "42 хв"],
    [59.6, "1 h 0 min", "1 год 0 хв"],
    [2.5, "2 min", "2 хв"], // Python rounds a half to the even number
    [3.5, "4 min", "4 хв"],
    [-3, "0 min", "0 хв"],
  ])("writes %s minutes as %s and %s", (minutes, en, uk) => {
    expect([formatMinutes(minutes, "en"), formatMinutes(minutes, "uk")]).toEqual([en, uk]);
  });
});

describe("the reason, worded from the explanation", () => {
  it("is the server's English reason in English", () => {
    expect(reasonText(suggestion(), "en")).toBe(REASON);
    const after = suggestion({ tourniquet_min: 100, p_now: 0.62, p_later: 0.41, after_labels: ["Vovk", "Leto"], sets_off_in_min: null });
    expect(reasonText(after, "en")).toBe("KALYNA 21 to Lys first: tourniquet on for 1 h 40 min, p falls from 0.62 to 0.41 if served after Vovk, Leto");
  });

  it("is Ukrainian in Ukrainian", () => {
    expect(reasonText(suggestion(), "uk")).toBe(
      "KALYNA 21 — спершу до Lys: джгут накладено 42 хв тому, імовірність виживання падає з 0,031 до 0,012, " +
        "якщо відкласти до пізнішого рейсу; вирушає через 25 хв, коли зони загроз на шляху й у місці евакуації закриються",
    );
    const after = suggestion({ tourniquet_min: null, p_now: 0.62, p_later: 0.41, after_labels: ["Vovk"], sets_off_in_min: 72 });
    expect(reasonText(after, "uk")).toBe(
      "KALYNA 21 — спершу до Lys: імовірність виживання падає з 0,62 до 0,41, якщо забрати після Vovk; " +
        "вирушає через 1 год 12 хв, коли зони загроз на шляху й у місці евакуації закриються",
    );
  });

  it("marks the names, and only they, as names (kept as written, never translated)", () => {
    const s = suggestion({ after_labels: ["Vovk", "Leto"] });
    for (const language of ["en", "uk"] as const) {
      const names = reasonPieces(s, language).filter((piece) => piece.name);
      expect(names.map((piece) => piece.text)).toEqual(["KALYNA 21", "Lys", "Vovk", "Leto"]);
    }
    // The Ukrainian interface has no Latin word outside a name (tests/e2e/test_web_views.py).
    const words = reasonPieces(s, "uk").filter((piece) => !piece.name);
    expect(words.map((piece) => piece.text).join("")).not.toMatch(/[A-Za-z]/);
  });
});
