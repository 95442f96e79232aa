// Ukrainian is complete: every English key has a Ukrainian text with the same placeholders.
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { uk } from "../src/i18n/uk";
import { drugName } from "../src/i18n";
import { DRUGS } from "../src/medic/lists";

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

// Drug names as Ukrainian medics write them (Кетамін, not Ketamine): every preset the medic's
// picker offers, and the names the card shows, read in Cyrillic in the Ukrainian interface. The
// stored name (the event's `name`, the 9-line and MIST texts) stays as the server spells it.
describe("drug names", () => {
  it.each(DRUGS.map((d) => d.name))("%s is written in Ukrainian", (name) => {
    const ukrainian = drugName(name, "uk");
    expect(ukrainian).not.toBe(name);
    // Latin letters only for nothing: abbreviations such as ТХА are Cyrillic too.
    expect(ukrainian).not.toMatch(/[A-Za-z]/);
    expect(drugName(name, "en")).toBe(name);
  });

  it.each(Object.keys(uk).filter((key) => key.startsWith("drug.")))("%s has no Latin letters in Ukrainian", (key) => {
    expect(uk[key as keyof typeof uk]).not.toMatch(/[A-Za-z]/);
  });

  it("keeps a name typed elsewhere as it was written", () => {
    expect(drugName("Hextend", "uk")).toBe("Hextend");
  });
});
