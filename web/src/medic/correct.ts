// A refused entry the medic chose to correct: the card's form for its kind opens pre-filled
// with what was refused, so only the wrong fields need typing again.
import type { StoredEvent } from "../db";

type Listener = (row: StoredEvent) => void;

const listeners = new Map<string, Set<Listener>>();

// The kinds whose card form takes a refused entry back (each subscribes with `onCorrect`).
const CORRECTABLE = new Set(["vitals_recorded", "identity_recorded", "fluid_given", "injury_recorded", "injury_time_recorded"]);

/** Whether a refused entry of this kind can be opened in its form to be corrected. */
export function canCorrect(kind: string): boolean {
  return CORRECTABLE.has(kind);
}

// The card's layout, told first which kind is being corrected, so that a folded section opens.
const revealers = new Set<(kind: string) => void>();

/** Open the form of the refused entry's kind, pre-filled with it. */
export function correct(row: StoredEvent): void {
  for (const reveal of revealers) reveal(row.kind);
  // A folded form is drawn open on the next render; it takes the entry once it can be seen.
  setTimeout(() => {
    for (const listener of listeners.get(row.kind) ?? []) listener(row);
  }, 0);
}

/** Be told the kind of each entry about to be corrected (to unfold its section); returns the unsubscribe. */
export function onReveal(reveal: (kind: string) => void): () => void {
  revealers.add(reveal);
  return () => void revealers.delete(reveal);
}

/** Let a form take refused entries of `kind`; returns the unsubscribe function (for useEffect). */
export function onCorrect(kind: string, listener: Listener): () => void {
  const set = listeners.get(kind) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(kind, set);
  return () => set.delete(listener);
}

/** The fields a refusal named, each with its reason (older answers named only the first). */
export function problemsOf(row: StoredEvent): { field: string; reason: string }[] {
  if (row.problems?.length) return row.problems;
  return row.field ? [{ field: row.field, reason: row.reason ?? "" }] : [];
}
