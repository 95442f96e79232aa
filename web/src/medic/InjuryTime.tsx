// The time of injury apart from the time the card was opened (DD 1380 DATE/TIME; Form 100
// "Поранений ... год. ... хв."): the medic often learns it later, and evacuation limits count
// from it. Each entry is an `injury_time_recorded` event, correctable like any other.
import { useState } from "preact/hooks";
import type { Card } from "../card";
import { emit } from "../events";
import { useNow } from "../hooks";
import { hoursMinutes, t } from "../i18n";
import { once } from "../tap";
import { fromTimeInput, localDateTime } from "../time";
import { EntryActions } from "./Changes";

export function InjuryTime({ card }: { card: Card }) {
  const [time, setTime] = useState("");
  const [bad, setBad] = useState(false);
  const now = useNow();
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
    void once(`injury-time:${card.casualty_id}`, () => emit("injury_time_recorded", { casualty_id: card.casualty_id, injured_at: injuredAt }));
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
      <form class="row" onSubmit={save}>
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
