// MGRS for the browser, through the maintained `mgrs` package (MIT; proj4js), checked against
// GeographicLib's GeoConvert in tests/mgrs.test.ts. Polar regions (UPS) are not supported.
import { forward, toPoint } from "mgrs";

export interface LatLon {
  lat: number;
  lon: number;
}

/** Format a position as MGRS with spaces: 37U DQ 43561 18531 (1 m, 5 digits). */
export function toMgrs(p: LatLon, digits = 5): string {
  // As GeographicLib (and the server) write it: longitude 180 is -180 (zone 1), and the zone
  // number has two digits.
  const lon = p.lon >= 180 ? p.lon - 360 : p.lon;
  const raw = forward([lon, p.lat], digits);
  return spaced(/^\d[A-Z]/.test(raw) ? `0${raw}` : raw);
}

function spaced(raw: string): string {
  const m = /^(\d{1,2}[A-Z])([A-Z]{2})(\d*)$/.exec(raw);
  if (!m) return raw;
  const half = m[3].length / 2;
  const digits = half ? ` ${m[3].slice(0, half)} ${m[3].slice(half)}` : "";
  return `${m[1]} ${m[2]}${digits}`;
}

/** Parse typed MGRS (spaces and case ignored) to the centre of its square, or null. */
export function fromMgrs(text: string): LatLon | null {
  const clean = text.replace(/\s+/g, "").toUpperCase();
  if (!/^\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z][A-HJ-NP-V](\d\d){0,5}$/.test(clean)) return null;
  try {
    const [lon, lat] = toPoint(clean);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
    return { lat: round(lat), lon: round(lon) };
  } catch {
    return null;
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** UTM grid coordinates to latitude/longitude (Snyder's series; for drawing the grid). */
export function utmToLatLon(zone: number, easting: number, northing: number, north: boolean): LatLon {
  const a = 6378137;
  const e2 = 0.00669438;
  const k0 = 0.9996;
  const ep2 = e2 / (1 - e2);
  const e1 = (1 - Math.sqrt(1 - e2)) / (1 + Math.sqrt(1 - e2));
  const x = easting - 500000;
  const y = north ? northing : northing - 10000000;
  const lon0 = ((zone - 1) * 6 - 180 + 3) * (Math.PI / 180);
  const m = y / k0;
  const mu = m / (a * (1 - e2 / 4 - (3 * e2 * e2) / 64 - (5 * e2 * e2 * e2) / 256));
  const phi1 =
    mu +
    ((3 * e1) / 2 - (27 * e1 ** 3) / 32) * Math.sin(2 * mu) +
    ((21 * e1 * e1) / 16 - (55 * e1 ** 4) / 32) * Math.sin(4 * mu) +
    ((151 * e1 ** 3) / 96) * Math.sin(6 * mu);
  const n1 = a / Math.sqrt(1 - e2 * Math.sin(phi1) ** 2);
  const t1 = Math.tan(phi1) ** 2;
  const c1 = ep2 * Math.cos(phi1) ** 2;
  const r1 = (a * (1 - e2)) / Math.pow(1 - e2 * Math.sin(phi1) ** 2, 1.5);
  const d = x / (n1 * k0);
  const lat =
    phi1 -
    ((n1 * Math.tan(phi1)) / r1) *
      ((d * d) / 2 -
        ((5 + 3 * t1 + 10 * c1 - 4 * c1 * c1 - 9 * ep2) * d ** 4) / 24 +
        ((61 + 90 * t1 + 298 * c1 + 45 * t1 * t1 - 252 * ep2 - 3 * c1 * c1) * d ** 6) / 720);
  const lon =
    lon0 +
    (d - ((1 + 2 * t1 + c1) * d ** 3) / 6 + ((5 - 2 * c1 + 28 * t1 - 3 * c1 * c1 + 8 * ep2 + 24 * t1 * t1) * d ** 5) / 120) /
      Math.cos(phi1);
  return { lat: (lat * 180) / Math.PI, lon: (lon * 180) / Math.PI };
}

/** Latitude/longitude to UTM easting and northing in a given zone (for the grid). */
export function latLonToUtm(zone: number, p: LatLon): { easting: number; northing: number } {
  const a = 6378137;
  const e2 = 0.00669438;
  const k0 = 0.9996;
  const ep2 = e2 / (1 - e2);
  const lat = (p.lat * Math.PI) / 180;
  const lon0 = ((zone - 1) * 6 - 180 + 3) * (Math.PI / 180);
  const n = a / Math.sqrt(1 - e2 * Math.sin(lat) ** 2);
  const t = Math.tan(lat) ** 2;
  const c = ep2 * Math.cos(lat) ** 2;
  const aa = Math.cos(lat) * ((p.lon * Math.PI) / 180 - lon0);
  const m =
    a *
    ((1 - e2 / 4 - (3 * e2 * e2) / 64 - (5 * e2 ** 3) / 256) * lat -
      ((3 * e2) / 8 + (3 * e2 * e2) / 32 + (45 * e2 ** 3) / 1024) * Math.sin(2 * lat) +
      ((15 * e2 * e2) / 256 + (45 * e2 ** 3) / 1024) * Math.sin(4 * lat) -
      ((35 * e2 ** 3) / 3072) * Math.sin(6 * lat));
  const easting =
    k0 * n * (aa + ((1 - t + c) * aa ** 3) / 6 + ((5 - 18 * t + t * t + 72 * c - 58 * ep2) * aa ** 5) / 120) + 500000;
  let northing =
    k0 *
    (m +
      n *
        Math.tan(lat) *
        ((aa * aa) / 2 + ((5 - t + 9 * c + 4 * c * c) * aa ** 4) / 24 + ((61 - 58 * t + t * t + 600 * c - 330 * ep2) * aa ** 6) / 720));
  if (p.lat < 0) northing += 10000000;
  return { easting, northing };
}
