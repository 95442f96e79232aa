// A dose is a positive number as typed on a phone; anything else is refused, never saved as none.
import { describe, expect, it } from "vitest";
import { positiveNumber } from "../src/numbers";

describe("positiveNumber", () => {
  it.each([
    ["2", 2],
    ["1,5", 1.5],
    [" 0.25 ", 0.25],
    [",5", 0.5],
    ["100000", 100000],
  ])("reads %s as %s", (text, value) => {
    expect(positiveNumber(text, 100_000)).toBe(value);
  });

  it.each(["", "abc", "-2", "0", "0,0", "2 g", "1e3", "1.2.3", "100001", "Infinity", "NaN"])("refuses %j", (text) => {
    expect(positiveNumber(text, 100_000)).toBeNull();
  });
});
