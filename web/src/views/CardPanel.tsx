// One casualty's card for the coordinator and the facility: the server's card, clocks, MIST.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { burns, burnTotal, type Card, clock, displayName, latest, latestGcs } from "../card";
import { formatG } from "../medevac";
import { fluidLine } from "../medic/Fluids";
import { useNow } from "../hooks";
import { drugName, hoursMinutes, label, t } from "../i18n";
import { fromServer, type ServerCard } from "../remote";
import { dtg, localDateTime, localTime } from "../time";

/**
 * The card as a modal dialog in the window (issue 17 item 1): wherever the list that opened it
 * was scrolled, the card is in view; Escape or Close shuts it and the focus goes back to the
 * button that opened it.
 */
function CardDialog({ onClose, children }: { onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => {
      if (d?.open) d.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="card-dialog"
      aria-labelledby="card-h"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}

export function CardPanel({ id, onClose, modal = false }: { id: string; onClose: () => void; modal?: boolean }) {
  const panel = <CardContent id={id} onClose={onClose} />;
  return modal ? <CardDialog onClose={onClose}>{panel}</CardDialog> : panel;
}

function CardContent({ id, onClose }: { id: string; onClose: () => void }) {
  const [card, setCard] = useState<Card | null>(null);
  const [mist, setMist] = useState<string>("");
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  useEffect(() => {
    setCard(null);
    api<{ card: ServerCard }>(`/api/v1/casualties/${id}`)
      .then((r) => setCard(fromServer(r.card)))
      .catch(() => setError(t("card.unavailable")));
    api<{ text: string }>(`/api/v1/casualties/${id}/mist`)
      .then((r) => setMist(r.text))
      .catch(() => undefined);
  }, [id]);
  return (
    <aside class="card-panel" aria-labelledby="card-h" data-testid="card-panel">
      <div class="row">
        <h3 id="card-h">{card ? <span translate={false}>{displayName(card)}</span> : t("card.title")}</h3>
        <button type="button" onClick={onClose}>
          {t("common.close")}
        </button>
      </div>
      {error && <p class="error">{error}</p>}
      {card && (
        <>
          {card.tourniquets.map((tq) => {
            const c = clock(tq, now);
            return (
              <p key={tq.application_id} class={`clock-line ${tq.ended_at ? "ended" : c.alert}`}>
                {t("tq.short")} {label("limb", tq.limb ?? tq.category)} · {hoursMinutes(c.elapsed)} · {t("tq.on_at", { time: localTime(tq.applied_at) })} ·{" "}
                <span translate={false}>{dtg(tq.applied_at)}</span>
              </p>
            );
          })}
          <dl class="facts">
            <dt>{t("card.injured_at")}</dt>
            <dd data-testid="panel-injured-at">{card.injured_at ? (
                <>
                  {localDateTime(card.injured_at)} · <span translate={false}>{dtg(card.injured_at)}</span>
                </>
              ) : (
                "—"
              )}</dd>
            <dt>{t("card.injuries")}</dt>
            <dd>
              {card.injuries.map((i) => `${i.laterality && i.laterality !== "midline" ? label("side", i.laterality) + " " : ""}${label("region", i.region)}`).join("; ") ||
                "—"}
            </dd>
            {burnTotal(card.injuries) !== null && (
              <>
                <dt>{t("card.burns")}</dt>
                <dd data-testid="panel-burns">
                  {burns(card.injuries)
                    .map((i) => `${i.laterality && i.laterality !== "midline" ? label("side", i.laterality) + " " : ""}${label("region", i.region)} ${formatG(Number(i.burn_tbsa_percent))} %`)
                    .join("; ")}{" "}
                  · {t("burn.total", { total: formatG(burnTotal(card.injuries)!) })}
                </dd>
              </>
            )}
            <dt>{t("card.treatments")}</dt>
            <dd>
              {[
                ...card.treatments.map((x) => label("intervention", x.intervention)),
                ...card.medications.map((m) => `${drugName(m.name)} ${m.dose ?? ""} ${label("unit", m.dose_unit)} ${label("route", m.route)} ${localTime(m.occurred_at)}`),
              ].join("; ") || "—"}
            </dd>
            <dt>{t("card.fluids")}</dt>
            <dd data-testid="panel-fluids">{card.fluids.map((f) => `${fluidLine(f)} ${localTime(f.occurred_at)}`).join("; ") || "—"}</dd>
            <dt>{t("card.vitals")}</dt>
            <dd>
              {[
                ...["pulse", "respiratory_rate", "spo2", "systolic"]
                  .filter((n) => latest(card.vitals, n) !== undefined)
                  .map((n) => `${label("vital", n)} ${latest(card.vitals, n)}`),
                ...(latest(card.vitals, "avpu") !== undefined ? [`AVPU ${latest(card.vitals, "avpu")}`] : []),
                ...(latestGcs(card.vitals) !== null ? [t("gcs.total", { total: latestGcs(card.vitals)! })] : []),
              ].join(", ") || "—"}
            </dd>
            {card.handovers.length > 0 && (
              <>
                <dt>{t("card.handovers")}</dt>
                <dd data-testid="panel-handovers">
                  {card.handovers
                    .map((h) =>
                      [
                        `${t("card.handover_to", { stage: String(h.to_stage) })} ${localTime(String(h.occurred_at))}`,
                        h.received_by ? t("card.handover_by", { who: String(h.received_by) }) : "",
                        h.condition_on_arrival ? t("card.handover_condition", { condition: label("condition", h.condition_on_arrival) }) : "",
                      ]
                        .filter(Boolean)
                        .join(", "),
                    )
                    .join("; ")}
                </dd>
              </>
            )}
          </dl>
          <h4>{t("evac.mist")}</h4>
          <pre class="mist" translate={false}>
            {mist}
          </pre>
        </>
      )}
    </aside>
  );
}
