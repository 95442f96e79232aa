// The phone's lock: the user's store opens with their PIN (or password) and closes after a few
// idle minutes, on "Lock", on a reload and on logout. While it is locked nothing in the store
// can be read or written: entries not yet sent wait in the outbox and go after unlock, and the
// tourniquet alarms run from a clear table of start times that names no one.
//
// States: "none" nobody is logged in; "setup" choose a PIN (first login on this device, or after
// the password replaced a PIN given wrong too often); "locked" the PIN pad; "password" too many
// wrong PINs, only the password opens the store; "unlocked".
//
// A phone reported lost (its token revoked with `lost`) is told so by the server at its next
// contact, locked or not (`code: device_lost`), and deletes every store and setting it holds.
import { api, logout, onDeviceLost, onSession, session } from "../api";
import { adoptEarlierEntries, db, openedStores, type StoredEvent } from "../db";
import { closeStore, openStore, clearLeftovers, leftoversSealed, sealAhead } from "./seal";
import {
  createVault,
  openWithPassword,
  openWithPin,
  PIN_TRIES,
  type Sealed,
  type Vault,
  withNewPassword,
  withNewPin,
  WrongSecretError,
} from "./vault";

export type LockState = "none" | "setup" | "locked" | "password" | "unlocked";

/** Idle time before the phone locks, in seconds (`gh-lock-idle-seconds` on this device). */
export const DEFAULT_IDLE_SECONDS = 300;
/** How often the app asks the server whether this phone was reported lost. */
const CONTACT_SECONDS = 30;

let state: LockState = "none";
// The password of a login, held only until the PIN is chosen (it wraps the key's second copy).
let password: string | null = null;
// A login's password that no longer opens the store (changed on the server since): held until
// the PIN opens it, then the key's second copy is wrapped with it.
let changedPassword: string | null = null;
const listeners = new Set<(s: LockState) => void>();

export function lockState(): LockState {
  return state;
}

