// Triage suggested on the device, with the rule that fired: a port of the server's rules
// (src/goldenhour/domain/triage/start.py and suggest.py; docs/triage.md). START follows its
// published algorithm; the NATO and precedence rules are Golden Hour's own, always overridable.
import { type Card, latest } from "./card";

export interface Suggestion {
  category: string | null;
  rule: string; // a rule id with parameters, translated for display (i18n "rule.*")
  params?: Record<string, string | number>;
}

const LIFE_SAVING = new Set(["cric", "et_tube", "sga", "needle_decompression", "chest_seal", "pelvic_binder"]);
const SURGICAL_KINDS = ["amputation", "cavity", "vascular"];
// Outcomes that are a death (suggest.py _DEATH): the casualty is dead whatever the vitals say.
const DEATHS = new Set(["died_of_wounds", "killed_in_action", "died_in_transit"]);

/** START (Hoag/Newport Beach 1983, rev. 1997): walks, breathes, RR > 30, perfusion, commands. */
export function start(card: Card): Suggestion {
  const v = card.vitals;
  const walking = latest(v, "walking");
  if (walking === undefined) return { category: null, rule: "start.need_walking" };
  if (walking) return { category: "minor", rule: "start.walks" };
  const breathing = latest(v, "breathing");
  if (breathing === undefined) return { category: null, rule: "start.need_breathing" };
  if (!breathing) {
    const after = latest(v, "breathing_after_airway");
    if (after === undefined) return { category: null, rule: "start.need_airway" };
    return after
      ? { category: "immediate", rule: "start.breathes_after_airway" }
      : { category: "dead", rule: "start.not_breathing" };
  }
  const rr = latest(v, "respiratory_rate") as number | undefined;
  if (rr === undefined) return { category: null, rule: "start.need_rr" };
  if (rr > 30) return { category: "immediate", rule: "start.rr", params: { rr } };
  const radial = latest(v, "radial_pulse");
  const crt = latest(v, "capillary_refill_s") as number | undefined;
  if (radial === false) return { category: "immediate", rule: "start.no_radial" };
  if (crt !== undefined && crt > 2) return { category: "immediate", rule: "start.crt", params: { crt } };
  if (radial === undefined && crt === undefined) return { category: null, rule: "start.need_perfusion" };
  // AVPU P or U means no response to voice, so no command can be followed; it wins over a
  // contradictory "follows commands" (the urgent reading, as start.py step 5).
  const avpu = latest(v, "avpu");
  if (avpu === "P" || avpu === "U") return { category: "immediate", rule: "start.avpu", params: { avpu } };
  const follows = latest(v, "follows_commands");
  if (follows === undefined) return { category: null, rule: "start.need_commands" };
  if (!follows) return { category: "immediate", rule: "start.no_commands" };
  return { category: "delayed", rule: "start.delayed" };
}

function surgical(card: Card): string[] {
  const reasons = card.tourniquets.filter((t) => !t.ended_at).map((t) => `tq:${t.limb ?? t.category}`);
  for (const injury of card.injuries) {
    const kinds = (injury.kinds as string[]) ?? [];
    for (const k of SURGICAL_KINDS) if (kinds.includes(k)) reasons.push(`kind:${k}`);
  }
  return reasons;
}

/** NATO T-category: first rule that fires (suggest.py). Returns also whether surgery is needed. */
export function nato(card: Card): Suggestion & { surgical: boolean } {
  const outcome = card.outcome?.outcome;
  if (typeof outcome === "string" && DEATHS.has(outcome)) {
    return { category: "dead", rule: "nato.outcome_dead", params: { outcome }, surgical: false };
  }
  const s = start(card);
  if (s.category === "dead") return { category: "dead", rule: s.rule, surgical: false };
  const needs = surgical(card);
  const tq = needs.filter((r) => r.startsWith("tq:"));
  const lsi = card.treatments.map((t) => String(t.intervention)).filter((i) => LIFE_SAVING.has(i));
  if (tq.length || lsi.length) {
    return { category: "T1", rule: "nato.lsi", params: { what: [...tq, ...lsi.map((i) => `iv:${i}`)].join(",") }, surgical: needs.length > 0 };
  }
  if (s.category === "immediate") return { category: "T1", rule: s.rule, params: s.params, surgical: needs.length > 0 };
  if (needs.length) return { category: "T1", rule: "nato.surgical", params: { what: needs.join(",") }, surgical: true };
  if (latest(card.vitals, "walking") === true) return { category: "T3", rule: "nato.walks", surgical: false };
  if (card.injuries.length || s.category === "delayed") return { category: "T2", rule: "nato.delayed", surgical: false };
  return { category: null, rule: "nato.need_more", surgical: false };
}

/** 9-line precedence from the NATO category: T1 surgical B, T1 A, T2 C, T3 D (triage.md §5). */
export function precedence(card: Card): Suggestion {
  const n = nato(card);
  const assessed = card.triage.nato?.category as string | undefined;
  const category = assessed ?? n.category;
  if (category === "T1" && n.surgical) return { category: "B", rule: "prec.t1_surgical" };
  if (category === "T1") return { category: "A", rule: "prec.t1" };
  if (category === "T2") return { category: "C", rule: "prec.t2" };
  if (category === "T3") return { category: "D", rule: "prec.t3" };
  if (category === "T4" || category === "dead") return { category: null, rule: "prec.none" };
  return { category: null, rule: "nato.need_more" };
}
