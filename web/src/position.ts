// The phone's position, watched while the medic view is open; typed MGRS when there is no GPS.
import type { LatLon } from "./geo";

export interface Fix extends LatLon {
  accuracy: number;
  at: number;
}

let last: Fix | null = null;
let watching = false;
const listeners = new Set<(f: Fix | null) => void>();

export function lastFix(): Fix | null {
  return last;
}

export function watchPosition(fn: (f: Fix | null) => void): () => void {
  listeners.add(fn);
  if (!watching && "geolocation" in navigator) {
    watching = true;
    navigator.geolocation.watchPosition(
      (p) => {
        last = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy, at: p.timestamp };
        for (const l of listeners) l(last);
      },
      () => undefined,
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 60_000 },
    );
  }
  return () => listeners.delete(fn);
}
