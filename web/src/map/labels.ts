// Text and cluster badges drawn on a canvas as map images. The map has no glyph server (it works
// offline), so MapLibre cannot set text itself; as images, labels still take part in its
// collision detection, so they never overlap one another or the symbols above them.
import type { Map as MlMap } from "maplibre-gl";
import { triageColour, TRIAGE_ORDER } from "./symbols";

const FONT = "600 13px system-ui, sans-serif";

function canvas(width: number, height: number): CanvasRenderingContext2D {
  const c = document.createElement("canvas");
  c.width = width;
  c.height = height;
  return c.getContext("2d", { willReadFrequently: true })!;
}

/** A name with a dark halo, readable on land, sea and the symbols. */
export function textImage(text: string, colour = "#f8f9fa"): ImageData {
  const measure = canvas(1, 1);
  measure.font = FONT;
  const width = Math.ceil(measure.measureText(text).width) + 8;
  const ctx = canvas(width, 20);
  ctx.font = FONT;
  ctx.textBaseline = "middle";
  ctx.lineJoin = "round";
  ctx.lineWidth = 4;
  ctx.strokeStyle = "rgba(16, 24, 32, 0.9)";
  ctx.strokeText(text, 4, 10);
  ctx.fillStyle = colour;
  ctx.fillText(text, 4, 10);
  return ctx.getImageData(0, 0, width, 20);
}

/** A cluster's badge: the total, then one coloured box with its count per triage category. */
export function clusterImage(counts: number[]): ImageData {
  const total = counts.reduce((a, b) => a + b, 0);
  const parts = TRIAGE_ORDER.map((category, i) => ({ category, n: counts[i] ?? 0 })).filter((p) => p.n > 0);
  const measure = canvas(1, 1);
  measure.font = FONT;
  const widths = parts.map((p) => Math.ceil(measure.measureText(String(p.n)).width) + 10);
  const head = Math.ceil(measure.measureText(`Σ${total}`).width) + 10;
  const width = head + widths.reduce((a, b) => a + b, 0) + 4;
  const ctx = canvas(width, 24);
  ctx.fillStyle = "rgba(16, 24, 32, 0.92)";
  ctx.fillRect(0, 0, width, 24);
  ctx.font = FONT;
  ctx.textBaseline = "middle";
  ctx.fillStyle = "#ffffff";
  ctx.fillText(`Σ${total}`, 5, 12);
  let x = head;
  parts.forEach((p, i) => {
    ctx.fillStyle = triageColour(p.category);
    ctx.fillRect(x, 3, widths[i], 18);
    ctx.fillStyle = p.category === "T2" || p.category === "T3" || p.category === "none" ? "#111111" : "#ffffff";
    ctx.fillText(String(p.n), x + 5, 12);
    x += widths[i] + 1;
  });
  return ctx.getImageData(0, 0, width, 24);
}

/** Draw label and cluster images when the map first asks for them ("label:TEXT", "cluster:a-b-c"). */
export function drawMissingImages(map: MlMap, other: (id: string) => ImageData | null): void {
  // The resolver, unlike a "styleimagemissing" listener, is awaited: the image is there for the
  // very tile that asked for it, so no label or symbol waits for the next redraw.
  map.setMissingStyleImageResolver((id: string) => {
    if (map.hasImage(id)) return;
    let image: ImageData | null = null;
    if (id.startsWith("label:")) image = textImage(id.slice(6));
    else if (id.startsWith("town:")) image = textImage(id.slice(5), "#fff3b0");
    else if (id.startsWith("cluster:")) image = clusterImage(id.slice(8).split("-").map(Number));
    else image = other(id);
    if (image) map.addImage(id, image, { pixelRatio: 1 });
  });
}
