// Small hooks: live queries of the device's store, and a clock that ticks.
import { liveQuery } from "dexie";
import { useEffect, useState } from "preact/hooks";
import { type Online, onlineState, onOnline } from "./sync";

/** Re-run `query` whenever the tables it read change; undefined until the first answer. */
export function useLive<T>(query: () => Promise<T>, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: () => undefined });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}

/** Date.now(), refreshed every `ms`: clocks are computed from stored times, never counted. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    const wake = () => setNow(Date.now());
    document.addEventListener("visibilitychange", wake);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", wake);
    };
  }, [ms]);
  return now;
}

/** Whether the device is online, offline or must log in again, live. */
export function useOnline(): Online {
  const [online, setOnline] = useState<Online>(onlineState());
  useEffect(() => {
    // The state may have changed between the first render and this subscription (a login
    // finishing while the view mounts): read it again, or the status sticks until a reload.
    setOnline(onlineState());
    return onOnline(setOnline);
  }, []);
  return online;
}
