// Tourniquet alarms on a locked phone. While the store is open, `ClockMirror` copies the start
// time of every tourniquet still on into a clear table (random ids, no name, no limb, no
// casualty id); while it is locked, `LockedAlarm` sounds the 1 h and 2 h warnings from that
// table alone and says who only after unlocking.
//
// A phone is shared: `DeviceAlarms` sounds the warnings of every other user's store on the
// device too, from their clear tables (no key needed), while another user works, is locked, or
// nobody is logged in, until the owner records the removal. It names the user whose casualty
// it is (the store's name already says it in clear) so they can be fetched, never the casualty
// nor the limb (see docs/security.md).
import { useEffect, useState } from "preact/hooks";
import { clock, fold } from "../card";
import { db, type DeviceClock, deviceClocks } from "../db";
import { useLive, useNow } from "../hooks";
import { hoursMinutes, t } from "../i18n";
import { localTime } from "../time";

/** Keep the clear table of tourniquet start times in step with the cards (store open only). */
export function ClockMirror() {
  const starts = useLive(async () => {
    const applied = await db.events.where("kind").equals("tourniquet_applied").toArray();
    const times: number[] = [];
    for (const id of new Set(applied.map((e) => e.stream_id))) {
      const card = fold(id, await db.events.where("[stream+stream_id]").equals(["casualty", id]).toArray());
      for (const tq of card.tourniquets) if (!tq.ended_at) times.push(Date.parse(tq.applied_at));
    }
    return times.sort((a, b) => a - b);
  }, []);
  const key = starts?.join() ?? null;
  useEffect(() => {
    if (!starts) return;
    void db.transaction("rw", db.clocks, async () => {
      await db.clocks.clear();
      await db.clocks.bulkPut(starts.map((applied_at) => ({ id: crypto.randomUUID(), applied_at })));
    });
  }, [key]);
  return null;
}

const sounded = new Set<string>();

/** The warnings of the tourniquets still on, from the clear table, naming no one. */
export function LockedAlarm() {
  const now = useNow(1000);
  const clocks = useLive(() => db.clocks.toArray(), []) ?? [];
  const alerts = clocks
    .map((c) => ({ ...c, ...clock({ applied_at: new Date(c.applied_at).toISOString() } as Parameters<typeof clock>[0], now) }))
    .filter((a) => a.alert !== "ok");
  useEffect(() => {
    for (const a of alerts) {
      const id = `${a.applied_at}:${a.alert}`;
      if (sounded.has(id)) continue;
      sounded.add(id);
      navigator.vibrate?.([400, 200, 400]);
    }
  }, [alerts.map((a) => `${a.applied_at}:${a.alert}`).join()]);
  if (alerts.length === 0) return null;
  return (
    <div class="alarm" role="alert" data-testid="tq-alarm-locked">
      {alerts.map((a) => (
        <p key={a.id} class={`alarm-locked alarm-${a.alert}`}>
          {t(a.alert === "critical" ? "tq.alarm_2h" : "tq.alarm_1h")}: {t("lock.tq_on", { time: hoursMinutes(a.elapsed), since: localTime(a.applied_at) })}
        </p>
      ))}
    </div>
  );
}

/** How often the other users' clear tables are read again (their alarms are due at 1 h and 2 h). */
const DEVICE_POLL_MS = 2000;

/** The warnings of the tourniquets still on in the other users' stores on this phone (every
 * user's, when nobody is logged in): whose casualty, how long on, no name, no limb. */
export function DeviceAlarms({ username }: { username: string | null }) {
  const now = useNow(1000);
  const [clocks, setClocks] = useState<DeviceClock[]>([]);
  useEffect(() => {
    let stopped = false;
    const read = () =>
      void deviceClocks(username)
        .then((found) => !stopped && setClocks(found))
        .catch(() => undefined);
    read();
    const timer = setInterval(read, DEVICE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [username]);
  const alerts = clocks
    .map((c) => ({ ...c, ...clock({ applied_at: new Date(c.applied_at).toISOString() } as Parameters<typeof clock>[0], now) }))
    .filter((a) => a.alert !== "ok");
  useEffect(() => {
    for (const a of alerts) {
      const id = `${a.username}:${a.applied_at}:${a.alert}`;
      if (sounded.has(id)) continue;
      sounded.add(id);
      navigator.vibrate?.([400, 200, 400]);
    }
  }, [alerts.map((a) => `${a.username}:${a.applied_at}:${a.alert}`).join()]);
  if (alerts.length === 0) return null;
  return (
    <div class="alarm" role="alert" data-testid="tq-alarm-device">
      {alerts.map((a) => (
        <p key={`${a.username}:${a.id}`} class={`alarm-locked alarm-${a.alert}`}>
          {t(a.alert === "critical" ? "tq.alarm_2h" : "tq.alarm_1h")}:{" "}
          {t("shared.tq_owner", { user: a.username, time: hoursMinutes(a.elapsed), since: localTime(a.applied_at) })}
        </p>
      ))}
    </div>
  );
}
