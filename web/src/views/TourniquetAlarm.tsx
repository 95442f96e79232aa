// Tourniquet warnings at 1 h and 2 h, for every casualty on the device. They are computed from
// the stored times each second, so they hold across reloads and a locked phone; a notification
// and a vibration are added where the browser allows, never relied on.
import { useEffect } from "preact/hooks";
import { clock, displayName, fold } from "../card";
import { db } from "../db";
import { useLive, useNow } from "../hooks";
import { hoursMinutes, label, t } from "../i18n";

function announced(key: string): boolean {
  const seen = JSON.parse(localStorage.getItem("gh-tq-alerts") ?? "[]") as string[];
  if (seen.includes(key)) return true;
  localStorage.setItem("gh-tq-alerts", JSON.stringify([...seen.slice(-200), key]));
  return false;
}

export function TourniquetAlarm() {
  const now = useNow(1000);
  const cards = useLive(async () => {
    const applied = await db.events.where("kind").equals("tourniquet_applied").toArray();
    const ids = [...new Set(applied.map((e) => e.stream_id))];
    const cards = [];
    for (const id of ids) cards.push(fold(id, await db.events.where("[stream+stream_id]").equals(["casualty", id]).toArray()));
    return cards;
  }, []);
  const alerts = (cards ?? []).flatMap((card) =>
    card.tourniquets
      .filter((tq) => !tq.ended_at)
      .map((tq) => ({ card, tq, ...clock(tq, now) }))
      .filter((a) => a.alert !== "ok"),
  );
  useEffect(() => {
    for (const a of alerts) {
      if (announced(`${a.tq.application_id}:${a.alert}`)) continue;
      navigator.vibrate?.([400, 200, 400]);
      if ("Notification" in window && Notification.permission === "granted") {
        void navigator.serviceWorker?.ready.then((r) =>
          r.showNotification(t(a.alert === "critical" ? "tq.alarm_2h" : "tq.alarm_1h"), {
            body: `${displayName(a.card)} · ${label("limb", a.tq.limb ?? a.tq.category)}`,
            tag: a.tq.application_id,
          }),
        );
      }
    }
  }, [alerts.map((a) => `${a.tq.application_id}:${a.alert}`).join()]);
  if (alerts.length === 0) return null;
  return (
    <div class="alarm" role="alert" data-testid="tq-alarm">
      {alerts.map((a) => (
        <a key={a.tq.application_id} href={`#/medic/${a.card.casualty_id}`} class={`alarm-${a.alert}`}>
          {t(a.alert === "critical" ? "tq.alarm_2h" : "tq.alarm_1h")}: <span translate={false}>{displayName(a.card)}</span>{" "}
          · {label("limb", a.tq.limb ?? a.tq.category)} · {hoursMinutes(a.elapsed)}
        </a>
      ))}
    </div>
  );
}
