// The 9-line MEDEVAC request and the MIST handover, filled on the device from the cards, in
// the text form the server writes: a port of domain/medevac/from_card.py (nine_line_from_cards,
// mist_from_card), nine_line_text.py (encode_nine_line) and mist.py (encode_mist). The golden
// cases in tests/goldens/rules, made by the Python domain, hold the two to one answer.
import { burns, burnTotal, type Card, clock, gcsTotal, latest, type Tourniquet } from "./card";
import type { Wire } from "./db";
import { toMgrs, type LatLon } from "./geo";
import { dtgCompact, zulu } from "./time";
import { nato, precedence } from "./triage";

export interface Radio {
  frequency: string;
  callSign: string;
  security: string; // line 6: N no enemy, P possible, E enemy in area, X armed escort
  marking: string; // line 7: A panels, B pyrotechnic, C smoke, D none, E other
}

// Line 8 by who the casualty is (our reading for Ukraine: own forces are A, see the server).
const NATIONALITY: Record<string, string> = {
  own_military: "A",
  own_civilian: "B",
  other_military: "C",
  other_civilian: "D",
  epw: "E",
};

// Intubated or surgically opened airways need a ventilator on board (9-line line 4, D).
const NEEDS_VENTILATOR = new Set(["et_tube", "cric"]);

const LETTERS = ["A", "B", "C", "D", "E"];

function counts(letters: string[]): string {
  return LETTERS.map((l) => `${l}${letters.filter((x) => x === l).length}`).join(" ");
}

/** The NATO category that stands: the medic's if assessed, else the suggestion. */
function natoCategory(card: Card): string | null {
  return (card.triage.nato?.category as string | undefined) ?? nato(card).category;
}

/** The evacuation precedence: the request's own, else the medic's, else the suggestion. */
export function casualtyPrecedence(card: Card): string | null {
  const request = card.evacuations[card.evacuations.length - 1];
  if (request) return String(request.precedence);
  return (card.triage.precedence?.category as string | undefined) ?? precedence(card).category;
}

/**
 * The precedence a new request for this casualty is filed at: the one line 3 of its 9-line
 * counts it at (casualtyPrecedence), routine (D) when there is none, as patient_counts does.
 */
export function requestPrecedence(card: Card): string {
  return casualtyPrecedence(card) ?? "D";
}

/** The casualty is carried on a litter as requested, else unless he was seen walking. */
export function onLitter(card: Card): boolean {
  const request = card.evacuations[card.evacuations.length - 1];
  if (request) return request.position === "litter";
  return latest(card.vitals, "walking") !== true;
}

// A number with an optional decimal part (point or comma) and unit (normalise_frequency).
const FREQUENCY = /^(?<whole>[0-9]{1,6})(?:[.,](?<fraction>[0-9]{1,6}))? ?(?<unit>MHZ|KHZ)?$/i;

/**
 * A line 2 frequency in its one written form, as the server writes it ("67mhz" -> "67.000 MHZ",
 * "38,9" -> "38.900 MHZ", channel "005" -> "5"); text that is no frequency is left as typed
 * (the server refuses it, naming line 2).
 */
export function normaliseFrequency(text: string): string {
  const compact = squash(text);
  const m = FREQUENCY.exec(compact);
  if (!m?.groups || Number(`${m.groups.whole}.${m.groups.fraction ?? 0}`) <= 0) return compact;
  const { whole, fraction, unit } = m.groups;
  if (fraction === undefined && unit === undefined) return String(Number(whole));
  const decimals = (fraction ?? "").replace(/0+$/, "").padEnd(3, "0");
  return `${Number(whole)}.${decimals} ${(unit ?? "MHZ").toUpperCase()}`;
}

/**
 * The 9-line as text for the casualties at one pickup point, one `LINE n:` line each.
 * The dead are not MEDEVAC patients, even when asked for before they died; those without a
 * precedence count as routine (D); each casualty's own request (precedence, litter or seat) is
 * honoured; line 8 only when every counted casualty's status is known. Empty when no casualty is left to evacuate.
 */
