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
