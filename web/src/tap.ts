import { useEffect, useState } from "preact/hooks";

// One user action makes one entry, however fast it is tapped: a gloved thumb bounces and a
// stressed hand taps twice. Each action has a key; while it runs, and for a short quiet time
// after it, the same key does nothing. The quiet time is shorter than any two deliberate
// entries of the same thing take (a tourniquet, a drug, a request).
const QUIET_MS = 1000;
// A question appears where buttons were: its answers wait a moment longer than the quiet time.
const ARM_MS = QUIET_MS + 100;
const RUNNING = Number.POSITIVE_INFINITY;
const last = new Map<string, number>();

/** Run `action` unless the same `key` ran it less than a second ago or is still running it. */
export async function once(key: string, action: () => unknown): Promise<void> {
  const previous = last.get(key);
  if (previous !== undefined && (previous === RUNNING || Date.now() - previous < QUIET_MS)) return;
  last.set(key, RUNNING);
  try {
    await action();
  } finally {
    last.set(key, Date.now());
  }
}

/** Let `key` run again at once (the user answered a question the action asked). */
export function release(key: string): void {
  if (last.get(key) !== RUNNING) last.delete(key);
}

/** False for a moment after `question` appears, then true: the answer needs a fresh tap. */
export function useArmed(question: unknown): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    setArmed(false);
    if (question === null || question === undefined) return;
    const timer = setTimeout(() => setArmed(true), ARM_MS);
    return () => clearTimeout(timer);
  }, [question]);
  return armed;
}
