// One rule, one answer: the golden cases the Python domain wrote (tests/goldens/rules, made by
// tests/rules_cases.py) run through the web's port. With GOLDENHOUR_RULES_CASES set, the cases
// of that file are answered into GOLDENHOUR_RULES_ANSWERS instead, for the randomised
// cross-check that pytest drives (tests/unit/domain/test_rules_parity.py) and compares.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
