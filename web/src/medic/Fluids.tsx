// Fluids and blood products (DD 1380 back, C: name, volume, route, time; Form 100 переливання
// крові, кровозамінників): a preset, its volume in one tap, IV or IO, and the time if not now.
import { useState } from "preact/hooks";
import type { Card } from "../card";
import type { Wire } from "../db";
import { emit } from "../events";
import { label, t } from "../i18n";
import { once } from "../tap";
import { fromTimeInput, localTime } from "../time";
import { EntryActions } from "./Changes";
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
    void once(`fluid:${card.casualty_id}`, () =>
      emit(
        "fluid_given",
        { casualty_id: card.casualty_id, fluid_kind: p.kind, name: p.name, volume_ml: amount, route },
        time ? fromTimeInput(time) : undefined,
      ),
    );
    setTime("");
  };
  return (
    <div class="fluids">
    <form class="fluid-form" onSubmit={give} aria-labelledby="fluid-h" data-testid="fluid-form">
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
