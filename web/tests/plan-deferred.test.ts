// Whom the plan leaves waiting, and why (issue 18): the server's `deferred` list is read
// strictly and each reason worded in English as the server's `text`, and in Ukrainian.
import { describe, expect, it } from "vitest";
import { planResponse } from "./plan-fixtures";
import { deferralText, parsePlan, PlanFormatError } from "../src/plan";

const RED = { casualty_id: "43350aa3-34c5-5724-973a-aa864727294e", label: "Lys", category: "immediate", precedence: "A", request_id: null };
const MINOR = { casualty_id: "5b8e2c1a-0000-4000-8000-000000000001", label: "Hrab", category: "minor", precedence: "D", request_id: null };
const at = () => "11:33";

function body(deferred: unknown): Record<string, unknown> {
  return { ...planResponse({}), deferred };
}

const LOW = { casualty: RED, reason: "low_chance", call_sign: null, delivery_at: null, p_now: 0.0052, p_later: 0.0035, text: "Lys (immediate) waits: little to gain, p 0.0052 if collected now, 0.0035 later" };
const LATER = { casualty: MINOR, reason: "later_trip", call_sign: "KALYNA 21", delivery_at: "2022-06-14T11:33:00+00:00", p_now: null, p_later: 1, text: "" };

describe("deferred casualties", () => {
  it("are read with their facts, and absent from an older server's answer", () => {
    const plan = parsePlan(body([LOW, LATER]));
    expect(plan.deferred.map((d) => [d.casualty.label, d.reason])).toEqual([["Lys", "low_chance"], ["Hrab", "later_trip"]]);
    expect(parsePlan(planResponse({})).deferred).toEqual([]);
  });

  it("are worded in English as the server words them", () => {
    const [low] = parsePlan(body([LOW])).deferred;
    expect(deferralText(low, "en", at)).toBe(LOW.text);
  });

  it("are worded in Ukrainian with the language's decimal separator", () => {
    const [low, later] = parsePlan(body([LOW, LATER])).deferred;
    expect(deferralText(low, "uk", at)).toBe("Lys (невідкладний) чекає: мало що можна виграти, імовірність виживання 0,0052, якщо забрати зараз, 0,0035 пізніше");
    expect(deferralText(later, "uk", at)).toBe("Hrab (легкий) чекає: заплановано на наступний рейс KALYNA 21, допомога о 11:33");
  });

  it("refuse an unknown reason, naming the field", () => {
    expect(() => parsePlan(body([{ ...LOW, reason: "forgotten" }]))).toThrow(new PlanFormatError("deferred[0].reason").message);
  });
});
