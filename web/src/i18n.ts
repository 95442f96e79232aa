// Ukrainian and English, complete (the compiler refuses a key missing from either), chosen by
// the browser and switchable. Labels of the server's closed lists live here, keyed by value.
import { en } from "./i18n/en";
import { uk } from "./i18n/uk";

export type Key = keyof typeof en;
export type Lang = "en" | "uk";

const DICTIONARIES: Record<Lang, Record<Key, string>> = { en, uk };

function initial(): Lang {
  const stored = typeof localStorage !== "undefined" ? localStorage.getItem("gh-lang") : null;
  if (stored === "en" || stored === "uk") return stored;
  const browser = typeof navigator !== "undefined" ? navigator.languages ?? [navigator.language] : [];
  return browser.some((l) => l.toLowerCase().startsWith("uk")) ? "uk" : "en";
}

let lang: Lang = initial();

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem("gh-lang", next);
  document.documentElement.lang = next;
}

/** Translate a key, filling {name} placeholders. */
export function t(key: Key, params?: Record<string, string | number>, language: Lang = lang): string {
  let text = DICTIONARIES[language][key] ?? en[key] ?? key;
  if (params) for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** A span of time as hours and minutes with their units ("2 h 05 min"): never read as a clock. */
export function hoursMinutes(ms: number, language: Lang = lang): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return t("time.hours_minutes", { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, "0") }, language);
}

/** The label of a closed-list value (`group.value`), or the value itself if it has none. */
export function label(group: string, value: unknown, language: Lang = lang): string {
  const key = `${group}.${String(value)}` as Key;
  return key in en ? t(key, undefined, language) : String(value);
}

/** A drug's name as the interface shows it ("Кетамін" for "Ketamine" in Ukrainian); a name with no
 *  label (typed elsewhere) is shown as it was written. */
export function drugName(name: unknown, language: Lang = lang): string {
  return label("drug", name, language);
}

/** Explain a triage rule id (see triage.ts), with its parameters. */
export function rule(id: string, params?: Record<string, string | number>, language: Lang = lang): string {
  const what = params?.what
    ? String(params.what)
        .split(",")
        .map((item) => {
          const [kind, value] = item.split(":");
          if (kind === "tq") return t("rule.tq_on", { limb: label("limb", value, language) }, language);
          if (kind === "iv") return label("intervention", value, language);
          return label("injury_kind", value, language);
        })
        .join(", ")
    : "";
  return t(`rule.${id}` as Key, { ...params, what }, language);
}
