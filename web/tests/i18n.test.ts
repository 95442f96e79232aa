// Ukrainian is complete: every English key has a Ukrainian text with the same placeholders.
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { uk } from "../src/i18n/uk";

describe("dictionaries", () => {
  it("have the same keys", () => {
    expect(Object.keys(uk).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))("keep the placeholders of %s", (key) => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(names(uk[key as keyof typeof en])).toEqual(names(en[key as keyof typeof en]));
    expect(uk[key as keyof typeof en].trim()).not.toBe("");
  });
});
