// Closed lists the medic's forms share (entry and correction), as the server spells them.

import limits from "../limits.json";

// The server's bounds, generated from the domain (scripts/web-limits): the form refuses what the
// server would refuse, before anything is saved.
export const DOSE_MAX = limits.dose_max;
/** The longest text the server keeps in one field (a name, a reason, a note). */
export const TEXT_MAX = limits.text_max;
export const VITAL_RANGES: Record<string, number[]> = limits.vitals;

// Common TCCC drugs, as presets the medic can change before recording. `name` is stored as the
// server spells it (and sent so in the 9-line and MIST); the interface shows it through
// drugName (i18n.ts), so a Ukrainian medic reads "Кетамін", not "Ketamine".
export const DRUGS: { name: string; drug_class: string; dose: number; unit: string; route: string }[] = [
  { name: "TXA", drug_class: "hemostatic", dose: 2, unit: "g", route: "IV" },
  { name: "Ketamine", drug_class: "analgesic", dose: 50, unit: "mg", route: "IM" },
  { name: "Fentanyl", drug_class: "analgesic", dose: 800, unit: "mcg", route: "OTFC" },
  { name: "Morphine", drug_class: "analgesic", dose: 10, unit: "mg", route: "IM" },
  { name: "Moxifloxacin", drug_class: "antibiotic", dose: 400, unit: "mg", route: "PO" },
  { name: "Ertapenem", drug_class: "antibiotic", dose: 1, unit: "g", route: "IV" },
  { name: "Ondansetron", drug_class: "other", dose: 4, unit: "mg", route: "IV" },
];

export const DOSE_UNITS = ["mg", "mcg", "g", "ml", "IU"];
export const ROUTES = ["IV", "IO", "IM", "IN", "PO", "OTFC", "SL", "SC", "PR", "topical"];

/** Vital signs typed as numbers, with the unit each is read in. */
export const VITAL_NUMBERS: [string, string][] = [
  ["pulse", "per_min"],
  ["respiratory_rate", "per_min"],
  ["spo2", "percent"],
  ["systolic", "mmhg"],
  ["diastolic", "mmhg"],
  ["pain", "of_10"],
];

// Only the positions that exist on the limb are offered (never "right arm, above the knee").
export const POSITIONS: Record<string, string[]> = {
  arm: ["high_and_tight", "above_elbow", "below_elbow"],
  leg: ["high_and_tight", "above_knee", "below_knee"],
};
// The server keeps the position as text (TourniquetApplied.location).
export const LOCATION_TEXT: Record<string, string> = {
  high_and_tight: "high and tight",
  above_knee: "above the knee",
  above_elbow: "above the elbow",
  below_knee: "below the knee",
  below_elbow: "below the elbow",
};

/** The positions a limb has. */
export function positionsOf(limb: string): string[] {
  return POSITIONS[limb.endsWith("_arm") ? "arm" : "leg"];
}
