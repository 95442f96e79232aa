// A big button per limb, then where on that limb, starts a tourniquet clock; the clock is
// computed from the stored time.
import { useEffect, useRef, useState } from "preact/hooks";
import { type Card, clock } from "../card";
import type { Wire } from "../db";
import { emit, make } from "../events";
import { useNow } from "../hooks";
import { hoursMinutes, label, t } from "../i18n";
import { once, release, useArmed } from "../tap";
import { dtg, fromTimeInput, localTime } from "../time";
import { defer, usePending } from "../undo";
import { EntryActions } from "./Changes";
import { LOCATION_TEXT, positionsOf } from "./lists";

const LIMBS = ["left_arm", "right_arm", "left_leg", "right_leg"];
export function Tourniquets({ card, entries }: { card: Card; entries?: Map<string, Wire> }) {
  const now = useNow();
  const [time, setTime] = useState("");
  // The limb tapped, whose positions are offered next.
  const [choosing, setChoosing] = useState<string | null>(null);
  // A limb that already has a tourniquet on: a second one is sometimes right, so it is asked.
  const [second, setSecond] = useState<{ limb: string; where: string } | null>(null);
  const running = card.tourniquets.filter((x) => !x.ended_at);
  const record = (limb: string | null, where: string | null) =>
    emit(
      "tourniquet_applied",
      {
        casualty_id: card.casualty_id,
        limb,
        category: limb ? "extremity" : "junctional",
        location: where ? LOCATION_TEXT[where] : null,
        tourniquet_type: "CAT",
      },
      time ? fromTimeInput(time) : undefined,
    );
  // One key per limb: a bounce can only repeat the tap; another limb takes two fresh taps.
  const key = (limb: string | null) => `tq:${card.casualty_id}:${limb ?? "junctional"}`;
  const apply = (limb: string | null, where: string | null) =>
    once(key(limb), () => {
      setChoosing(null);
      if (limb && running.some((r) => r.limb === limb)) setSecond({ limb, where: where ?? "high_and_tight" });
      else return record(limb, where);
    });
  const confirmSecond = (limb: string, where: string) =>
    once(key(limb), async () => {
      await record(limb, where);
      setSecond(null);
    });
  const choose = (limb: string) => {
    setSecond(null);
    setChoosing(limb);
  };
  // The positions appear below the limbs: move the focus there, for the keyboard and screen readers.
  const firstPosition = useRef<HTMLButtonElement>(null);
  useEffect(() => firstPosition.current?.focus(), [choosing]);
  const already = second ? running.find((r) => r.limb === second.limb) : undefined;
  // The question appears where the limb buttons were: a bounced tap must not answer it.
  const armed = useArmed(second);
  // Stopping a clock clears its alarm: asked first, then written after a few seconds to undo.
  const [ending, setEnding] = useState<{ id: string; limb: string; kind: "removed" | "converted" } | null>(null);
  const endArmed = useArmed(ending?.id ?? null);
  const pending = usePending();
  const endConfirmed = () =>
    once(`tq-end:${ending!.id}`, () => {
      const event = make(`tourniquet_${ending!.kind}`, { casualty_id: card.casualty_id, application_id: ending!.id });
      defer(event, t(`tq.ending_${ending!.kind}`, { limb: ending!.limb }));
      setEnding(null);
    });
  return (
    <section class="panel tourniquets" aria-labelledby="tq-h">
      <h3 id="tq-h">{t("tq.title")}</h3>
      <div class="clocks">
        {card.tourniquets.map((tq) => {
          const c = clock(tq, now);
          return (
            <div key={tq.application_id} class={`clock ${tq.ended_at ? "ended" : c.alert}`} data-testid="tq-clock">
              <div class="clock-limb">
                {label("limb", tq.limb ?? tq.category)}
                {tq.location && <span> · {label("tq_location", tq.location)}</span>}
              </div>
              <div class="clock-main">
                <span class="clock-time" data-testid="tq-elapsed">
                  {hoursMinutes(c.elapsed)}
                </span>
                <span class="clock-on" data-testid="tq-on-at">
                  <small>{t("tq.on_at_label")}</small>
                  <strong>{localTime(tq.applied_at)}</strong>
                </span>
              </div>
              <div class="clock-at">
                <span translate={false}>{dtg(tq.applied_at)}</span>
                {tq.ended_at && <> · {t(tq.ended === "removed" ? "tq.removed_at" : "tq.converted_at", { time: localTime(tq.ended_at) })}</>}
              </div>
              {c.alert !== "ok" && !tq.ended_at && (
                <div class="clock-alert">{t(c.alert === "critical" ? "tq.alarm_2h" : "tq.alarm_1h")}</div>
              )}
              {!tq.ended_at && ending?.id === tq.application_id && (
                <div class="confirm" role="alertdialog" data-testid="tq-confirm-end">
                  <p>{t(`tq.end_confirm_${ending.kind}`, { limb: ending.limb })}</p>
                  <div class="row">
                    <button type="button" class="primary" data-testid="tq-end-yes" disabled={!endArmed} onClick={() => void endConfirmed()}>
                      {t(`tq.end_yes_${ending.kind}`)}
                    </button>
                    <button type="button" data-testid="tq-end-cancel" onClick={() => setEnding(null)}>
                      {t("common.cancel")}
                    </button>
                  </div>
                </div>
              )}
              {!tq.ended_at && ending?.id !== tq.application_id && !pending.some((p) => p.event.application_id === tq.application_id) && (
                <div class="row">
                  {(["converted", "removed"] as const).map((kind) => (
                    <button
                      key={kind}
                      type="button"
                      data-testid={`tq-${kind}`}
                      onClick={() => setEnding({ id: tq.application_id, limb: label("limb", tq.limb ?? tq.category), kind })}
                    >
                      {t(kind === "removed" ? "tq.remove" : "tq.convert")}
                    </button>
                  ))}
                </div>
              )}
              {entries?.get(tq.application_id) && <EntryActions card={card} entry={entries.get(tq.application_id)!} />}
            </div>
          );
        })}
      </div>
      <div class="limb-buttons">
        {LIMBS.map((limb) => {
          const on = running.some((r) => r.limb === limb);
          return (
            <button
              key={limb}
              type="button"
              class={`tq-button ${on ? "on" : ""}`}
              aria-pressed={choosing === limb}
              data-testid={`tq-${limb}`}
              onClick={() => choose(limb)}
            >
              {t("tq.apply_on", { limb: label("limb", limb) })}
            </button>
          );
        })}
        {/* Where on the limb, right under the limb just tapped (above the rarer junctional
            tourniquet and earlier time): the core path stays on the first screen with the alarm bar. */}
        {choosing && (
          <div class="tq-positions" role="group" aria-labelledby="tq-where-h" data-testid="tq-positions">
            <p id="tq-where-h">{t("tq.where_on", { limb: label("limb", choosing) })}</p>
            <div class="position-buttons">
              {positionsOf(choosing).map((where, i) => (
                <button key={where} ref={i === 0 ? firstPosition : undefined} type="button" class="tq-button" data-testid={`tq-at-${where}`} onClick={() => void apply(choosing, where)}>
                  {label("tq_location", LOCATION_TEXT[where])}
                </button>
              ))}
              <button type="button" data-testid="tq-where-cancel" onClick={() => setChoosing(null)}>
                {t("common.cancel")}
              </button>
            </div>
          </div>
        )}
        <button type="button" class="tq-button" data-testid="tq-junctional" onClick={() => void apply(null, null)}>
          {t("tq.junctional")}
        </button>
        {/* Beside the last button: the limb is the first tap; an earlier time is the exception. */}
        <label class="tq-time">
          {t("common.time_if_not_now")}
          <input type="time" value={time} onInput={(e) => setTime((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      {second && (
        <div class="confirm" role="alertdialog" aria-labelledby="tq-second-h" data-testid="tq-confirm-second">
          <p id="tq-second-h">
            {t("tq.second_confirm", { limb: label("limb", second.limb), time: already ? localTime(already.applied_at) : "" })}
          </p>
          <div class="row">
            <button
              type="button"
              class="primary"
              data-testid="tq-second-yes"
              disabled={!armed}
              onClick={() => void confirmSecond(second.limb, second.where)}
            >
              {t("tq.second_yes")}
            </button>
            <button
              type="button"
              data-testid="tq-second-cancel"
              onClick={() => {
                setSecond(null);
                release(key(second.limb));
              }}
            >
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
