// The 9-line MEDEVAC request and the MIST handover, filled on the device from the cards, in
// the text form the server writes (domain/medevac/nine_line_text.py, ATP 4-02.2 line order).
import { type Card, displayName, latest } from "./card";
import { toMgrs, type LatLon } from "./geo";
import { dtg, localTime } from "./time";
import { precedence } from "./triage";

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

function counts(letters: string[], wanted: string[]): string {
  return wanted.map((l) => `${l}${letters.filter((x) => x === l).length}`).join(" ");
}

/** The casualty is carried on a litter unless he was seen walking. */
export function onLitter(card: Card): boolean {
  return latest(card.vitals, "walking") !== true;
}

/** The 9-line as text for the casualties at one pickup point. */
export function nineLine(cards: Card[], pickup: LatLon, radio: Radio): string {
  const prec = cards.map((c) => String(c.triage.precedence?.category ?? precedence(c).category ?? "C"));
  const litter = cards.filter(onLitter).length;
  const nationality = cards.map((c) => NATIONALITY[String(c.identity.status ?? "own_military")] ?? "A");
  return [
    `LINE 1: ${toMgrs(pickup)}`,
    `LINE 2: ${radio.frequency} / ${radio.callSign}`,
    `LINE 3: ${counts(prec, ["A", "B", "C", "D", "E"])}`,
    "LINE 4: A",
    `LINE 5: L${litter} A${cards.length - litter}`,
    `LINE 6: ${radio.security}`,
    `LINE 7: ${radio.marking}`,
    `LINE 8: ${counts(nationality, ["A", "B", "C", "D", "E"])}`,
    "LINE 9: NONE",
  ].join("\n");
}

function vitalsLine(card: Card): string {
  const v = card.vitals;
  const parts: string[] = [];
  const pulse = latest(v, "pulse");
  if (pulse !== undefined) parts.push(`P ${pulse}`);
  const rr = latest(v, "respiratory_rate");
  if (rr !== undefined) parts.push(`RR ${rr}`);
  const spo2 = latest(v, "spo2");
  if (spo2 !== undefined) parts.push(`SpO2 ${spo2}%`);
  const sys = latest(v, "systolic");
  if (sys !== undefined) parts.push(`BP ${sys}/${latest(v, "diastolic") ?? "P"}`);
  const avpu = latest(v, "avpu");
  if (avpu !== undefined) parts.push(`AVPU ${avpu}`);
  const pain = latest(v, "pain");
  if (pain !== undefined) parts.push(`PAIN ${pain}/10`);
  return parts.join(", ") || "-";
}

/** MIST: mechanism and time, injuries, signs, treatment (tourniquet times in DTG). */
export function mist(card: Card): string {
  const mechanisms = new Set<string>();
  for (const i of card.injuries) for (const m of (i.mechanisms as string[]) ?? []) mechanisms.add(m);
  const at = card.injured_at ?? card.registered_at;
  const injuries = card.injuries.map((i) =>
    [i.laterality, String(i.region).replace(/_/g, " "), ...(((i.kinds as string[]) ?? []).map((k) => k.replace(/_/g, " ")))]
      .filter(Boolean)
      .join(" "),
  );
  const treatments = [
    ...card.tourniquets.map(
      (t) => `TQ ${String(t.limb ?? t.category).replace(/_/g, " ").toUpperCase()} ${dtg(t.applied_at)}${t.ended_at ? ` OFF ${dtg(t.ended_at)}` : ""}`,
    ),
    ...card.treatments.map((t) => String(t.intervention).replace(/_/g, " ").toUpperCase()),
    ...card.medications.map((m) => `${m.name} ${m.dose ?? ""}${m.dose_unit ?? ""} ${m.route} ${localTime(m.occurred_at)}`),
    ...card.fluids.map((f) => `${f.name} ${f.volume_ml}ml ${f.route}`),
  ];
  return [
    `${displayName(card)}`,
    `M: ${[...mechanisms].join(", ").toUpperCase() || "-"}${at ? ` ${dtg(at)}` : ""}`,
    `I: ${injuries.join("; ") || "-"}`,
    `S: ${vitalsLine(card)}`,
    `T: ${treatments.join("; ") || "-"}`,
  ].join("\n");
}
