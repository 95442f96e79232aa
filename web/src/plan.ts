// The planner's suggestions as the server serves them (GET /api/v1/plan; docs/planning.md,
// "From the server"): read and checked, matched with the live picture (can this one be accepted
// now?), drawn as trips (vehicle -> pickup -> destination), and re-fetched no more often than
// every few seconds. Accepting one makes the events of a manual assignment (missions.ts). The
// reason is worded here in the interface's language from the facts the server gives with it.
import type { Feature, FeatureCollection } from "geojson";
import type { LatLon } from "./geo";
import { currentLang, type Key, type Lang, t } from "./i18n";
import type { RecordRow } from "./remote";
import { localTime } from "./time";

export interface PlannedCasualty {
  casualty_id: string;
  label: string;
  category: string;
  precedence: string;
  request_id: string | null;
}

/** The facts of a suggestion's reason, named as the server names them (call signs, labels). */
export interface Explanation {
  /** Who of those aboard loses most by waiting. */
  casualty_label: string;
  /** How long their tourniquet has been on (minutes), or null without one. */
  tourniquet_min: number | null;
  /** Their chance of survival if this trip delivers them... */
  p_now: number;
  /** ...and if they wait: served after `after_labels`, or on a later trip when it is empty. */
  p_later: number;
  after_labels: string[];
  /** Minutes the vehicle waits for threat areas to close, or null when it sets off now. */
  sets_off_in_min: number | null;
}

export interface Suggestion {
  vehicle_id: string;
  call_sign: string;
  casualties: PlannedCasualty[];
  request_ids: string[];
  pickup: LatLon;
  pickup_point_id: string | null;
  destination_id: string;
  destination_name: string;
  destination_kind: "facility" | "exchange_point";
  depart_at: string;
  /** The planned arrival at the last pickup. */
  pickup_at: string;
  delivery_at: string;
  expected_gain: number;
  /** The reason in English, for other systems; people read `explanation` in their language. */
  reason: string;
  explanation: Explanation;
}

/** Why a casualty or vehicle is not planned, as the server codes it (issue 17 item 3): each is
 * worded in the interface's language (`plan_left.*`); "other" shows the server's English. */
export const LEFT_OUT_CODES = [
  "on_mission",
  "dead",
  "expectant",
  "no_position",
  "not_registered",
  "no_vehicle_position",
  "unavailable",
  "busy_elsewhere",
  "other",
] as const;
export type LeftOutCode = (typeof LEFT_OUT_CODES)[number];

export interface LeftOut {
  kind: "casualty" | "vehicle";
  id: string;
  reason: string;
  code: LeftOutCode;
}

/** A waiting casualty the plan does not collect now, and why (docs/planning.md). */
export interface Deferral {
  casualty: PlannedCasualty;
  reason: "later_trip" | "low_chance" | "others_first" | "unreachable";
  call_sign: string | null;
  delivery_at: string | null;
  p_now: number | null;
  p_later: number | null;
  /** The reason in English, for other systems; people read it worded from the facts above. */
  text: string;
}

const DEFERRAL_REASONS = ["later_trip", "low_chance", "others_first", "unreachable"] as const;

export interface Plan {
  generated_at: string;
  horizon_min: number;
  method: string;
  solve_ms: number;
  waiting: number;
  idle_vehicles: number;
  suggestions: Suggestion[];
  left_out: LeftOut[];
  /** Every waiting casualty not collected now, and why (empty from a server without it). */
  deferred: Deferral[];
}

/** The server's answer is not a plan: names the first field that is wrong. */
export class PlanFormatError extends Error {
  constructor(readonly field: string) {
    super(`the plan's ${field} is missing or malformed`);
  }
}

type Obj = Record<string, unknown>;

function object(value: unknown, at: string): Obj {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PlanFormatError(at);
  return value as Obj;
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new PlanFormatError(at);
  return value;
}

function textList(value: unknown, at: string): string[] {
  return list(value, at).map((x, i) => {
    if (typeof x !== "string") throw new PlanFormatError(`${at}[${i}]`);
    return x;
  });
}

function text(o: Obj, name: string, at: string): string {
  const value = o[name];
  if (typeof value !== "string") throw new PlanFormatError(`${at}${name}`);
  return value;
}

