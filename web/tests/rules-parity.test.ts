// One rule, one answer: the golden cases the Python domain wrote (tests/goldens/rules, made by
// tests/rules_cases.py) run through the web's port. With GOLDENHOUR_RULES_CASES set, the cases
// of that file are answered into GOLDENHOUR_RULES_ANSWERS instead, for the randomised
// cross-check that pytest drives (tests/unit/domain/test_rules_parity.py) and compares.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { deviceAnswer, type RuleCase, serverAnswer, withoutCard } from "./rules-answer";

const casesFile = process.env.GOLDENHOUR_RULES_CASES;
const answersFile = process.env.GOLDENHOUR_RULES_ANSWERS;

if (casesFile && answersFile) {
  it("answers the cases it is given", () => {
    const cases = JSON.parse(readFileSync(casesFile, "utf8")) as RuleCase[];
    const answers = cases.map((c) => ({ name: c.name, device: deviceAnswer(c), server: serverAnswer(c) }));
    writeFileSync(answersFile, JSON.stringify(answers));
    expect(answers).toHaveLength(cases.length);
  }, 600_000);
} else {
  const directory = new URL("../../tests/goldens/rules/", import.meta.url).pathname;
  const files = readdirSync(directory).filter((name) => name.endsWith(".json")).sort();

  it("has at least 200 golden cases", () => {
    const total = files.reduce((n, f) => n + (JSON.parse(readFileSync(join(directory, f), "utf8")) as unknown[]).length, 0);
    expect(total).toBeGreaterThanOrEqual(200);
  });

  it("words every rule the domain names", () => {
    const rules = new Set<string>();
    for (const f of files) {
      for (const c of JSON.parse(readFileSync(join(directory, f), "utf8")) as RuleCase[]) {
        for (const x of c.expected.casualties) {
          for (const s of Object.values(x.triage as Record<string, { rule: string | null }>)) if (s.rule) rules.add(s.rule);
        }
      }
    }
    expect([...rules].filter((r) => !(`rule.${r}` in en))).toEqual([]);
    // And the goldens cover every START, NATO and precedence rule the web words.
    const worded = Object.keys(en).filter((k) => /^rule\.(start|nato|prec)\./.test(k)).map((k) => k.slice(5));
    expect(worded.filter((r) => !rules.has(r))).toEqual([]);
  });

  for (const file of files) {
    const cases = JSON.parse(readFileSync(join(directory, file), "utf8")) as RuleCase[];
    describe(file, () => {
      it.each(cases.map((c) => [c.name, c] as const))("%s: the device folds and rules as the server", (_name, c) => {
        expect(deviceAnswer(c)).toEqual(c.expected);
      });
      const served = cases.filter((c) => c.casualties.every((x) => x.server_card));
      if (served.length) {
        it.each(served.map((c) => [c.name, c] as const))("%s: the coordinator's view of the server's card agrees", (_name, c) => {
          expect(serverAnswer(c)).toEqual(withoutCard(c.expected));
        });
      }
    });
  }
}
