// MARCH treatments in one tap each, and drugs with dose, route and time.
import { useState } from "preact/hooks";
import type { Card } from "../card";
import { emit } from "../events";
import { drugName, label, t } from "../i18n";
import { positiveNumber } from "../numbers";
import { once } from "../tap";
import { fromTimeInput, localTime } from "../time";
import { DOSE_MAX, DOSE_UNITS, DRUGS, ROUTES } from "./lists";
import { EntryActions } from "./Changes";
import { Fluids } from "./Fluids";

// TCCC MARCH order; the interventions are the server's (vocabulary.py INTERVENTION_MARCH).
const MARCH: [string, string[]][] = [
  ["massive_hemorrhage", ["hemostatic_dressing", "pressure_dressing", "wound_packing"]],
  ["airway", ["airway_intact", "npa", "recovery_position", "sga", "cric"]],
  ["respiration", ["chest_seal", "needle_decompression", "oxygen"]],
  ["circulation", ["iv_access", "io_access", "pelvic_binder", "splint"]],
  ["hypothermia", ["hypothermia_prevention", "eye_shield", "combat_pill_pack"]],
];

export function Treatments({ card }: { card: Card }) {
  const [time, setTime] = useState("");
  const [drug, setDrug] = useState(0);
  const [dose, setDose] = useState(String(DRUGS[0].dose));
  const [unit, setUnit] = useState(DRUGS[0].unit);
  const [route, setRoute] = useState(DRUGS[0].route);
  const [doseError, setDoseError] = useState(false);
  const at = () => (time ? fromTimeInput(time) : undefined);
  const choose = (index: number) => {
    setDrug(index);
    setDose(String(DRUGS[index].dose));
    setUnit(DRUGS[index].unit);
    setRoute(DRUGS[index].route);
    setDoseError(false);
  };
  const give = (e: Event) => {
    e.preventDefault();
    const d = DRUGS[drug];
    // A dose that is not a positive number is refused here, never saved as "no dose".
    const amount = positiveNumber(dose, DOSE_MAX);
    setDoseError(amount === null);
    if (amount === null) return;
    void once(`drug:${card.casualty_id}`, () =>
      emit(
        "medication_given",
        { casualty_id: card.casualty_id, drug_class: d.drug_class, name: d.name, dose: amount, dose_unit: unit, route },
        at(),
      ),
    );
  };
  return (
    <section class="panel" aria-labelledby="tx-h">
      <h3 id="tx-h">{t("tx.title")}</h3>
      <label>
        {t("common.time_if_not_now")}
        <input type="time" value={time} onInput={(e) => setTime((e.target as HTMLInputElement).value)} />
      </label>
      {MARCH.map(([step, items]) => (
        <div key={step} class="march-step">
          <h4>{label("march", step)}</h4>
          <div class="chips">
            {items.map((item) => (
              <button
                key={item}
                type="button"
                class="chip"
                onClick={() =>
                  void once(`treatment:${card.casualty_id}:${item}`, () =>
                    emit("treatment_given", { casualty_id: card.casualty_id, intervention: item }, at()),
                  )
                }
              >
                {label("intervention", item)}
              </button>
            ))}
          </div>
        </div>
      ))}
      <form class="drug-form" onSubmit={give} aria-labelledby="drug-h">
        <h4 id="drug-h">{t("tx.drugs")}</h4>
        <label>
          {t("tx.drug")}
          <select value={drug} onChange={(e) => choose(Number((e.target as HTMLSelectElement).value))}>
            {DRUGS.map((d, i) => (
              <option key={d.name} value={i}>
                {drugName(d.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("tx.dose")}
          <input
            inputMode="decimal"
            value={dose}
            aria-invalid={doseError}
            aria-describedby={doseError ? "drug-error" : undefined}
            onInput={(e) => setDose((e.target as HTMLInputElement).value)}
          />
        </label>
        {doseError && (
          <p class="error" id="drug-error" role="alert" data-testid="drug-error">
            {t("tx.dose_invalid", { max: DOSE_MAX })}
          </p>
        )}
        <label>
          {t("tx.unit")}
          <select value={unit} onChange={(e) => setUnit((e.target as HTMLSelectElement).value)}>
            {DOSE_UNITS.map((u) => (
              <option key={u} value={u}>
                {label("unit", u)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("tx.route")}
          <select value={route} onChange={(e) => setRoute((e.target as HTMLSelectElement).value)}>
            {ROUTES.map((r) => (
              <option key={r} value={r}>
                {label("route", r)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary">
          {t("tx.give")}
        </button>
      </form>
      <ul class="entries">
        {card.treatments.map((x) => (
          <li key={x.event_id}>
            {localTime(x.occurred_at)} · {label("intervention", x.intervention)}
            <EntryActions card={card} entry={x} />
          </li>
        ))}
        {card.medications.map((m) => (
          <li key={m.event_id} data-testid="medication-entry">
            {localTime(m.occurred_at)} · <span translate={false}>{drugName(m.name)}</span> {m.dose != null ? `${m.dose} ${label("unit", m.dose_unit)}` : ""}{" "}
            {label("route", m.route)}
            <EntryActions card={card} entry={m} />
          </li>
        ))}
      </ul>
      <Fluids card={card} />
    </section>
  );
}