function optionalText(o: Obj, name: string, at: string): string | null {
  return o[name] === null || o[name] === undefined ? null : text(o, name, at);
}

function number(o: Obj, name: string, at: string): number {
  const value = o[name];
  if (typeof value !== "number" || !Number.isFinite(value)) throw new PlanFormatError(`${at}${name}`);
  return value;
}

function optionalNumber(o: Obj, name: string, at: string): number | null {
  return o[name] === null || o[name] === undefined ? null : number(o, name, at);
}

function moment(o: Obj, name: string, at: string): string {
  const value = text(o, name, at);
  if (Number.isNaN(Date.parse(value))) throw new PlanFormatError(`${at}${name}`);
  return value;
}

function position(value: unknown, at: string): LatLon {
  const o = object(value, at);
  const lat = number(o, "lat", `${at}.`);
  const lon = number(o, "lon", `${at}.`);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) throw new PlanFormatError(at);
  return { lat, lon };
}

function casualty(value: unknown, at: string): PlannedCasualty {
  const o = object(value, at);
  const p = `${at}.`;
  return {
    casualty_id: text(o, "casualty_id", p),
    label: text(o, "label", p),
    category: text(o, "category", p),
    precedence: text(o, "precedence", p),
    request_id: optionalText(o, "request_id", p),
  };
}

function explanation(value: unknown, at: string): Explanation {
  const o = object(value, at);
  const p = `${at}.`;
  return {
    casualty_label: text(o, "casualty_label", p),
    tourniquet_min: optionalNumber(o, "tourniquet_min", p),
    p_now: number(o, "p_now", p),
    p_later: number(o, "p_later", p),
    after_labels: textList(o.after_labels, `${p}after_labels`),
    sets_off_in_min: optionalNumber(o, "sets_off_in_min", p),
  };
}

function suggestion(value: unknown, at: string): Suggestion {
  const o = object(value, at);
  const p = `${at}.`;
  const kind = text(o, "destination_kind", p);
  if (kind !== "facility" && kind !== "exchange_point") throw new PlanFormatError(`${p}destination_kind`);
  return {
    vehicle_id: text(o, "vehicle_id", p),
    call_sign: text(o, "call_sign", p),
    casualties: list(o.casualties, `${p}casualties`).map((c, i) => casualty(c, `${p}casualties[${i}]`)),
    request_ids: textList(o.request_ids, `${p}request_ids`),
    pickup: position(o.pickup, `${p}pickup`),
    pickup_point_id: optionalText(o, "pickup_point_id", p),
    destination_id: text(o, "destination_id", p),
    destination_name: text(o, "destination_name", p),
    destination_kind: kind,
    depart_at: moment(o, "depart_at", p),
    pickup_at: moment(o, "pickup_at", p),
    delivery_at: moment(o, "delivery_at", p),
    expected_gain: number(o, "expected_gain", p),
    reason: text(o, "reason", p),
    explanation: explanation(o.explanation, `${p}explanation`),
  };
}

/** Read the body of GET /api/v1/plan; throw PlanFormatError naming the first bad field. */
export function parsePlan(body: unknown): Plan {
  const o = object(body, "body");
  return {
    generated_at: moment(o, "generated_at", ""),
    horizon_min: number(o, "horizon_min", ""),
    method: text(o, "method", ""),
    solve_ms: number(o, "solve_ms", ""),
    waiting: number(o, "waiting", ""),
    idle_vehicles: number(o, "idle_vehicles", ""),
    suggestions: list(o.suggestions, "suggestions").map((s, i) => suggestion(s, `suggestions[${i}]`)),
    left_out: list(o.left_out, "left_out").map((x, i) => {
      const item = object(x, `left_out[${i}]`);
      const kind = text(item, "kind", `left_out[${i}].`);
      if (kind !== "casualty" && kind !== "vehicle") throw new PlanFormatError(`left_out[${i}].kind`);
      const code = (LEFT_OUT_CODES as readonly unknown[]).includes(item.code) ? (item.code as LeftOutCode) : "other";
      return { kind, id: text(item, "id", `left_out[${i}].`), reason: text(item, "reason", `left_out[${i}].`), code };
    }),
    deferred: o.deferred === undefined ? [] : list(o.deferred, "deferred").map((x, i) => deferral(x, `deferred[${i}]`)),
  };
}