export function nineLine(cards: Card[], pickup: LatLon, radio: Radio): string {
  const prec: string[] = [];
  const statuses: (string | null)[] = [];
  let litter = 0;
  let intubated = false;
  for (const card of cards) {
    // The dead are not counted, even when asked for before they died (patient_counts).
    if (natoCategory(card) === "dead") continue;
    const code = casualtyPrecedence(card);
    prec.push(code ?? "D");
    if (onLitter(card)) litter += 1;
    statuses.push((card.identity.status as string | undefined) ?? null);
    intubated ||= card.treatments.some((t) => NEEDS_VENTILATOR.has(String(t.intervention)));
  }
  if (prec.length === 0) return "";
  const lines = [
    `LINE 1: ${toMgrs(pickup, 4)}`, // 10 m, as the server writes it
    `LINE 2: ${normaliseFrequency(radio.frequency)} / ${squash(radio.callSign)}`,
    `LINE 3: ${counts(prec)}`,
    `LINE 4: ${intubated ? "D" : "A"}`,
    `LINE 5: L${litter} A${prec.length - litter}`,
    `LINE 6: ${radio.security}`,
    `LINE 7: ${radio.marking}`,
  ];
  if (statuses.every((s) => s !== null)) lines.push(`LINE 8: ${counts(statuses.map((s) => NATIONALITY[s!]))}`);
  lines.push("LINE 9: NONE");
  return lines.map((l) => `${l}\n`).join("");
}

// Code values as words on a MIST line (from_card.py _LABELS).
const LABELS: Record<string, string> = {
  ied: "IED",
  rpg: "RPG",
  mvc: "motor vehicle crash",
  gunshot: "GSW",
  npa: "NPA",
  cric: "cric",
  et_tube: "ET tube",
  sga: "SGA",
  io_access: "IO access",
  iv_access: "IV access",
};

function label(value: unknown): string {
  const text = String(value);
  return LABELS[text] ?? text.replace(/_/g, " ");
}

/** Collapse runs of white space to one space and trim, as Python's " ".join(text.split()). */
function squash(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(" ");
}

/** A number as Python's format(x, "g") writes it: 6 significant digits, no trailing zeros. */
export function formatG(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, exponentText] = x.toExponential(5).split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = mantissa.replace(/\.?0+$/, "");
    return `${digits}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, 5 - exponent));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** A duration as a medic reads it: "1 h 07 min" (format_elapsed in tourniquet/clock.py). */
export function formatElapsed(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes % 60} min`;
}

function injuryText(injury: Wire): string {
  const where = [
    injury.laterality ? label(injury.laterality) : null,
    label(injury.region),
    injury.view ? `(${injury.view})` : null,
  ]
    .filter(Boolean)
    .join(" ");
  const kinds = [...((injury.kinds as string[]) ?? [])].sort().map(label).join(", ");
  let text = kinds ? `${where}: ${kinds}` : where;
  if (injury.burn_tbsa_percent !== null && injury.burn_tbsa_percent !== undefined) {
    text += `, burn ${formatG(Number(injury.burn_tbsa_percent))}% TBSA`;
  }
  if (injury.description) text += ` (${String(injury.description).trim()})`;
  return squash(text);
}

function given(value: unknown): boolean {
  return value !== null && value !== undefined;
}

/** One set of vitals in one line, as read out on the radio (vitals_text in from_card.py). */
function vitalsText(v: Wire): string {
  const parts = [zulu(v.occurred_at)];
  if (given(v.pulse)) parts.push(`P ${v.pulse}${v.pulse_site ? ` ${v.pulse_site}` : ""}`);
  if (given(v.respiratory_rate)) parts.push(`RR ${v.respiratory_rate}`);
  if (given(v.spo2)) parts.push(`SpO2 ${v.spo2}`);
  // The diastolic of the same set, or P (palpated): never another set's.
  if (given(v.systolic)) parts.push(`BP ${v.systolic}/${v.diastolic ? v.diastolic : "P"}`);
  if (given(v.avpu)) parts.push(`AVPU ${v.avpu}`);
  const gcs = gcsText(v);
  if (gcs) parts.push(gcs);
  if (given(v.capillary_refill_s)) parts.push(`CRT ${formatG(Number(v.capillary_refill_s))}s`);
  if (given(v.temperature_c)) parts.push(`T ${formatG(Number(v.temperature_c))}C`);
  if (given(v.pain)) parts.push(`PAIN ${v.pain}`);
  return parts.join(" ");
}

