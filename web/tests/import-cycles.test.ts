// No module of the app imports itself back through others: a cycle makes the order in which
// modules run depend on which is loaded first (issue 14 found views/Medic.tsx and
// medic/Evacuation.tsx importing each other).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const IMPORT = /^\s*(?:import|export)\b[^"']*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/gm;

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string, known: Set<string>): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((p) => known.has(p));
}

function cycles(): string[][] {
  const files = sources(SRC);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(IMPORT)]
      .map((m) => resolveImport(file, m[1], known))
      .filter((p): p is string => p !== undefined);
    edges.set(file, targets);
  }
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") {
        found.push([...path.slice(path.indexOf(next)), next].map((p) => relative(SRC, p)));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

describe("the web app's modules", () => {
  it("import one another without a cycle", () => {
    expect(cycles()).toEqual([]);
  });
});
