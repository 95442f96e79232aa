// What a crew must know about its route: the threat areas its legs cross and when each is
// active. The route is the straight legs from the vehicle to each pickup in order, then to the
// facility (the planner's own travel model draws no roads either); a leg crosses an area when
// a point along it, every 100 m, lies inside the circle or the polygon.
import type { LatLon } from "./geo";

export interface ThreatRecord {
  id: string;
  threat_kind?: string;
  centre?: LatLon | null;
  radius_m?: number | null;
  polygon?: LatLon[] | null;
  starts_at?: string | null;
  ends_at?: string | null;
  withdrawn_at?: string | null;
  notes?: string | null;
  /** The vehicle kinds the area stops (null or absent: every kind; empty: none, risk only). */
  stops?: string[] | null;
  /** The chance per pass that a casualty aboard does not come through (0-1). */
  risk?: number | null;
}

/** Whether the area stops a vehicle of `vehicleKind` (as the server's planner reads it). */
export function closesTo(threat: ThreatRecord, vehicleKind: string): boolean {
  return !Array.isArray(threat.stops) || threat.stops.includes(vehicleKind);
}

const EARTH_M = 6_371_000;
const STEP_M = 100;

/** Metres between two places (haversine). */
export function metres(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function inside(p: LatLon, polygon: LatLon[]): boolean {
  // Ray casting on longitude/latitude: areas are small enough for the plane.
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) hit = !hit;
  }
  return hit;
}

function covers(threat: ThreatRecord, p: LatLon): boolean {
  if (threat.centre && typeof threat.radius_m === "number") return metres(threat.centre, p) <= threat.radius_m;
  if (threat.polygon && threat.polygon.length >= 3) return inside(p, threat.polygon);
  return false;
}

/** The points along a route, one every 100 m (each leg's ends included). */
export function along(route: LatLon[]): LatLon[] {
  const points: LatLon[] = [];
  for (let i = 0; i + 1 < route.length; i++) {
    const [a, b] = [route[i], route[i + 1]];
    const steps = Math.max(1, Math.ceil(metres(a, b) / STEP_M));
    for (let s = 0; s <= steps; s++) points.push({ lat: a.lat + ((b.lat - a.lat) * s) / steps, lon: a.lon + ((b.lon - a.lon) * s) / steps });
  }
  if (route.length === 1) points.push(route[0]);
  return points;
}

/** The threat areas the route crosses that are not withdrawn and not over at `now`, by start. */
export function threatsOnRoute(route: LatLon[], threats: ThreatRecord[], now: number): ThreatRecord[] {
  const points = along(route);
  return threats
    .filter((th) => !th.withdrawn_at && !(th.ends_at && Date.parse(th.ends_at) <= now))
    .filter((th) => points.some((p) => covers(th, p)))
    .sort((a, b) => String(a.starts_at ?? "").localeCompare(String(b.starts_at ?? "")));
}