export function onLockState(fn: (s: LockState) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setState(next: LockState): void {
  state = next;
  for (const fn of listeners) fn(next);
}

async function readVault(): Promise<Vault | null> {
  const row = await db.meta.get("vault");
  return row ? (row.value as Vault) : null;
}

async function writeVault(vault: Vault): Promise<void> {
  await db.meta.put({ key: "vault", value: vault });
}

/** Open the store with its key: decrypt it into memory, seal what an earlier version left in
 * clear, and take in the user's entries from before stores were per user. */
async function open(key: CryptoKey): Promise<void> {
  const rows = (await db.events.toArray()) as (StoredEvent & { sealed?: Sealed })[];
  await openStore(key, rows);
  const clear = rows.filter((r) => !r.sealed && r.event);
  if (clear.length > 0) {
    await sealAhead(clear);
    await db.events.bulkPut(clear);
  }
  const user = session();
  if (user) await adoptEarlierEntries(user.username);
  lastActivity = Date.now();
  setState("unlocked");
}

/** After a password login: open the store with the password, or ask for a PIN to make one. */
export async function afterLogin(username: string, given: string): Promise<void> {
  if (session()?.username !== username) return;
  const vault = await readVault();
  if (!vault) {
    password = given;
    setState("setup");
    return;
  }
  try {
    const key = await openWithPassword(vault, given);
    if (!vault.pinWrapped) {
      password = given;
      setState("setup");
      return;
    }
    if (vault.failures) await writeVault({ ...vault, failures: 0 });
    await open(key);
  } catch (error) {
    // The password changed since this phone's store was made: its PIN still opens it, and
    // the new password then wraps the key's second copy.
    if (!(error instanceof WrongSecretError)) throw error;
    changedPassword = vault.pinWrapped ? given : null;
    setState(vault.pinWrapped ? "locked" : "password");
  }
}

/** Choose the PIN (state "setup"): make the store's key, or wrap it anew after the password. */
export async function choosePin(pin: string): Promise<void> {
  if (state !== "setup" || password === null) throw new Error("no PIN to choose now");
  const vault = await readVault();
  if (!vault) {
    const made = await createVault(pin, password);
    await writeVault(made.vault);
    password = null;
    await open(made.key);
    return;
  }
  const renewed = await withNewPin(vault, password, pin);
  await writeVault(renewed);
  password = null;
  await open(await openWithPin(renewed, pin));
}

/** Unlock with the PIN. Returns the tries left after a wrong one (0: the password is asked). */
export async function unlockWithPin(pin: string): Promise<number | "unlocked"> {
  const vault = await readVault();
  if (!vault) throw new Error("this store has no PIN");
  try {
    const key = await openWithPin(vault, pin);
    let kept = vault.failures ? { ...vault, failures: 0 } : vault;
    if (changedPassword !== null) kept = await withNewPassword(kept, pin, changedPassword);
    if (kept !== vault) await writeVault(kept);
    changedPassword = null;
    await open(key);
    return "unlocked";
  } catch (error) {
    if (!(error instanceof WrongSecretError)) throw error;
    const failures = vault.failures + 1;
    if (failures >= PIN_TRIES) {
      // The PIN's copy of the key is deleted: guessing on the pad ends here.
      await writeVault({ ...vault, failures, pinWrapped: null });
      setState("password");
      return 0;
    }
    await writeVault({ ...vault, failures });
    return PIN_TRIES - failures;
  }
}

/** Open with the password after too many wrong PINs, then choose a new PIN. */
export async function unlockWithPassword(given: string): Promise<void> {
  const vault = await readVault();
  if (!vault) throw new Error("this store has no PIN");
  await openWithPassword(vault, given); // throws WrongSecretError
  password = given;
  setState("setup");
}

/** Lock now: drop the key and everything decrypted. */
export function lock(): void {
  if (state !== "unlocked") return;
  closeStore();
  setState("locked");
}

let lastActivity = Date.now();

/** Seal the rows found in clear while the store is open: each is read again and written back
 * in one transaction, so a change made meanwhile (the outbox marking it sent) is kept. */
async function sealLeftovers(): Promise<void> {
  if (state !== "unlocked") return;
  const ids = clearLeftovers();
  if (ids.length === 0) return;
  const rows = (await db.events.bulkGet(ids)).filter((r): r is StoredEvent => !!r?.event);
  await sealAhead(rows);
  await db.transaction("rw", db.events, async () => {
    for (const id of ids) {
      const row = await db.events.get(id);
      if (row?.event) await db.events.put(row);
    }
  });
  leftoversSealed(ids);
}

/** The idle time before locking, in ms (configurable per device: `gh-lock-idle-seconds`). */
export function idleMs(): number {
  const stored = Number(localStorage.getItem("gh-lock-idle-seconds"));
  return (Number.isFinite(stored) && stored > 0 ? stored : DEFAULT_IDLE_SECONDS) * 1000;
}

/** Delete everything this phone holds of Golden Hour: every store, the session, the settings
 * that name anything; then start again at the login. Language and night mode stay. */
export async function wipe(): Promise<void> {
  closeStore();
  for (const store of openedStores()) store.close();
  const names = (await indexedDB.databases()).map((d) => d.name ?? "").filter((n) => n.startsWith("goldenhour"));
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = request.onerror = request.onblocked = () => resolve();
        }),
    ),
  );
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith("gh-") && key !== "gh-lang" && key !== "gh-night") localStorage.removeItem(key);
  }
  localStorage.setItem("gh-wiped", "1");
  location.replace("/");
}

async function contact(): Promise<void> {
  if (!session()) return;
  try {
    await api("/api/v1/auth/me");
  } catch {
    /* offline, or the token expired: nothing to do here (a lost phone is handled by the hook) */
  }
}

/** Start the lock: the state for a session found at start, idle locking, lost-phone checks. */
export async function startLock(): Promise<void> {
  onDeviceLost(() => void wipe());
  onSession((s) => {
    if (s === null) {
      closeStore();
      password = null;
      changedPassword = null;
      setState("none");
    }
  });
  if (session()) {
    // A session from before the lock: its store has no PIN yet and no password is at hand.
    if (!(await readVault())) await logout();
    else setState("locked");
  }
  for (const kind of ["pointerdown", "keydown", "touchstart", "wheel", "input"]) {
    window.addEventListener(kind, () => (lastActivity = Date.now()), { capture: true, passive: true });
  }
  // Timers are throttled in a hidden page: the check runs again when it is shown.
  const check = () => {
    if (state === "unlocked" && Date.now() - lastActivity >= idleMs()) lock();
  };
  setInterval(check, 1000);
  setInterval(() => void sealLeftovers().catch(() => undefined), 2000);
  document.addEventListener("visibilitychange", check);
  window.addEventListener("online", () => void contact());
  void contact();
  setInterval(() => void contact(), CONTACT_SECONDS * 1000);
}
