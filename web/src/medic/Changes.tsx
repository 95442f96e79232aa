// Every entry on the card can be corrected (a new event that supersedes it) or retracted with a
// reason (after a confirmation, with a few seconds to undo); the card lists what was changed, by
// whom and when. The record stays append-only: nothing is edited in place.
import { useState } from "preact/hooks";
import type { Card } from "../card";
import type { StoredEvent, Wire } from "../db";
import { emit, make } from "../events";
import { drugName, label, t } from "../i18n";
import { positiveNumber } from "../numbers";
import { once, useArmed } from "../tap";
import { fromTimeInput, localDateTime, localTime } from "../time";
import { defer, undo, usePending } from "../undo";
import { formatG } from "../medevac";
import { burnTotal, gcsTotal } from "../card";
import { DOSE_MAX, DOSE_UNITS, FLUID_ROUTES, GCS_PARTS, LOCATION_TEXT, positionsOf, ROUTES, TBSA_RANGE, VITAL_NUMBERS, TEXT_MAX, VOLUME_RANGE } from "./lists";

// The envelope is the device's to fill; the rest of an entry is copied into its correction.
const ENVELOPE = ["kind", "event_id", "occurred_at", "recorded_at", "received_at", "author", "device", "supersedes"];

/** One line saying what an entry holds, for the change log and the questions. */
export function summary(e: Wire): string {
  switch (e.kind) {
    case "tourniquet_applied":
      return [label("limb", e.limb ?? e.category), e.location ? label("tq_location", e.location) : "", localTime(e.occurred_at)]
        .filter(Boolean)
        .join(" · ");
    case "medication_given":
      return [drugName(e.name), e.dose, e.dose != null ? label("unit", e.dose_unit) : "", label("route", e.route)].filter((x) => x != null && x !== "").join(" ");
    case "vitals_recorded":
      return [...VITAL_NUMBERS, ...GCS_PARTS, ["gcs"]]
        .filter(([n]) => e[n] != null)
        .map(([n]) => `${label("vital", n)} ${e[n]}`)
        .join(", ");
    // issue 13 item 11
    case "fluid_given":
      return `${label("fluid", e.name)} ${e.volume_ml} ${label("unit", "ml")} ${label("route", e.route)}`;
    case "injury_time_recorded":
      return localDateTime(String(e.injured_at));
    case "treatment_given":
      return label("intervention", e.intervention);
    case "injury_recorded":
      return `${e.laterality && e.laterality !== "midline" ? label("side", e.laterality) + " " : ""}${label("region", e.region)}${
        e.burn_tbsa_percent != null ? ` · ${t("burn.percent", { percent: formatG(Number(e.burn_tbsa_percent)) })}` : ""
      }`;
    default:
      return label("kind", e.kind);
  }
}

/** The fields a correction may change, beyond the time, for each kind of entry. Uncontrolled
 *  (defaultValue, selected): a re-render while the medic types, as when the card's sync state
 *  changes, must not put the old value back. */