/** The Glasgow Coma Scale as written, "GCS 13 E3V4M6" (gcs_text in from_card.py), or "". */
export function gcsText(v: Wire): string {
  const grades = ([["E", v.gcs_eye], ["V", v.gcs_verbal], ["M", v.gcs_motor]] as const)
    .filter(([, grade]) => given(grade))
    .map(([letter, grade]) => `${letter}${grade}`)
    .join("");
  const total = gcsTotal(v);
  const text = [total !== null ? String(total) : "", grades].filter(Boolean).join(" ");
  return text ? `GCS ${text}` : "";
}

/** Every injury in one line each, then the burned area of all regions (injury_items). */
function injuryItems(card: Card): string[] {
  const items = card.injuries.map(injuryText);
  const total = burnTotal(card.injuries);
  if (total !== null && burns(card.injuries).length > 1) items.push(`burns ${formatG(total)}% TBSA in all`);
  return items;
}

/** How many vitals sets a MIST reads out: enough to show the trend, short enough to speak. */
const MIST_VITALS_SETS = 3;

function tourniquetText(t: Tourniquet, now: number): string {
  const c = clock(t, now);
  const ended = t.ended_at !== null && Date.parse(t.ended_at) <= now ? t.ended_at : null;
  let text = `TQ ${label(t.limb ?? t.category)}`;
  if (t.location) text += ` ${t.location.trim()}`;
  text += ` ${zulu(t.applied_at)}`;
  if (t.type) text += ` ${t.type.trim()}`;
  text += ended !== null ? `, off ${zulu(ended)} after ${formatElapsed(c.elapsed)}` : `, on ${formatElapsed(c.elapsed)}`;
  return squash(text);
}

/** Every treatment with its time; tourniquets first, with time on at `now`. */
function treatmentItems(card: Card, now: number): string[] {
  const tourniquets = [...card.tourniquets].sort(
    (a, b) => Date.parse(a.applied_at) - Date.parse(b.applied_at) || a.application_id.localeCompare(b.application_id),
  );
  const timed: [number, string][] = [];
  for (const t of card.treatments) {
    const detail = t.detail ? ` ${String(t.detail).trim()}` : "";
    timed.push([Date.parse(t.occurred_at), `${label(t.intervention)}${detail} ${zulu(t.occurred_at)}`]);
  }
  for (const f of card.fluids) {
    timed.push([Date.parse(f.occurred_at), `${String(f.name).trim()} ${formatG(Number(f.volume_ml))} ml ${f.route} ${zulu(f.occurred_at)}`]);
  }
  for (const m of card.medications) {
    const dose = given(m.dose) ? ` ${formatG(Number(m.dose))} ${m.dose_unit ?? "None"}` : "";
    timed.push([Date.parse(m.occurred_at), `${String(m.name).trim()}${dose} ${m.route} ${zulu(m.occurred_at)}`]);
  }
  timed.sort((a, b) => a[0] - b[0]);
  return [...tourniquets.map((t) => tourniquetText(t, now)), ...timed.map(([, text]) => text)].map(squash);
}

function escape(item: string): string {
  return item.replace(/\\/g, "\\\\").replace(/;/g, "\\;");
}

/**
 * MIST: zap, age, time of injury (only when known), mechanism, injuries, signs (the last sets
 * of vitals, each with its own blood pressure, and the NATO category), treatment (tourniquet
 * times at `now`), in the text form of domain/medevac/mist.py.
 */
export function mist(card: Card, now: number = Date.now()): string {
  const id = card.identity;
  const zap = String(id.battle_roster || id.callsign || id.last4 || card.casualty_id.slice(0, 8)).trim() || "unknown";
  const mechanisms = new Set<string>();
  for (const i of card.injuries) for (const m of (i.mechanisms as string[]) ?? []) mechanisms.add(m);
  const signs = card.vitals.slice(-MIST_VITALS_SETS).map(vitalsText);
  const category = natoCategory(card);
  if (category !== null) signs.push(`triage ${category}`);
  const lines = [`MIST Z: ${zap}`];
  if (given(id.age_years)) lines.push(`AGE: ${id.age_years}`);
  if (card.injured_at) lines.push(`TIME: ${dtgCompact(card.injured_at)}`);
  const items: [string, string[]][] = [
    ["M", [...mechanisms].sort().map(label)],
    ["I", injuryItems(card)],
    ["S", signs],
    ["T", treatmentItems(card, now)],
  ];
  for (const [letter, list] of items) lines.push(`${letter}: ${list.map(escape).join("; ")}`.trimEnd());
  return lines.join("\n");
}
