// Fluids and blood products (DD 1380 back, C: name, volume, route, time; Form 100 переливання
// крові, кровозамінників): a preset, its volume in one tap, IV or IO, and the time if not now.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Card } from "../card";
import type { StoredEvent, Wire } from "../db";
import { emit } from "../events";
import { label, t } from "../i18n";
import { once } from "../tap";
import { fromTimeInput, localTime, toTimeInput } from "../time";
import { discard } from "../sync";
import { EntryActions } from "./Changes";
import { onCorrect, problemsOf } from "./correct";
import { FLUIDS, FLUID_ROUTES, VOLUME_RANGE, volumeMl } from "./lists";

/** One line for a fluid entry: product, volume, route. */
export function fluidLine(f: Wire): string {
  return `${label("fluid", f.name)} ${f.volume_ml} ${label("unit", "ml")} ${label("route", f.route)}`;
}

export function Fluids({ card }: { card: Card }) {
  const [product, setProduct] = useState(0);
  const [volume, setVolume] = useState(String(FLUIDS[0].volume));
  const [route, setRoute] = useState("IV");
  const [time, setTime] = useState("");
  const [bad, setBad] = useState(false);
  // A refused entry being corrected: given anew, it replaces the refused one on the device.
  const [draft, setDraft] = useState<StoredEvent | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(
    () =>
      onCorrect("fluid_given", (row) => {
        const form = formRef.current;
        if (!form || row.event.casualty_id !== card.casualty_id) return;
        const index = FLUIDS.findIndex((f) => f.name === row.event.name);
        setProduct(index < 0 ? 0 : index);
        setVolume(row.event.volume_ml == null ? "" : String(row.event.volume_ml));
        if (typeof row.event.route === "string") setRoute(row.event.route);
        setTime(typeof row.event.occurred_at === "string" ? toTimeInput(row.event.occurred_at) : "");
        setBad(problemsOf(row).some((p) => p.field === "volume_ml"));
        setDraft(row);
        form.scrollIntoView({ block: "start" });
        form.querySelector<HTMLInputElement>("input[name=volume_ml]")?.focus({ preventScroll: true });
      }),
    [card.casualty_id],
  );
  const choose = (index: number) => {
    setProduct(index);
    setVolume(String(FLUIDS[index].volume));
    setBad(false);
  };
  const give = (e: Event) => {
    e.preventDefault();
    const amount = volumeMl(volume);
    setBad(amount === null);
    if (amount === null) return;
    const p = FLUIDS[product];
    const replaced = draft;
    void once(`fluid:${card.casualty_id}`, async () => {
      await emit(
        "fluid_given",
        { casualty_id: card.casualty_id, fluid_kind: p.kind, name: p.name, volume_ml: amount, route },
        time ? fromTimeInput(time) : undefined,
      );
      if (replaced) await discard(replaced.event_id);
    });
    setDraft(null);
    setTime("");
  };
  return (
    <div class="fluids">
    <form ref={formRef} class="fluid-form" onSubmit={give} aria-labelledby="fluid-h" data-testid="fluid-form">
      <h4 id="fluid-h">{t("fluid.title")}</h4>
      <fieldset>
        <legend>{t("fluid.product")}</legend>
        <div class="chips">
          {FLUIDS.map((f, i) => (
            <button key={f.name} type="button" class="chip" aria-pressed={product === i} data-fluid={f.name} onClick={() => choose(i)}>
              {label("fluid", f.name)}
            </button>
          ))}
        </div>
      </fieldset>
      <label>
        {t("fluid.volume")}
        <input
          name="volume_ml"
          inputMode="decimal"
          value={volume}
          aria-invalid={bad}
          aria-describedby={bad ? "fluid-error" : undefined}
          onInput={(e) => setVolume((e.target as HTMLInputElement).value)}
        />
      </label>
      <div class="chips">
        {[250, 450, 500, 1000].map((ml) => (
          <button key={ml} type="button" class="chip" aria-pressed={volume === String(ml)} onClick={() => (setVolume(String(ml)), setBad(false))}>
            {ml} {label("unit", "ml")}
          </button>
        ))}
      </div>
      {bad && (
        <p class="error" id="fluid-error" role="alert" data-testid="fluid-error">
          {t("fluid.volume_invalid", { min: VOLUME_RANGE[0], max: VOLUME_RANGE[1] })}
        </p>
      )}
      <fieldset>
        <legend>{t("fluid.route")}</legend>
        {FLUID_ROUTES.map((r) => (
          <button key={r} type="button" data-route={r} aria-pressed={route === r} onClick={() => setRoute(r)}>
            {label("route", r)}
          </button>
        ))}
      </fieldset>
      <label>
        {t("common.time_if_not_now")}
        <input type="time" value={time} onInput={(e) => setTime((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="primary" data-testid="fluid-give">
        {t("fluid.give")}
      </button>
    </form>
      {/* Outside the form: each entry's correction is a form of its own. */}
      <ul class="entries">
        {card.fluids.map((f) => (
          <li key={f.event_id} data-testid="fluid-entry">
            {localTime(f.occurred_at)} · <span>{fluidLine(f)}</span> · {label("fluid_kind", f.fluid_kind)}
            <EntryActions card={card} entry={f} />
          </li>
        ))}
      </ul>
    </div>
  );
}