function deferral(value: unknown, at: string): Deferral {
  const o = object(value, at);
  const p = `${at}.`;
  const reason = text(o, "reason", p);
  if (!(DEFERRAL_REASONS as readonly string[]).includes(reason)) throw new PlanFormatError(`${p}reason`);
  const delivery = optionalText(o, "delivery_at", p);
  if (delivery !== null && Number.isNaN(Date.parse(delivery))) throw new PlanFormatError(`${p}delivery_at`);
  return {
    casualty: casualty(o.casualty, `${p}casualty`),
    reason: reason as Deferral["reason"],
    call_sign: optionalText(o, "call_sign", p),
    delivery_at: delivery,
    p_now: optionalNumber(o, "p_now", p),
    p_later: optionalNumber(o, "p_later", p),
    text: text(o, "text", p),
  };
}

/** A suggestion's identity across refreshes: the vehicle and what it is sent for. */
export function suggestionKey(s: Suggestion): string {
  return `${s.vehicle_id}|${[...s.request_ids].sort().join(",")}|${s.destination_id}`;
}

/** Why a suggestion cannot be accepted now, or null when it can. */
export type Blocked = { why: "no_request" } | { why: "assigned"; vehicle: string } | null;

/**
 * A mission serves requests: a suggestion naming none (its casualties have no open request
 * yet) cannot become one. One whose requests a mission already serves (accepted here or by
 * someone else since the plan was made) would assign them twice.
 */
export function blocked(s: Suggestion, missions: RecordRow[], vehicles: RecordRow[]): Blocked {
  if (s.request_ids.length === 0) return { why: "no_request" };
  const serving = missions.find(
    (m) => m.status !== "cancelled" && ((m.request_ids as string[]) ?? []).some((r) => s.request_ids.includes(r)),
  );
  if (serving) {
    const vehicle = vehicles.find((v) => v.id === serving.vehicle_id);
    return { why: "assigned", vehicle: String(vehicle?.call_sign ?? String(serving.vehicle_id ?? "?").slice(0, 8)) };
  }
  return null;
}

/** The casualties a mission from this suggestion would not cover: they have no request. */
export function withoutRequest(s: Suggestion): PlannedCasualty[] {
  return s.casualties.filter((c) => !c.request_id || !s.request_ids.includes(c.request_id));
}

function latLon(value: unknown): LatLon | null {
  const q = value as { lat?: unknown; lon?: unknown } | null | undefined;
  return q && typeof q.lat === "number" && typeof q.lon === "number" ? { lat: q.lat, lon: q.lon } : null;
}

/** Where a vehicle is: its last reported position, else its base (as the map and planner). */
export function vehiclePosition(vehicles: RecordRow[], id: string): LatLon | null {
  const v = vehicles.find((x) => x.id === id);
  return v ? latLon(v.position) ?? latLon(v.base) : null;
}

/** Where a suggestion's destination is: a facility, or an exchange point. */
export function destinationPosition(s: Suggestion, facilities: RecordRow[], points: RecordRow[]): LatLon | null {
  const records = s.destination_kind === "facility" ? facilities : points;
  return latLon(records.find((x) => x.id === s.destination_id)?.position);
}

/** The trips as lines for the map: vehicle -> pickup -> destination, the chosen one marked. */
export function planRoutes(
  plan: Plan | null,
  p: { vehicles: RecordRow[]; facilities: RecordRow[]; points: RecordRow[] },
  selected: string | null,
): FeatureCollection {
  const features: Feature[] = [];
  for (const s of plan?.suggestions ?? []) {
    const stops = [vehiclePosition(p.vehicles, s.vehicle_id), s.pickup, destinationPosition(s, p.facilities, p.points)].filter(
      (x): x is LatLon => x !== null,
    );
    if (stops.length < 2) continue;
    const key = suggestionKey(s);
    features.push({
      type: "Feature",
      geometry: { type: "LineString", coordinates: stops.map((x) => [x.lon, x.lat]) },
      properties: { key, vehicle: s.call_sign, selected: key === selected ? 1 : 0 },
    });
  }
  return { type: "FeatureCollection", features };
}

