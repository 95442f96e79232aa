// Who the casualty is, as far as known: every field optional.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Card } from "../card";
import type { StoredEvent } from "../db";
import { emit } from "../events";
import { t } from "../i18n";
import { once } from "../tap";
import { discard } from "../sync";
import { onCorrect } from "./correct";
import { TEXT_MAX } from "./lists";

const FIELDS = ["callsign", "name_last", "name_first", "battle_roster", "unit", "blood_group", "allergies"];
const BLOOD = ["", "O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"];

export function Identity({ card }: { card: Card }) {
  // Every field longer than the server keeps is named at once, with its length, and nothing is saved.
  const [tooLong, setTooLong] = useState<Record<string, number>>({});
  // A refused identity being corrected: saved anew, it replaces the refused one on the device.
  const [draft, setDraft] = useState<StoredEvent | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(
    () =>
      onCorrect("identity_recorded", (row) => {
        const form = formRef.current;
        if (!form || row.event.casualty_id !== card.casualty_id) return;
        const given = (row.event.identity ?? {}) as Record<string, unknown>;
        const long: Record<string, number> = {};
        for (const f of FIELDS) {
          const field = form.elements.namedItem(f) as HTMLInputElement | HTMLSelectElement | null;
          const value = typeof given[f] === "string" ? (given[f] as string) : String(card.identity[f] ?? "");
          if (field) field.value = value;
          if (value.length > TEXT_MAX) long[f] = value.length;
        }
        setTooLong(long);
        setDraft(row);
        form.scrollIntoView({ block: "start" });
      }),
    [card.casualty_id, card.identity],
  );
  const save = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const identity: Record<string, string> = {};
    const wrong: Record<string, number> = {};
    for (const f of FIELDS) {
      const v = String(data.get(f) ?? "").trim();
      if (v.length > TEXT_MAX) wrong[f] = v.length;
      else if (v && v !== card.identity[f]) identity[f] = v;
    }
    setTooLong(wrong);
    if (Object.keys(wrong).length) return;
    const replaced = draft;
    setDraft(null);
    if (Object.keys(identity).length || replaced)
      void once(`identity:${card.casualty_id}`, async () => {
        if (Object.keys(identity).length) await emit("identity_recorded", { casualty_id: card.casualty_id, identity });
        if (replaced) await discard(replaced.event_id);
      });
  };
  return (
    <section class="panel" aria-labelledby="id-h">
      <h3 id="id-h">{t("id.title")}</h3>
      <form onSubmit={save} class="identity-form" key={JSON.stringify(card.identity)} noValidate ref={formRef}>
        {FIELDS.map((f) =>
          f === "blood_group" ? (
            <label key={f}>
              {t("id.blood_group")}
              {/* Not controlled (no value=): a redraw of the card (an entry's sync state changing)
                  put the stored group back while the medic chose another. `selected` is set when
                  drawn first; the form's key draws it anew when the identity itself changes. */}
              <select name={f}>
                {BLOOD.map((b) => (
                  <option key={b} value={b} translate={false} selected={b === String(card.identity[f] ?? "")}>
                    {b || "—"}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label key={f}>
              {t(`id.${f}` as "id.callsign")}
              <input
                name={f}
                defaultValue={String(card.identity[f] ?? "")}
                translate={false}
                aria-invalid={f in tooLong}
                aria-describedby={f in tooLong ? `long-${f}` : undefined}
              />
              {f in tooLong && (
                <span class="error" id={`long-${f}`} data-testid={`text-error-${f}`}>
                  {t("form.too_long", { max: TEXT_MAX, length: tooLong[f] })}
                </span>
              )}
            </label>
          ),
        )}
        <button type="submit" class="primary">
          {t("id.save")}
        </button>
      </form>
    </section>
  );
}
