// The web's answers to the rule cases the Python domain writes (tests/rules_cases.py), in the
// same shape: the card folded on the device, triage with the rule that fired, tourniquet clocks,
// MIST and the 9-line; and the same from the server's card (fromServer, the coordinator's views).
import { burnTotal, type Card, clock, fold, latestGcs } from "../src/card";
import type { StoredEvent, Wire } from "../src/db";
import { mist, nineLine } from "../src/medevac";
import { fromServer, type ServerCard } from "../src/remote";
import { nato, precedence, start } from "../src/triage";

export interface RuleCase {
  name: string;
  now: string;
  pickup: { lat: number; lon: number };
  security: string;
  marking: string;
  frequency?: string; // line 2 as typed, when not the usual one
  call_sign?: string;
  casualties: { casualty_id: string; events: Wire[]; server_card?: ServerCard }[];
  expected: Answer;
}

export type Answer = { casualties: Record<string, unknown>[]; nine_line: string | null };

const FREQUENCY = "38.900 MHZ";
const CALL_SIGN = "KALYNA 21";

function ms(value: unknown): number | null {
  return value === null || value === undefined ? null : Date.parse(String(value));
}

function ids(entries: Wire[]): string[] {
  return entries.map((e) => e.event_id);
}

function cardAnswer(card: Card): Record<string, unknown> {
  return {
    registered: card.registered_at !== null,
    identity: card.identity,
    injured_at: ms(card.injured_at),
    burn_tbsa_total: burnTotal(card.injuries),
    gcs: latestGcs(card.vitals),
    position: card.position ?? null,
    tourniquets: card.tourniquets.map((t) => ({
      application_id: t.application_id,
      limb: t.limb,
      category: t.category,
      location: t.location,
      type: t.type,
      applied_at: ms(t.applied_at),
      converted_at: ms(t.converted_at),
      removed_at: ms(t.removed_at),
      ended_at: ms(t.ended_at),
    })),
    injuries: ids(card.injuries),
    treatments: ids(card.treatments),
    medications: ids(card.medications),
    fluids: ids(card.fluids),
    vitals: ids(card.vitals),
    evacuations: ids(card.evacuations),
    handovers: ids(card.handovers),
    notes: ids(card.notes),
    triage: Object.fromEntries(Object.entries(card.triage).map(([system, e]) => [system, e.event_id])),
    outcome: card.outcome?.event_id ?? null,
    last_at: ms(card.last_at),
  };
}

function rulesAnswer(card: Card, now: number): Record<string, unknown> {
  const s = start(card);
  const n = nato(card);
  const p = precedence(card);
  const clocks = [...card.tourniquets]
    .sort((a, b) => Date.parse(a.applied_at) - Date.parse(b.applied_at) || a.application_id.localeCompare(b.application_id))
    .map((t) => ({ application_id: t.application_id, ...clock(t, now) }));
  return {
    triage: {
      start: { category: s.category, rule: s.rule },
      nato: { category: n.category, rule: n.rule, surgical: n.surgical },
      precedence: { category: p.category, rule: p.rule },
    },
    clocks,
    mist: mist(card, now),
  };
}

function nineLineAnswer(cards: Card[], c: RuleCase): string | null {
  const radio = { frequency: c.frequency ?? FREQUENCY, callSign: c.call_sign ?? CALL_SIGN, security: c.security, marking: c.marking };
  return nineLine(cards, c.pickup, radio) || null;
}

/** The device's answer: every event folded as the phone folds them. */
export function deviceAnswer(c: RuleCase): Answer {
  const now = Date.parse(c.now);
  const cards = c.casualties.map((x) =>
    fold(
      x.casualty_id,
      x.events.map(
        (event, created): StoredEvent => ({
          event_id: event.event_id,
          stream: "casualty",
          stream_id: x.casualty_id,
          kind: event.kind,
          event,
          state: "stored",
          origin: "server",
          created,
        }),
      ),
    ),
  );
  return {
    casualties: cards.map((card) => ({ card: cardAnswer(card), ...rulesAnswer(card, now) })),
    nine_line: nineLineAnswer(cards, c),
  };
}

/** The coordinator's answer, from the cards the server serves; null without them. */
export function serverAnswer(c: RuleCase): Answer | null {
  if (!c.casualties.every((x) => x.server_card)) return null;
  const now = Date.parse(c.now);
  const cards = c.casualties.map((x) => fromServer({ ...x.server_card!, updated_seq: 0 }));
  return { casualties: cards.map((card) => rulesAnswer(card, now)), nine_line: nineLineAnswer(cards, c) };
}

/** What the server's card can be held to: the expected answer without the card itself. */
export function withoutCard(a: Answer): Answer {
  return { casualties: a.casualties.map(({ card: _card, ...rest }) => rest), nine_line: a.nine_line };
}