/** An expected gain in survivors, in two significant figures (tiny ones as "< 0.001"), with the
 * language's decimal separator. */
export function formatGain(gain: number, language: Lang = currentLang()): string {
  if (gain <= 0) return "0";
  if (gain < 0.001) return "< 0.001";
  return String(Number(gain.toPrecision(2))).replace(".", t("number.decimal_separator", undefined, language));
}

/** `x` to `digits` decimals as Python writes it (`f"{x:.{digits}f}"`): an exact tie goes to the even digit. */
function fixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  // toFixed breaks an exact tie (0.125) upwards, Python to the even digit (0.12); only a tie can
  // differ, and only the exact expansion (toFixed(100) is exact) tells a tie from 0.615, which
  // is 0.61499999... as a double.
  const exact = x.toFixed(100);
  const end = exact.indexOf(".") + 1 + digits;
  if (!/^50*$/.test(exact.slice(end))) return rounded;
  const kept = exact.slice(0, end).replace(/\.$/, "");
  return Number(kept.at(-1)) % 2 === 0 ? kept : rounded;
}

/**
 * A chance of survival as the planner's reason writes it (planning/plan.py `_probability`): two
 * decimals from 0.095, two significant digits below (two decimals would write 0.004 and 0.001
 * alike), "< 0.001" below that; with the language's decimal separator.
 */
export function formatProbability(p: number, language: Lang = currentLang()): string {
  let written: string;
  if (p >= 0.095) written = fixed(p, 2);
  else if (p <= 0) written = "0";
  else if (p < 0.001) written = "< 0.001";
  // Python's "g" drops the zeros that rounding leaves at the end (0.0099996 -> 0.01).
  else written = fixed(p, 1 - Math.floor(Math.log10(p))).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  return written.replace(".", t("number.decimal_separator", undefined, language));
}

