// Vital signs and the triage findings, with a trend of the numbers over time.
import { useEffect, useRef, useState } from "preact/hooks";
import { type Card, gcsTotal } from "../card";
import type { StoredEvent } from "../db";
import { emit } from "../events";
import { label, t } from "../i18n";
import { once } from "../tap";
import { localTime } from "../time";
import { GCS_PARTS, VITAL_NUMBERS, VITAL_RANGES } from "./lists";
import { EntryActions } from "./Changes";
import { onCorrect, problemsOf } from "./correct";
import { discard } from "../sync";

const NUMBERS = VITAL_NUMBERS;
const FINDINGS = ["walking", "breathing", "radial_pulse", "follows_commands"];
const GCS_KEYS: Record<string, "gcs.eye" | "gcs.verbal" | "gcs.motor"> = { gcs_eye: "gcs.eye", gcs_verbal: "gcs.verbal", gcs_motor: "gcs.motor" };

/** The GCS of one set as the card shows it: "GCS 13 (E3 V4 M6)", or "" when not taken. */
export function gcsLine(v: Record<string, unknown>): string {
  const total = gcsTotal(v);
  const parts = GCS_PARTS.filter(([name]) => v[name] != null)
    .map(([name]) => `${name === "gcs_eye" ? "E" : name === "gcs_verbal" ? "V" : "M"}${v[name]}`)
    .join(" ");
  if (total === null && !parts) return "";
  const head = total !== null ? t("gcs.total", { total }) : label("vital", "gcs");
  return parts ? `${head} (${parts})` : head;
}

/** The three GCS parts as rows of grade buttons: one tap each, a second tap clears. */
function GcsPicker({ grades, onChange }: { grades: Record<string, number | undefined>; onChange: (g: Record<string, number | undefined>) => void }) {
  const total = gcsTotal(grades);
  return (
    <fieldset class="gcs" data-testid="gcs">
      <legend>
        {t("gcs.title")}
        {total !== null && (
          <strong data-testid="gcs-total"> · {t("gcs.total", { total })}</strong>
        )}
      </legend>
      {GCS_PARTS.map(([name, top]) => (
        <div key={name} class="gcs-row" role="group" aria-label={t(GCS_KEYS[name])}>
          <span>{t(GCS_KEYS[name])}</span>
          {Array.from({ length: top }, (_, i) => i + 1).map((grade) => (
            <button
              key={grade}
              type="button"
              data-gcs={`${name}-${grade}`}
              aria-pressed={grades[name] === grade}
              onClick={() => onChange({ ...grades, [name]: grades[name] === grade ? undefined : grade })}
            >
              {grade}
            </button>
          ))}
        </div>
      ))}
    </fieldset>
  );
}

function Trend({ card, name }: { card: Card; name: string }) {
  const points = card.vitals.filter((v) => typeof v[name] === "number").map((v) => ({ at: Date.parse(v.occurred_at), value: v[name] as number }));
  if (points.length === 0) return null;
  const last = points[points.length - 1].value;
  const previous = points.length > 1 ? points[points.length - 2].value : last;
  const arrow = last > previous ? "↑" : last < previous ? "↓" : "→";
  const min = Math.min(...points.map((p) => p.value));
  const max = Math.max(...points.map((p) => p.value));
  const t0 = points[0].at;
  const span = Math.max(1, points[points.length - 1].at - t0);
  const path = points
    .map((p, i) => `${i ? "L" : "M"}${points.length > 1 ? ((p.at - t0) / span) * 96 + 2 : 50},${max === min ? 12 : 22 - ((p.value - min) / (max - min)) * 20}`)
    .join(" ");
  return (
    <div class="trend" data-testid={`trend-${name}`}>
      <span>{label("vital", name)}</span>
      <svg viewBox="0 0 100 24" aria-hidden="true">
        <path d={path} />
      </svg>
      <strong>
        {last} {arrow}
      </strong>
    </div>
  );
}

