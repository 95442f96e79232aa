// NATO APP-6 / MIL-STD-2525C symbols drawn by milsymbol (MIT), turned into map images.
import ms from "milsymbol";

export const PRECEDENCE_COLOURS: Record<string, string> = {
  A: "#d62828", // urgent
  B: "#f77f00", // urgent-surgical
  C: "#fcbf49", // priority
  D: "#2a9d8f", // routine
  E: "#8d99ae", // convenience
  none: "#adb5bd",
};

// Letter SIDCs (2525C): a friendly medical unit for a casualty, a hospital installation for a
// facility, ground ambulance, armoured medical vehicle, and a medevac helicopter.
export const SIDC = {
  casualty: "SFGPUSM-------",
  facility: "SFGPIXH-------",
  ground_ambulance: "SFGPEVUA------",
  armoured_evacuation: "SFGPEVAL------",
  helicopter: "SFAPMHM-------",
  boat: "SFGPEVUA------",
  ambulance_exchange: "GFSPPX--------",
  casualty_collection: "GFSPPC--------",
};

export interface Icon {
  image: ImageData;
  anchor: [number, number];
}

/** Draw a symbol into image data for MapLibre's addImage. */
export function symbolImage(sidc: string, options: Record<string, unknown> = {}): Icon {
  const symbol = new ms.Symbol(sidc, { size: 22, ...options });
  const canvas = symbol.asCanvas(1) as HTMLCanvasElement;
  const context = canvas.getContext("2d")!;
  const anchor = symbol.getAnchor();
  return { image: context.getImageData(0, 0, canvas.width, canvas.height), anchor: [anchor.x, anchor.y] };
}

/** Triage categories on the map, worst first: NATO T1-T4, dead, and not yet triaged. */
export const TRIAGE_ORDER = ["T1", "T2", "T3", "T4", "dead", "none"] as const;
export type MapTriage = (typeof TRIAGE_ORDER)[number];

// The usual triage colours: red, yellow, green, blue (expectant), black; grey for none yet.
const TRIAGE_COLOURS: Record<MapTriage, string> = {
  T1: "#d62828",
  T2: "#ffd60a",
  T3: "#2dc653",
  T4: "#3a86ff",
  dead: "#111111",
  none: "#adb5bd",
};

export function triageColour(category: string): string {
  return TRIAGE_COLOURS[category as MapTriage] ?? TRIAGE_COLOURS.none;
}

// START's and JumpSTART's categories read as NATO's (immediate is T1, delayed T2, minor T3).
const AS_NATO: Record<string, MapTriage> = {
  T1: "T1", T2: "T2", T3: "T3", T4: "T4", dead: "dead",
  immediate: "T1", delayed: "T2", minor: "T3", expectant: "T4",
};

/** The category a card shows on the map: NATO's if assessed, else START's or JumpSTART's. */
export function mapTriage(triage: Record<string, unknown> | undefined): MapTriage {
  for (const system of ["nato", "start", "jumpstart"]) {
    const entry = triage?.[system] as { category?: string } | undefined;
    const found = entry?.category ? AS_NATO[entry.category] : undefined;
    if (found) return found;
  }
  return "none";
}

/** A casualty's symbol: APP-6 friendly medical, filled by triage, its precedence in a box beside. */
export function casualtyImage(category: string, precedence: string): ImageData {
  const symbol = new ms.Symbol(SIDC.casualty, { size: 20, fillColor: triageColour(category) });
  const drawn = symbol.asCanvas(1) as HTMLCanvasElement;
  const letter = precedence === "none" ? "" : precedence;
  const width = drawn.width + (letter ? 18 : 0);
  const height = Math.max(drawn.height, 18);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  ctx.drawImage(drawn, 0, (height - drawn.height) / 2);
  if (letter) {
    ctx.fillStyle = PRECEDENCE_COLOURS[letter] ?? PRECEDENCE_COLOURS.none;
    ctx.fillRect(drawn.width + 1, height / 2 - 9, 16, 18);
    ctx.fillStyle = "#111111";
    ctx.font = "700 13px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(letter, drawn.width + 9, height / 2 + 1);
  }
  return ctx.getImageData(0, 0, width, height);
}