/** Whole minutes as Python's round() makes them: an exact half goes to the even number. */
function wholeMinutes(minutes: number): number {
  const r = Math.round(minutes);
  return Math.abs(minutes % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A number of minutes as hours and minutes ("1 h 40 min", "42 min"), as the reason writes it. */
export function formatMinutes(minutes: number, language: Lang = currentLang()): string {
  const whole = Math.max(0, wholeMinutes(minutes));
  const h = Math.floor(whole / 60);
  const m = whole % 60;
  return h > 0 ? t("plan.hours_minutes", { h, m }, language) : t("plan.minutes", { m }, language);
}

/** Tell whether a suggestion gains nothing that shows: its chances now and later print alike
 * (planning/plan.py `gains_nothing`); it is worded so and listed after those that gain. */
export function gainsNothing(s: Suggestion): boolean {
  return formatProbability(s.explanation.p_now, "en") === formatProbability(s.explanation.p_later, "en");
}

/** The suggestions in the order to show them: those that gain something first, as served. */
export function ordered(suggestions: Suggestion[]): Suggestion[] {
  return [...suggestions.filter((s) => !gainsNothing(s)), ...suggestions.filter(gainsNothing)];
}

/** A stretch of a worded reason: a name (a call sign or label, kept as written) or words. */
export interface Piece {
  text: string;
  name: boolean;
}

const words = (text: string): Piece[] => [{ text, name: false }];
const name = (text: string): Piece[] => [{ text, name: true }];

/** A dictionary text with each {placeholder} replaced by its pieces. */
function fill(key: Key, params: Record<string, Piece[]>, language: Lang): Piece[] {
  // split() with a capturing group puts the placeholders' names at the odd places.
  return t(key, undefined, language)
    .split(/\{(\w+)\}/)
    .flatMap((part, i) => (i % 2 === 1 ? params[part] ?? words(`{${part}}`) : part ? words(part) : []));
}

/**
 * A suggestion's reason in the interface's language, from its facts: who goes first and why
 * (their tourniquet, how their chance falls if they wait), and the wait for threat areas. The
 * English words are those of the server's `reason`.
 */
export function reasonPieces(s: Suggestion, language: Lang = currentLang()): Piece[] {
  const e = s.explanation;
  const minutes = (value: number) => words(formatMinutes(value, language));
  if (gainsNothing(s)) {
    // Never "p falls from 1.00 to 1.00": the planner's words for a trip that gains nothing.
    const wait = e.sets_off_in_min !== null ? [...words("; "), ...fill("plan.why_wait", { time: minutes(e.sets_off_in_min) }, language)] : [];
    return [...fill("plan.why_no_gain", { vehicle: name(s.call_sign), casualty: name(e.casualty_label), now: words(formatProbability(e.p_now, language)) }, language), ...wait];
  }
  const facts: Piece[] = [];
  if (e.tourniquet_min !== null) facts.push(...fill("plan.why_tourniquet", { time: minutes(e.tourniquet_min) }, language), ...words(", "));
  const chances = { now: words(formatProbability(e.p_now, language)), later: words(formatProbability(e.p_later, language)) };
  if (e.after_labels.length > 0) {
    const after = e.after_labels.flatMap((label, i) => (i > 0 ? [...words(", "), ...name(label)] : name(label)));
    facts.push(...fill("plan.why_after", { ...chances, after }, language));
  } else facts.push(...fill("plan.why_later_trip", chances, language));
  if (e.sets_off_in_min !== null) facts.push(...words("; "), ...fill("plan.why_wait", { time: minutes(e.sets_off_in_min) }, language));
  return fill("plan.why", { vehicle: name(s.call_sign), casualty: name(e.casualty_label), facts }, language);
}

/**
 * Why a casualty waits, in the interface's language, from the deferral's facts; the English
 * words are those of the server's `text` (planning/plan.py `deferral_reason`), with the
 * planned time at care as a clock time.
 */
export function deferralPieces(d: Deferral, language: Lang = currentLang(), at: (iso: string) => string = localTime): Piece[] {
  const who = { casualty: name(d.casualty.label), category: words(t(`plan_class.${d.casualty.category}` as Key, undefined, language)) };
  if (d.reason === "later_trip" && d.call_sign !== null && d.delivery_at !== null)
    return fill("plan.deferred_later_trip", { ...who, vehicle: name(d.call_sign), time: words(at(d.delivery_at)) }, language);
  if (d.reason === "low_chance" && d.p_now !== null && d.p_later !== null)
    return fill("plan.deferred_low_chance", { ...who, now: words(formatProbability(d.p_now, language)), later: words(formatProbability(d.p_later, language)) }, language);
  if (d.reason === "unreachable") return fill("plan.deferred_unreachable", who, language);
  return fill("plan.deferred_others_first", who, language);
}

/** Why a casualty waits, in the interface's language, as plain text. */
export function deferralText(d: Deferral, language: Lang = currentLang(), at: (iso: string) => string = localTime): string {
  return deferralPieces(d, language, at)
    .map((piece) => piece.text)
    .join("");
}

/** A suggestion's reason in the interface's language, as plain text. */
export function reasonText(s: Suggestion, language: Lang = currentLang()): string {
  return reasonPieces(s, language)
    .map((piece) => piece.text)
    .join("");
}

export interface Clock {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttle {
  /** Something changed: run soon, but not sooner than `minMs` after the last run began. */
  request(): void;
  /** The user asked: run now (or right after the run in progress). */
  now(): void;
  stop(): void;
}

/**
 * Run `fn` for changes no more often than every `minMs`: requests in between become one run at
 * the end of the interval, and never two runs at once (a request during a run runs once more
 * after it). Asking on demand skips the wait.
 */
export function throttle(fn: () => Promise<void>, minMs: number, clock: Clock = REAL_CLOCK): Throttle {
  let lastStart = -Infinity;
  let running = false;
  let again: "request" | "now" | null = null;
  let timer: unknown = null;
  let stopped = false;
  const clear = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  const run = () => {
    clear();
    if (stopped) return;
    running = true;
    lastStart = clock.now();
    void fn()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        const next = again;
        again = null;
        if (next === "now") self.now();
        else if (next === "request") self.request();
      });
  };
  const self: Throttle = {
    request() {
      if (stopped) return;
      if (running) {
        again ??= "request";
        return;
      }
      const wait = lastStart + minMs - clock.now();
      if (wait <= 0) run();
      else if (timer === null) timer = clock.setTimeout(run, wait);
    },
    now() {
      if (stopped) return;
      if (running) again = "now";
      else run();
    },
    stop() {
      stopped = true;
      clear();
    },
  };
  return self;
}
