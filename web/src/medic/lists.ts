// Closed lists the medic's forms share (entry and correction), as the server spells them.

import limits from "../limits.json";
import { positiveNumber } from "../numbers";

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

// issue 13 item 11: fluids and blood, burns.
/** One fluid or blood entry in ml, as the server bounds it (FluidGiven.volume_ml). */
export const VOLUME_RANGE: number[] = limits.volume_ml;
/** The burned area of one region in % of the body surface (InjuryRecorded.burn_tbsa_percent). */
export const TBSA_RANGE: number[] = limits.burn_tbsa_percent;
/** Fluids go IV or IO (DD 1380 C); the server refuses any other route for them. */
export const FLUID_ROUTES = ["IV", "IO"];
// Presets: blood first (TCCC prefers whole blood), each with the volume of one unit or bag.
// `name` is stored as written here; the interface shows it through label("fluid", name).
export const FLUIDS: { name: string; kind: "fluid" | "blood_product"; volume: number }[] = [
  { name: "Whole blood", kind: "blood_product", volume: 450 },
  { name: "Plasma", kind: "blood_product", volume: 250 },
  { name: "Freeze-dried plasma", kind: "blood_product", volume: 250 },
  { name: "Packed red cells", kind: "blood_product", volume: 300 },
  { name: "Ringer's lactate", kind: "fluid", volume: 500 },
  { name: "NaCl 0.9%", kind: "fluid", volume: 500 },
  { name: "Hextend", kind: "fluid", volume: 500 },
];
/** The three parts of the Glasgow Coma Scale with their grades (limits.json: 1-4, 1-5, 1-6). */
export const GCS_PARTS: [string, number][] = (["gcs_eye", "gcs_verbal", "gcs_motor"] as const).map((name) => [name, limits.vitals[name][1]]);

/** The volume typed, in ml, if it is within the server's bounds (FluidGiven.volume_ml). */
export function volumeMl(text: string): number | null {
  const value = positiveNumber(text, VOLUME_RANGE[1]);
  return value !== null && value >= VOLUME_RANGE[0] ? value : null;
}

/**
 * The burned area typed, in % of the body surface, if it is a number within the server's
 * bounds and the burns of all regions stay within 100 % (the history refuses more).
 */
export function burnPercent(text: string, recorded: number | null): number | null {
  const trimmed = text.trim().replace(",", ".");
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return null;
  const value = Number(trimmed);
  if (!(value >= TBSA_RANGE[0] && value <= TBSA_RANGE[1])) return null;
  return (recorded ?? 0) + value > 100 + 1e-6 ? null : value;
}

