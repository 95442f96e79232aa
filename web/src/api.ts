// The server's API, called with the device's token. Every call may fail: offline is normal.
import { device, type Session, switchStore } from "./db";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly field: string | null,
    message: string,
  ) {
    super(message);
  }
}

let current: Session | null = null;
const listeners = new Set<(s: Session | null) => void>();
const lostListeners = new Set<() => void>();

/** Be told when the server says this phone was reported lost (`code: device_lost`). */
export function onDeviceLost(fn: () => void): () => void {
  lostListeners.add(fn);
  return () => lostListeners.delete(fn);
}

export function session(): Session | null {
  return current;
}

export function onSession(fn: (s: Session | null) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function loadSession(): Promise<Session | null> {
  current = (await device.session.get("current")) ?? null;
  await switchStore(current?.username ?? null);
  return current;
}

async function setSession(s: Session | null): Promise<void> {
  if (s) await device.session.put(s);
  else await device.session.delete("current");
  // The user's own store before anyone hears of the change: nothing reads another user's.
  await switchStore(s?.username ?? null);
  current = s;
  for (const fn of listeners) fn(s);
}

async function detail(response: Response): Promise<ApiError> {
  let field: string | null = null;
  let reason = response.statusText;
  try {
    const body = await response.json();
    const first = Array.isArray(body.detail) ? body.detail[0] : null;
    // The token was revoked because the phone was reported lost: it must wipe itself.
    if (response.status === 401 && first?.code === "device_lost") for (const fn of lostListeners) fn();
    if (first) {
      field = first.field ?? (Array.isArray(first.loc) ? first.loc.join(".") : null);
      reason = first.reason ?? first.msg ?? reason;
    } else if (typeof body.detail === "string") reason = body.detail;
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(response.status, field, reason);
}

/** Call the API with the session's token; throw ApiError on an HTTP error, TypeError offline. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (current && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${current.token}`);
  if (init.body && typeof init.body === "string") headers.set("Content-Type", "application/json");
  const response = await fetch(path, { ...init, headers, cache: "no-store" });
  if (!response.ok) throw await detail(response);
  return (await response.json()) as T;
}

function deviceName(role: string): string {
  const stored = localStorage.getItem("gh-device");
  if (stored) return stored;
  const made = `web-${role}-${crypto.randomUUID().slice(0, 8)}`;
  localStorage.setItem("gh-device", made);
  return made;
}

interface TokenPublic {
  access_token: string;
  expires_at: string;
  username: string;
  role: string;
  unit_id: string;
}

/** Log in with a password, then get a long-lived device token with the same password. */
export async function login(username: string, password: string): Promise<Session> {
  const device = deviceName(username);
  const form = new URLSearchParams({ username, password, client_id: device });
  const response = await fetch("/api/v1/auth/token", { method: "POST", body: form });
  if (!response.ok) throw await detail(response);
  const shift = (await response.json()) as TokenPublic;
  const deviceResponse = await fetch("/api/v1/auth/device-token", {
    method: "POST",
    headers: { Authorization: `Bearer ${shift.access_token}`, "Content-Type": "application/json" },
    // The server issues a device token only against the password given now.
    body: JSON.stringify({ device, password }),
  });
  const token = deviceResponse.ok ? ((await deviceResponse.json()) as TokenPublic) : shift;
  const s: Session = {
    id: "current",
    token: token.access_token,
    expires_at: token.expires_at,
    username: token.username,
    role: token.role,
    unit_id: token.unit_id,
    device,
  };
  current = s;
  try {
    const me = await api<{ facility_id: string | null }>("/api/v1/auth/me");
    s.facility_id = me.facility_id;
    const units = await api<{ records: { unit_id: string; name: string }[] }>("/api/v1/units");
    s.unit_name = units.records.find((u) => u.unit_id === s.unit_id)?.name;
  } catch {
    /* the names are a comfort, not a need */
  }
  await setSession(s);
  return s;
}

/** Forget the token. Entries not yet sent stay in the user's store on the device and go out
 * when the same user logs in again; no other user sees or sends them. */
export async function logout(): Promise<void> {
  await setSession(null);
}
