// Several casualties at one site (issue 13, item 12): the medic's list sorted by triage category
// with counts, and one MEDEVAC request for the casualties the medic selects. The request is what
// the server's domain would make of the cards once the request is on them: each casualty's part
// (`evacuation_requested`, sharing the request id, with its own precedence and litter or seat)
// and the request itself (`evacuation_request_filed`, at the most urgent precedence, with the
// 9-line of domain/medevac/from_card.py patient_counts and nine_line_from_cards).
import type { Card } from "./card";
import type { Wire } from "./db";
import type { LatLon } from "./geo";
import { casualtyPrecedence, nineLine, onLitter, type Radio } from "./medevac";
import { nato } from "./triage";

/** The NATO categories in the order the list shows them: who needs help first, first. */
export const CATEGORY_ORDER = ["T1", "T2", "T3", "T4", "dead"] as const;
export type Category = (typeof CATEGORY_ORDER)[number];
const PRECEDENCE_ORDER = ["A", "B", "C", "D", "E"];

/** The NATO category that stands: the medic's if assessed, else the suggestion (null: none yet). */
export function category(card: Card): Category | null {
  const value = (card.triage.nato?.category as string | undefined) ?? nato(card).category;
  return (CATEGORY_ORDER as readonly string[]).includes(String(value)) ? (value as Category) : null;
}

function rank(card: Card): number {
  const c = category(card);
  // Not yet triaged: after the living, before the expectant and the dead, so that none is missed.
  if (c === null) return 2.5;
  return CATEGORY_ORDER.indexOf(c);
}

/** The cards by triage category (immediate first, then delayed, minimal, expectant, dead); stable. */
export function byTriage(cards: Card[]): Card[] {
  return cards
    .map((card, index) => ({ card, index }))
    .sort((a, b) => rank(a.card) - rank(b.card) || a.index - b.index)
    .map((x) => x.card);
}

/** How many casualties stand in each category, and how many are not yet triaged. */
export function categoryCounts(cards: Card[]): Record<Category | "none", number> {
  const counts: Record<Category | "none", number> = { T1: 0, T2: 0, T3: 0, T4: 0, dead: 0, none: 0 };
  for (const card of cards) counts[category(card) ?? "none"] += 1;
  return counts;
}

export interface GroupRequest {
  requestId: string;
  /** Each counted casualty's part of the request, fields of an `evacuation_requested`. */
  parts: Record<string, unknown>[];
  /** The fields of the `evacuation_request_filed`, or null when no casualty is left to move. */
  filed: Record<string, unknown> | null;
  /** The casualties in the request, and those left out (the dead). */
  counted: string[];
  notCounted: string[];
  nineLine: string;
}

/**
 * One request for the selected casualties at `pickup`. The dead are left out; each other
 * casualty keeps the precedence and litter or seat of the 9-line rules (its latest request's,
 * else assessed or suggested, routine when there is none; a litter unless seen walking), so the
 * 9-line the server would write from the stored cards is the one sent.
 */
export function groupRequest(
  cards: Card[],
  pickup: LatLon,
  radio: Radio,
  requestId: string,
  unitId: string | undefined,
): GroupRequest {
  const counted: Card[] = [];
  const notCounted: string[] = [];
  for (const card of cards) {
    if (category(card) === "dead") notCounted.push(card.casualty_id);
    else counted.push(card);
  }
  const parts = counted.map((card) => ({
    casualty_id: card.casualty_id,
    request_id: requestId,
    precedence: casualtyPrecedence(card) ?? "D",
    position: onLitter(card) ? "litter" : "seated",
    pickup,
  }));
  // The cards as they will be once each carries its part of this request.
  const after = counted.map((card, i) => ({ ...card, evacuations: [...card.evacuations, parts[i] as unknown as Wire] }));
  const text = counted.length ? nineLine(after, pickup, radio) : "";
  const mostUrgent = PRECEDENCE_ORDER.find((code) => parts.some((p) => p.precedence === code));
  const filed = mostUrgent
    ? {
        request_id: requestId,
        unit_id: unitId,
        casualty_ids: counted.map((c) => c.casualty_id),
        pickup,
        precedence: mostUrgent,
        nine_line: text,
      }
    : null;
  return { requestId, parts, filed, counted: counted.map((c) => c.casualty_id), notCounted, nineLine: text };
}

export interface LineCounts {
  byPrecedence: Record<string, number>;
  litter: number;
  ambulatory: number;
  total: number;
}

/** Lines 3 and 5 read back from a 9-line's text (as filed); null when it has no line 3. */
export function lineCounts(text: unknown): LineCounts | null {
  if (typeof text !== "string") return null;
  const line3 = /^LINE 3: (.*)$/m.exec(text);
  if (!line3) return null;
  const byPrecedence: Record<string, number> = {};
  for (const m of line3[1].matchAll(/([A-E])(\d+)/g)) byPrecedence[m[1]] = Number(m[2]);
  const line5 = /^LINE 5: L(\d+) A(\d+)/m.exec(text);
  const total = Object.values(byPrecedence).reduce((a, b) => a + b, 0);
  return {
    byPrecedence,
    litter: line5 ? Number(line5[1]) : 0,
    ambulatory: line5 ? Number(line5[2]) : 0,
    total,
  };
}