function CorrectionFields({ entry }: { entry: Wire }) {
  if (entry.kind === "medication_given") {
    return (
      <>
        <label>
          {t("tx.dose")}
          <input name="dose" inputMode="decimal" defaultValue={entry.dose != null ? String(entry.dose) : ""} />
        </label>
        <label>
          {t("tx.unit")}
          <select name="dose_unit">
            {DOSE_UNITS.map((u) => (
              <option key={u} value={u} selected={u === String(entry.dose_unit ?? "mg")}>
                {label("unit", u)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("tx.route")}
          <select name="route">
            {ROUTES.map((r) => (
              <option key={r} value={r} selected={r === String(entry.route)}>
                {label("route", r)}
              </option>
            ))}
          </select>
        </label>
      </>
    );
  }
  if (entry.kind === "vitals_recorded") {
    return (
      <>
        {VITAL_NUMBERS.map(([name, unit]) => (
          <label key={name}>
            {label("vital", name)} <span class="muted">{label("vunit", unit)}</span>
            <input name={name} inputMode="numeric" defaultValue={entry[name] != null ? String(entry[name]) : ""} />
          </label>
        ))}
        {GCS_PARTS.map(([name, top]) => (
          <label key={name}>
            {label("vital", name)}
            <select name={name}>
              <option value="" selected={entry[name] == null}>
                —
              </option>
              {Array.from({ length: top }, (_, i) => String(i + 1)).map((g) => (
                <option key={g} value={g} selected={entry[name] != null && String(entry[name]) === g}>
                  {g}
                </option>
              ))}
            </select>
          </label>
        ))}
      </>
    );
  }
  // issue 13 item 11: a fluid's volume and route, a burn's area, the time of injury.
  if (entry.kind === "fluid_given") {
    return (
      <>
        <label>
          {t("fluid.volume")}
          <input name="volume_ml" inputMode="decimal" defaultValue={String(entry.volume_ml ?? "")} />
        </label>
        <label>
          {t("fluid.route")}
          <select name="route">
            {FLUID_ROUTES.map((r) => (
              <option key={r} value={r} selected={r === String(entry.route)}>
                {label("route", r)}
              </option>
            ))}
          </select>
        </label>
      </>
    );
  }
  if (entry.kind === "injury_recorded" && entry.burn_tbsa_percent != null) {
    return (
      <label>
        {t("burn.tbsa")}
        <input name="burn_tbsa_percent" inputMode="decimal" defaultValue={formatG(Number(entry.burn_tbsa_percent))} />
      </label>
    );
  }
  if (entry.kind === "injury_time_recorded") {
    return (
      <label>
        {t("injtime.at")}
        <input type="time" name="injured_at" defaultValue={localTime(String(entry.injured_at))} />
      </label>
    );
  }
  if (entry.kind === "tourniquet_applied" && typeof entry.limb === "string") {
    const current = Object.entries(LOCATION_TEXT).find(([, text]) => text === entry.location)?.[0] ?? "";
    return (
      <label>
        {t("tq.where_on", { limb: label("limb", entry.limb) })}
        <select name="location">
          {positionsOf(entry.limb).map((p) => (
            <option key={p} value={p} selected={p === current}>
              {label("tq_location", LOCATION_TEXT[p])}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return null;
}

/** Do the corrected fields say what the entry already says? */
function unchanged(entry: Wire, fields: Record<string, unknown>): boolean {
  return Object.entries(fields).every(([k, v]) => JSON.stringify(v ?? null) === JSON.stringify(entry[k] ?? null));
}

/** Read the correction form: the changed fields, or the message of the first bad one. */
function corrected(entry: Wire, data: FormData, card: Card): { fields: Record<string, unknown> } | { bad: string } {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!ENVELOPE.includes(k)) fields[k] = v;
  if (entry.kind === "medication_given") {
    const dose = positiveNumber(String(data.get("dose") ?? ""), DOSE_MAX);
    if (dose === null) return { bad: t("tx.dose_invalid", { max: DOSE_MAX }) };
    Object.assign(fields, { dose, dose_unit: data.get("dose_unit"), route: data.get("route") });
  } else if (entry.kind === "vitals_recorded") {
    for (const [name] of VITAL_NUMBERS) {
      const raw = String(data.get(name) ?? "").trim();
      if (!raw) fields[name] = null;
      else if (/^\d+$/.test(raw)) fields[name] = Number(raw);
      else return { bad: t("change.not_a_number") };
    }
    // GCS: the parts as chosen, the total their sum when all three are known.
    for (const [name] of GCS_PARTS) fields[name] = data.get(name) ? Number(data.get(name)) : null;
    const parts = GCS_PARTS.map(([name]) => fields[name]);
    if (parts.some((p) => p !== null)) fields.gcs = gcsTotal({ gcs_eye: parts[0], gcs_verbal: parts[1], gcs_motor: parts[2] });
  } else if (entry.kind === "fluid_given") {
    const volume = positiveNumber(String(data.get("volume_ml") ?? ""), VOLUME_RANGE[1]);
    if (volume === null || volume < VOLUME_RANGE[0]) return { bad: t("fluid.volume_invalid", { min: VOLUME_RANGE[0], max: VOLUME_RANGE[1] }) };
    Object.assign(fields, { volume_ml: volume, route: data.get("route") });
  } else if (entry.kind === "injury_recorded" && entry.burn_tbsa_percent != null) {
    const raw = String(data.get("burn_tbsa_percent") ?? "").trim().replace(",", ".");
    const value = Number(raw);
    // The other burns plus this one's new area stay within 100 %.
    const others = (burnTotal(card.injuries) ?? 0) - Number(entry.burn_tbsa_percent);
    if (!raw || !Number.isFinite(value) || value < TBSA_RANGE[0] || value > TBSA_RANGE[1] || others + value > 100 + 1e-6) {
      return { bad: t("burn.invalid", { min: TBSA_RANGE[0], max: TBSA_RANGE[1], total: formatG(Math.max(0, others)) }) };
    }
    fields.burn_tbsa_percent = value;
  } else if (entry.kind === "injury_time_recorded") {
    const time = String(data.get("injured_at") ?? "");
    if (!/^\d{2}:\d{2}$/.test(time)) return { bad: t("injtime.invalid") };
    // Not later than the moment the entry was recorded (the server refuses that).
    fields.injured_at = fromTimeInput(time, new Date(entry.occurred_at));
  } else if (entry.kind === "tourniquet_applied" && data.get("location")) {
    fields.location = LOCATION_TEXT[String(data.get("location"))];
  }
  return { fields };
}

/** "Correct or retract" for one entry of the card. */
export function EntryActions({ card, entry }: { card: Card; entry: Wire }) {
  const [mode, setMode] = useState<null | "menu" | "correct" | "retract">(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const armed = useArmed(mode === "retract" ? mode : null);
  const close = () => {
    setMode(null);
    setReason("");
    setError(null);
  };
  const retract = () =>
    once(`retract:${entry.event_id}`, () => {
      if (!reason.trim()) return;
      const event = make("entry_retracted", { casualty_id: card.casualty_id, target: entry.event_id, reason: reason.trim() });
      defer(event, t("change.retracting", { what: `${label("kind", entry.kind)}: ${summary(entry)}` }));
      close();
    });
  const correct = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const read = corrected(entry, data, card);
    if ("bad" in read) {
      setError(read.bad);
      return;
    }
    const time = String(data.get("time") ?? "");
    const at = time && time !== localTime(entry.occurred_at) ? fromTimeInput(time) : entry.occurred_at;
    if (at === entry.occurred_at && unchanged(entry, read.fields)) {
      // Saving what was already there writes nothing: a correction says something changed.
      close();
      return;
    }
    void once(`correct:${entry.event_id}`, async () => {
      await emit(entry.kind, { ...read.fields, supersedes: entry.event_id }, at);
      close();
    });
  };
  return (
    <div class="entry-actions">
      {typeof entry.supersedes === "string" && (
        <small class="muted" data-testid="entry-corrected">
          {t("change.corrected_by", { who: entry.author, time: localTime(entry.recorded_at) })}
        </small>
      )}
      {mode === null && (
        <button type="button" class="small" data-testid="entry-change" onClick={() => setMode("menu")}>
          {t("change.open")}
        </button>
      )}
      {mode === "menu" && (
        <div class="row">
          <button type="button" data-testid="entry-correct" onClick={() => setMode("correct")}>
            {t("change.correct")}
          </button>
          <button type="button" data-testid="entry-retract" onClick={() => setMode("retract")}>
            {t("change.retract")}
          </button>
          <button type="button" onClick={close}>
            {t("common.cancel")}
          </button>
        </div>
      )}
      {mode === "retract" && (
        <form
          class="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void retract();
          }}
        >
          <p>{t("change.retract_confirm", { what: `${label("kind", entry.kind)}: ${summary(entry)}` })}</p>
          <label>
            {t("change.reason")}
            <input value={reason} required maxLength={TEXT_MAX} data-testid="retract-reason" onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          </label>
          <div class="row">
            <button type="submit" class="primary" data-testid="retract-confirm" disabled={!armed || !reason.trim()}>
              {t("change.retract")}
            </button>
            <button type="button" onClick={close}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
      {mode === "correct" && (
        <form class="correct-form" onSubmit={correct} data-testid="correct-form">
          <label>
            {t("change.time")}
            <input type="time" name="time" defaultValue={localTime(entry.occurred_at)} />
          </label>
          <CorrectionFields entry={entry} />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="row">
            <button type="submit" class="primary" data-testid="correct-save">
              {t("change.save")}
            </button>
            <button type="button" onClick={close}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** What was corrected or retracted on this card, by whom and when (newest first). */
export function ChangeLog({ stored }: { stored: StoredEvent[] }) {
  const byId = new Map(stored.map((s) => [s.event_id, s.event]));
  const changes = stored
    .filter((s) => s.state !== "refused" && (s.kind === "entry_retracted" || typeof s.event.supersedes === "string"))
    .map((s) => s.event)
    .sort((a, b) => b.recorded_at.localeCompare(a.recorded_at));
  if (changes.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="changes-h">
      <h3 id="changes-h">{t("change.title")}</h3>
      <ul class="entries">
        {changes.map((c) => {
          const before = byId.get(String(c.kind === "entry_retracted" ? c.target : c.supersedes));
          const what = before ? `${label("kind", before.kind)}: ${summary(before)}` : label("kind", c.kind);
          return (
            <li key={c.event_id} data-testid="change-entry">
              {localTime(c.recorded_at)} · <span translate={false}>{c.author}</span> ·{" "}
              {c.kind === "entry_retracted" ? (
                <>
                  {t("change.retracted", { what })} — <span translate={false}>{String(c.reason)}</span>
                </>
              ) : (
                t("change.corrected", { what, now: summary(c) })
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The actions waiting a few seconds to be written, each with its Undo. */
export function UndoBar() {
  const items = usePending();
  if (items.length === 0) return null;
  return (
    <div class="undo-bar" role="status" data-testid="undo-bar">
      {items.map((p) => (
        <div key={p.id} class="row">
          <span>{p.text}</span>
          <button type="button" class="primary" data-testid="undo" onClick={() => undo(p.id)}>
            {t("change.undo")}
          </button>
        </div>
      ))}
    </div>
  );
}