export function Vitals({ card }: { card: Card }) {
  const [avpu, setAvpu] = useState("");
  const [findings, setFindings] = useState<Record<string, boolean | undefined>>({});
  const [gcs, setGcs] = useState<Record<string, number | undefined>>({});
  // Every field out of the server's bounds is named at once, and nothing is saved.
  const [bad, setBad] = useState<string[]>([]);
  // A refused set being corrected: saved anew, it replaces the refused one on the device.
  const [draft, setDraft] = useState<StoredEvent | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(
    () =>
      onCorrect("vitals_recorded", (row) => {
        const form = formRef.current;
        if (!form || row.event.casualty_id !== card.casualty_id) return;
        for (const [name] of NUMBERS) {
          const input = form.elements.namedItem(name) as HTMLInputElement | null;
          const value = row.event[name];
          if (input) input.value = value == null ? "" : String(value);
        }
        setAvpu(typeof row.event.avpu === "string" ? row.event.avpu : "");
        setFindings(Object.fromEntries(FINDINGS.map((f) => [f, row.event[f] as boolean | undefined])));
        setGcs(Object.fromEntries(GCS_PARTS.map(([n]) => [n, (row.event[n] as number | null) ?? undefined])));
        setBad(problemsOf(row).map((p) => p.field).filter((f) => NUMBERS.some(([n]) => n === f)));
        setDraft(row);
        const first = form.querySelector<HTMLInputElement>("input[name]");
        form.scrollIntoView({ block: "start" });
        first?.focus({ preventScroll: true });
      }),
    [card.casualty_id],
  );
  const save = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const fields: Record<string, unknown> = { casualty_id: card.casualty_id };
    const wrong: string[] = [];
    for (const [name] of NUMBERS) {
      const raw = String(data.get(name) ?? "").trim();
      if (!raw) continue;
      const [min, max] = VITAL_RANGES[name];
      const value = Number(raw);
      if (!/^\d+$/.test(raw) || value < min || value > max) wrong.push(name);
      else fields[name] = value;
    }
    setBad(wrong);
    if (wrong.length) return;
    if (avpu) fields.avpu = avpu;
    for (const f of FINDINGS) if (findings[f] !== undefined) fields[f] = findings[f];
    // The parts as tapped; the total only when all three are known (the server checks the sum).
    for (const [n] of GCS_PARTS) if (gcs[n] !== undefined) fields[n] = gcs[n];
    const total = gcsTotal(gcs);
    if (total !== null) fields.gcs = total;
    if (Object.keys(fields).length === 1) return;
    const replaced = draft;
    void once(`vitals:${card.casualty_id}`, async () => {
      await emit("vitals_recorded", fields);
      if (replaced) await discard(replaced.event_id);
    });
    setDraft(null);
    form.reset();
    setAvpu("");
    setFindings({});
    setGcs({});
  };
  return (
    <section class="panel" aria-labelledby="vit-h">
      <h3 id="vit-h">{t("vit.title")}</h3>
      <div class="trends">
        {["pulse", "respiratory_rate", "spo2", "systolic"].map((n) => (
          <Trend key={n} card={card} name={n} />
        ))}
      </div>
      <form onSubmit={save} class="vitals-form" ref={formRef}>
        {NUMBERS.map(([name, unit]) => (
          <label key={name}>
            {label("vital", name)} <span class="muted">{label("vunit", unit)}</span>
            <input name={name} inputMode="numeric" aria-invalid={bad.includes(name)} aria-describedby={bad.includes(name) ? `bad-${name}` : undefined} />
            {bad.includes(name) && (
              <span class="error" id={`bad-${name}`} data-testid={`vital-error-${name}`}>
                {t("vit.out_of_range", { min: VITAL_RANGES[name][0], max: VITAL_RANGES[name][1] })}
              </span>
            )}
          </label>
        ))}
        <fieldset>
          <legend>{t("vit.avpu")}</legend>
          {["A", "V", "P", "U"].map((level) => (
            <button key={level} type="button" aria-pressed={avpu === level} onClick={() => setAvpu(avpu === level ? "" : level)}>
              {label("avpu", level)}
            </button>
          ))}
        </fieldset>
        <GcsPicker grades={gcs} onChange={setGcs} />
        {FINDINGS.map((f) => (
          <fieldset key={f}>
            <legend>{label("finding", f)}</legend>
            {[true, false].map((value) => (
              <button
                key={String(value)}
                type="button"
                aria-pressed={findings[f] === value}
                onClick={() => setFindings({ ...findings, [f]: findings[f] === value ? undefined : value })}
              >
                {t(value ? "common.yes" : "common.no")}
              </button>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="primary">
          {t("vit.save")}
        </button>
      </form>
      <ul class="entries">
        {card.vitals
          .slice()
          .reverse()
          .map((v) => (
            <li key={v.event_id}>
              {localTime(v.occurred_at)} ·{" "}
              {NUMBERS.filter(([n]) => v[n] != null)
                .map(([n]) => `${label("vital", n)} ${v[n]}`)
                .join(", ")}
              {v.avpu ? ` · ${label("avpu", v.avpu)}` : ""}
              {gcsLine(v) ? ` · ${gcsLine(v)}` : ""}
              <EntryActions card={card} entry={v} />
            </li>
          ))}
      </ul>
    </section>
  );
}
