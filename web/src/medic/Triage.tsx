// Triage suggested from the card with the rule that fired; the medic accepts or overrides it
// (an override needs a reason, which is kept with the decision).
import { useState } from "preact/hooks";
import type { Card } from "../card";
import { emit } from "../events";
import { label, rule, t } from "../i18n";
import { once } from "../tap";
import { nato, precedence, type Suggestion } from "../triage";
import { TEXT_MAX } from "./lists";

function System({ card, system, suggestion, options }: { card: Card; system: string; suggestion: Suggestion; options: string[] }) {
  const [choice, setChoice] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const assessed = card.triage[system];
  const override = choice !== null && choice !== suggestion.category;
  const save = (category: string) => {
    if (category !== suggestion.category && suggestion.category && !reason.trim()) {
      setChoice(category);
      return;
    }
    void once(`triage:${card.casualty_id}:${system}`, () => emit("triage_assessed", {
      casualty_id: card.casualty_id,
      system,
      category,
      suggested: suggestion.category,
      rule: rule(suggestion.rule, suggestion.params, "en"),
      reason: reason.trim() || null,
    }));
    setChoice(null);
    setReason("");
  };
  return (
    <div class="triage-system" data-testid={`triage-${system}`}>
      <h4>{t(system === "nato" ? "triage.nato" : "triage.precedence")}</h4>
      <p>
        {t("triage.suggested")}:{" "}
        <strong class={`badge t-${suggestion.category}`} data-testid={`suggested-${system}`}>
          {suggestion.category ? label(system, suggestion.category) : "—"}
        </strong>{" "}
        <span class="rule">{rule(suggestion.rule, suggestion.params)}</span>
      </p>
      {assessed && (
        <p>
          {t("triage.assessed")}: <strong>{label(system, assessed.category)}</strong>
          {assessed.reason ? <> · <span translate={false}>{String(assessed.reason)}</span></> : null}
        </p>
      )}
      <div class="chips" role="group" aria-label={t("triage.choose")}>
        {options.map((o) => (
          <button key={o} type="button" class={`chip t-${o}`} aria-pressed={choice === o} onClick={() => save(o)}>
            {label(system, o)}
          </button>
        ))}
      </div>
      {override && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) save(choice!);
          }}
        >
          <label>
            {t("triage.reason")}
            <input value={reason} required maxLength={TEXT_MAX} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="primary">
            {t("triage.override")}
          </button>
        </form>
      )}
    </div>
  );
}

export function Triage({ card }: { card: Card }) {
  return (
    <section class="panel" aria-labelledby="tri-h">
      <h3 id="tri-h">{t("triage.title")}</h3>
      <System card={card} system="nato" suggestion={nato(card)} options={["T1", "T2", "T3", "T4", "dead"]} />
      <System card={card} system="precedence" suggestion={precedence(card)} options={["A", "B", "C", "D", "E"]} />
    </section>
  );
}
