// The MGRS grid as GeoJSON lines for the visible area: grid zones when zoomed out, then
// 100 km, 10 km and 1 km squares (lines of constant UTM easting and northing, per zone).
import { latLonToUtm, utmToLatLon } from "../geo";

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

type Line = [number, number][];

function spacingFor(zoom: number): number | null {
  if (zoom < 5.5) return null; // grid zones only
  if (zoom < 8.5) return 100_000;
  if (zoom < 11.5) return 10_000;
  return 1000;
}

export function gridLines(b: Bounds, zoom: number): GeoJSON.FeatureCollection {
  const lines: Line[] = [];
  const south = Math.max(-80, b.south);
  const north = Math.min(84, b.north);
  // Grid zone boundaries: every 6° of longitude and 8° of latitude.
  for (let lon = Math.ceil(b.west / 6) * 6; lon <= b.east; lon += 6) lines.push([[lon, south], [lon, north]]);
  for (let lat = Math.ceil(south / 8) * 8; lat <= north; lat += 8) lines.push([[b.west, lat], [b.east, lat]]);
  const spacing = spacingFor(zoom);
  if (spacing) {
    const firstZone = Math.floor((Math.max(-180, b.west) + 180) / 6) + 1;
    const lastZone = Math.floor((Math.min(179.999, b.east) + 180) / 6) + 1;
    for (let zone = firstZone; zone <= lastZone && lines.length < 600; zone++) {
      const zw = Math.max(b.west, (zone - 1) * 6 - 180);
      const ze = Math.min(b.east, zone * 6 - 180);
      zoneLines(zone, { west: zw, east: ze, south, north }, spacing, lines);
    }
  }
  return {
    type: "FeatureCollection",
    features: lines.map((coordinates) => ({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates } })),
  };
}

function zoneLines(zone: number, b: Bounds, spacing: number, out: Line[]): void {
  const northern = b.south >= 0;
  const corners = [
    latLonToUtm(zone, { lat: b.south, lon: b.west }),
    latLonToUtm(zone, { lat: b.south, lon: b.east }),
    latLonToUtm(zone, { lat: b.north, lon: b.west }),
    latLonToUtm(zone, { lat: b.north, lon: b.east }),
    latLonToUtm(zone, { lat: (b.south + b.north) / 2, lon: (b.west + b.east) / 2 }),
  ];
  const minE = Math.min(...corners.map((c) => c.easting));
  const maxE = Math.max(...corners.map((c) => c.easting));
  const minN = Math.min(...corners.map((c) => c.northing));
  const maxN = Math.max(...corners.map((c) => c.northing));
  if ((maxE - minE) / spacing > 150 || (maxN - minN) / spacing > 150) return;
  const steps = 16;
  const inside = (p: { lat: number; lon: number }) => p.lon >= b.west - 1e-9 && p.lon <= b.east + 1e-9;
  const push = (points: { lat: number; lon: number }[]) => {
    const kept = points.filter(inside).map((p): [number, number] => [p.lon, p.lat]);
    if (kept.length > 1) out.push(kept);
  };
  for (let e = Math.ceil(minE / spacing) * spacing; e <= maxE; e += spacing) {
    const pts = [];
    for (let i = 0; i <= steps; i++) pts.push(utmToLatLon(zone, e, minN + ((maxN - minN) * i) / steps, northern));
    push(pts);
  }
  for (let n = Math.ceil(minN / spacing) * spacing; n <= maxN; n += spacing) {
    const pts = [];
    for (let i = 0; i <= steps; i++) pts.push(utmToLatLon(zone, minE + ((maxE - minE) * i) / steps, n, northern));
    push(pts);
  }
}
