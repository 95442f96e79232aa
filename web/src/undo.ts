// Actions that stop a clock or void an entry wait a few seconds before they are written, with an
// Undo: one stray tap must not clear a tourniquet alarm. The event is made (and timed) when the
// medic confirms; it is written when the time is up, at once if the page is hidden or closed,
// so a pocketed phone loses nothing.
import { useEffect, useState } from "preact/hooks";
import type { Wire } from "./db";
import { record } from "./sync";

export const UNDO_MS = 5000;

export interface Pending {
  id: string;
  event: Wire;
  text: string; // what the Undo bar says will happen
  due: number;
}

const pending = new Map<string, { item: Pending; timer: ReturnType<typeof setTimeout> }>();
const listeners = new Set<(items: Pending[]) => void>();

function changed(): void {
  const items = [...pending.values()].map((p) => p.item);
  for (const fn of listeners) fn(items);
}

async function write(id: string): Promise<void> {
  const entry = pending.get(id);
  if (!entry) return;
  clearTimeout(entry.timer);
  pending.delete(id);
  changed();
  await record(entry.item.event);
}

/** Write `event` in a few seconds unless undone; `text` says what it does. */
export function defer(event: Wire, text: string): void {
  const item: Pending = { id: event.event_id, event, text, due: Date.now() + UNDO_MS };
  pending.set(item.id, { item, timer: setTimeout(() => void write(item.id), UNDO_MS) });
  changed();
}

/** Forget a deferred event: nothing is written. */
export function undo(id: string): void {
  const entry = pending.get(id);
  if (!entry) return;
  clearTimeout(entry.timer);
  pending.delete(id);
  changed();
}

/** Write every deferred event now (the page is being hidden or closed). */
export function flush(): void {
  for (const id of [...pending.keys()]) void write(id);
}

/** Is an event of `kind` about `target` waiting to be written? */
export function waiting(match: (event: Wire) => boolean): boolean {
  return [...pending.values()].some((p) => match(p.item.event));
}

/** The deferred events, live. */
export function usePending(): Pending[] {
  const [items, setItems] = useState<Pending[]>([...pending.values()].map((p) => p.item));
  useEffect(() => {
    listeners.add(setItems);
    return () => void listeners.delete(setItems);
  }, []);
  return items;
}

if (typeof document !== "undefined") {
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && flush());
  window.addEventListener("pagehide", flush);
}
