// The time of injury apart from the time the card was opened (DD 1380 DATE/TIME; Form 100
// "Поранений ... год. ... хв."): the medic often learns it later, and evacuation limits count
// from it. Each entry is an `injury_time_recorded` event, correctable like any other.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Card } from "../card";
import type { StoredEvent } from "../db";
import { emit } from "../events";
import { useNow } from "../hooks";
import { hoursMinutes, t } from "../i18n";
import { once } from "../tap";
import { fromTimeInput, localDateTime, toTimeInput } from "../time";
import { discard } from "../sync";
import { EntryActions } from "./Changes";
import { onCorrect, problemsOf } from "./correct";

export function InjuryTime({ card }: { card: Card }) {
  const [time, setTime] = useState("");
  const [bad, setBad] = useState(false);
  const now = useNow();
  // A refused time being corrected: saved anew, it replaces the refused one on the device.
  const [draft, setDraft] = useState<StoredEvent | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(
    () =>
      onCorrect("injury_time_recorded", (row) => {
        const form = formRef.current;
        if (!form || row.event.casualty_id !== card.casualty_id) return;
        setTime(typeof row.event.injured_at === "string" ? toTimeInput(row.event.injured_at) : "");
        setBad(problemsOf(row).some((p) => p.field === "injured_at"));
        setDraft(row);
        form.scrollIntoView({ block: "start" });
        form.querySelector<HTMLInputElement>("input[name=injured_at]")?.focus({ preventScroll: true });
      }),
    [card.casualty_id],
  );
  const save = (e: Event) => {
    e.preventDefault();
    // An empty field is the second tap of a double tap after a save: nothing to do, no error.
    if (!time) return;
    if (!/^\d{2}:\d{2}$/.test(time)) {
      setBad(true);
      return;
    }
    setBad(false);
    // A time later than now is taken as yesterday's (fromTimeInput), never as the future.
    const injuredAt = fromTimeInput(time);
    const replaced = draft;
    void once(`injury-time:${card.casualty_id}`, async () => {
      await emit("injury_time_recorded", { casualty_id: card.casualty_id, injured_at: injuredAt });
      if (replaced) await discard(replaced.event_id);
    });
    setDraft(null);
    setTime("");
  };
  const shown = card.injury_times;
  return (
    <div class="injury-time" data-testid="injury-time">
      <h4>{t("injtime.title")}</h4>
      <p data-testid="injury-time-value">
        {card.injured_at
          ? t("injtime.shown", { time: localDateTime(card.injured_at), ago: hoursMinutes(now - Date.parse(card.injured_at)) })
          : t("injtime.none")}
      </p>
      <form ref={formRef} class="row" onSubmit={save} data-testid="injury-time-form">
        <label>
          {t("injtime.at")}
          <input type="time" name="injured_at" value={time} aria-invalid={bad} onInput={(e) => setTime((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary" data-testid="injury-time-save">
          {t("injtime.save")}
        </button>
      </form>
      {bad && (
        <p class="error" role="alert">
          {t("injtime.invalid")}
        </p>
      )}
      {shown.length > 0 && (
        <ul class="entries">
          {shown.map((e) => (
            <li key={e.event_id}>
              {localDateTime(String(e.injured_at))}
              <EntryActions card={card} entry={e} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
