// Tourniquet warnings at 1 h and 2 h, for every casualty on the device. They are computed from
// the stored times each second, so they hold across reloads and a locked phone; a notification
// and a vibration are added where the browser allows, never relied on.
//
// They are shown as a bar fixed to the bottom of the screen, like a phone's ongoing call: one
// line, which casualty, which limb, how long, a tap to open that card. It stays on every view
// (the alarm is about a limb, usually another casualty's) but takes none of the screen the medic
// works on: the page keeps room of the bar's height at its end, so nothing is hidden under it.
// Several alarms are summed up on one line and listed with a tap. There is no "dismiss" or
// "snooze": the bar is quiet (it vibrates and notifies once per threshold) and small, and the
// only honest way to clear it is to record the tourniquet's removal or conversion; a silenced
// alarm on a shared phone would hide a limb's clock from the next medic too.
import { useEffect, useState } from "preact/hooks";
import { clock, displayName, fold } from "../card";
import type { Card, Tourniquet } from "../card";
import { db } from "../db";
import { useLive, useNow } from "../hooks";
import { hoursMinutes, label, t } from "../i18n";

function announced(key: string): boolean {
  const seen = JSON.parse(localStorage.getItem("gh-tq-alerts") ?? "[]") as string[];
  if (seen.includes(key)) return true;
  localStorage.setItem("gh-tq-alerts", JSON.stringify([...seen.slice(-200), key]));
  return false;
}

interface Alert {
  card: Card;
  tq: Tourniquet;
  alert: "warning" | "critical";
  elapsed: number;
}

/** The page keeps room for the bar at its end while this class is on the root element. */
const SHOWN_CLASS = "tq-bar-shown";

/** One alarm on one line: how long, which limb, whose (the name is cut short first). */
function AlarmLine({ a }: { a: Alert }) {
  return (
    <>
      <span class="sr-only">{t(a.alert === "critical" ? "tq.alarm_2h" : "tq.alarm_1h")}: </span>
      <span class="tq-bar-what" aria-hidden="true">
        {t("tqbar.short")}
      </span>
      <strong class="tq-bar-time">{hoursMinutes(a.elapsed)}</strong>
      <span class="tq-bar-limb">{label("limb", a.tq.limb ?? a.tq.category)}</span>
      <span class="tq-bar-name" translate={false}>
        {displayName(a.card)}
      </span>
    </>
  );
}

export function TourniquetAlarm() {
  const now = useNow(1000);
  const [listOpen, setListOpen] = useState(false);
  const cards = useLive(async () => {
    const applied = await db.events.where("kind").equals("tourniquet_applied").toArray();
    const ids = [...new Set(applied.map((e) => e.stream_id))];
    const cards = [];
    for (const id of ids) cards.push(fold(id, await db.events.where("[stream+stream_id]").equals(["casualty", id]).toArray()));
    return cards;
  }, []);
  const alerts: Alert[] = (cards ?? [])
    .flatMap((card) =>
      card.tourniquets
        .filter((tq) => !tq.ended_at)
        .map((tq) => ({ card, tq, ...clock(tq, now) }))
        .filter((a): a is Alert => a.alert !== "ok"),
    )
    .sort((a, b) => b.elapsed - a.elapsed);
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
  const shown = alerts.length > 0;
  useEffect(() => {
    document.documentElement.classList.toggle(SHOWN_CLASS, shown);
    return () => document.documentElement.classList.remove(SHOWN_CLASS);
  }, [shown]);
  useEffect(() => {
    if (alerts.length < 2) setListOpen(false);
  }, [alerts.length]);
  if (!shown) return null;
  const worst = alerts.some((a) => a.alert === "critical") ? "critical" : "warning";
  const close = () => setListOpen(false);
  return (
    <div class={`tq-bar alarm-${worst}`} role="alert" data-testid="tq-alarm">
      {alerts.length === 1 ? (
        <a href={`#/medic/${alerts[0].card.casualty_id}`} class="tq-bar-line">
          <AlarmLine a={alerts[0]} />
        </a>
      ) : (
        <>
          {listOpen && (
            <ul class="tq-bar-list" id="tq-alarm-list" data-testid="tq-alarm-list">
              {alerts.map((a) => (
                <li key={a.tq.application_id}>
                  <a href={`#/medic/${a.card.casualty_id}`} class={`tq-bar-line alarm-${a.alert}`} onClick={close}>
                    <AlarmLine a={a} />
                  </a>
                </li>
              ))}
            </ul>
          )}
          <button
            type="button"
            class="tq-bar-line"
            data-testid="tq-alarm-summary"
            aria-expanded={listOpen ? "true" : "false"}
            aria-controls={listOpen ? "tq-alarm-list" : undefined}
            onClick={() => setListOpen(!listOpen)}
          >
            <span class="tq-bar-count">{t("tqbar.several", { n: alerts.length })}</span>
            {/* The longest on; cut short before the count is. */}
            <strong class="tq-bar-time tq-bar-name">{hoursMinutes(alerts[0].elapsed)}</strong>
            <span aria-hidden="true">{listOpen ? "▾" : "▴"}</span>
          </button>
        </>
      )}
    </div>
  );
}
