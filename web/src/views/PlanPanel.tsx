// The planner's suggestions in the coordinator's view (GET /api/v1/plan): fetched when the view
// opens, again when the live picture changes (at most every few seconds) and on demand; each with
// the vehicle, casualties, destination, times, expected gain and the planner's reason (worded in
// the interface's language from its facts), and an Accept that makes the same events as
// assigning the vehicle by hand (missions.ts).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, session } from "../api";
import { displayName } from "../card";
import { label, t } from "../i18n";
import { assign, fromSuggestion } from "../missions";
import {
  blocked,
  deferralPieces,
  formatGain,
  gainsNothing,
  ordered,
  parsePlan,
  type Plan,
  PlanFormatError,
  reasonPieces,
  type Suggestion,
  suggestionKey,
  throttle,
  type Throttle,
  withoutRequest,
} from "../plan";
import type { Picture } from "../picture";
import { fromServer } from "../remote";
import { duration, localTime } from "../time";

/** The plan is computed on every call: ask again no more often than this. */
export const PLAN_MIN_INTERVAL_MS = 5000;

type PlanError = { what: "offline" | "forbidden" | "failed" } | { what: "unreadable"; field: string };

export interface PlanState {
  plan: Plan | null;
  loading: boolean;
  error: PlanError | null;
  refresh: () => void;
}

/** The current plan, fetched once the picture has loaded and again as it changes. */
export function usePlan(p: Picture): PlanState {
  const [state, setState] = useState<Omit<PlanState, "refresh">>({ plan: null, loading: false, error: null });
  const runner = useRef<Throttle | null>(null);
  const started = useRef(false);
  useEffect(() => {
    let alive = true;
    const load = async () => {
      setState((s) => ({ ...s, loading: true }));
      try {
        const plan = parsePlan(await api<unknown>("/api/v1/plan"));
        if (alive) setState({ plan, loading: false, error: null });
      } catch (e) {
        const error: PlanError =
          e instanceof PlanFormatError
            ? { what: "unreadable", field: e.field }
            : e instanceof ApiError
              ? { what: e.status === 403 ? "forbidden" : "failed" }
              : { what: "offline" };
        if (alive) setState((s) => ({ ...s, loading: false, error }));
      }
    };
    runner.current = throttle(load, PLAN_MIN_INTERVAL_MS);
    return () => {
      alive = false;
      runner.current?.stop();
    };
  }, []);
  useEffect(() => {
    // The picture's version moves when the live stream reported something and it was re-read.
    if (!p.loaded) return;
    if (!started.current) {
      started.current = true;
      runner.current?.now();
    } else runner.current?.request();
  }, [p.loaded, p.version]);
  return { ...state, refresh: () => runner.current?.now() };
}

function casualtyName(p: Picture, id: string, fallback: string): string {
  const card = p.cards.get(id);
  return card ? displayName(fromServer(card)) : fallback;
}

function Item({ s, p, now, accepted, onAccept, onSelect }: {
  s: Suggestion;
  p: Picture;
  now: number;
  accepted: boolean;
  onAccept: (s: Suggestion) => void;
  onSelect: (key: string | null) => void;
}) {
  const key = suggestionKey(s);
  const headingId = `plan-${s.vehicle_id}`;
  const stop = blocked(s, p.missions, p.vehicles);
  const missing = withoutRequest(s);
  const wait = Date.parse(s.depart_at) - now;
  return (
    <li
      class="request suggestion"
      data-testid="plan-item"
      onMouseEnter={() => onSelect(key)}
      onMouseLeave={() => onSelect(null)}
      onFocusIn={() => onSelect(key)}
      onFocusOut={() => onSelect(null)}
    >
      <h3 id={headingId}>
        <span translate={false} data-testid="plan-vehicle">
          {s.call_sign}
        </span>{" "}
        →{" "}
        <span translate={false} data-testid="plan-destination">
          {s.destination_name}
        </span>
        {s.destination_kind === "exchange_point" ? <> ({t("plan.exchange_point")})</> : null}
      </h3>
      <ul class="plan-casualties">
        {s.casualties.map((c) => (
          <li key={c.casualty_id}>
            <span class={`badge prec prec-${c.precedence}`}>{c.precedence}</span>{" "}
            <span translate={false} data-testid="plan-casualty">
              {casualtyName(p, c.casualty_id, c.label)}
            </span>{" "}
            · {label("plan_class", c.category)}
            {missing.includes(c) && s.request_ids.length > 0 ? <em> · {t("plan.no_request")}</em> : null}
          </li>
        ))}
      </ul>
      <p>
        {wait <= 60_000 ? t("plan.depart_now") : t("plan.depart_at", { time: localTime(s.depart_at), wait: duration(wait) })} ·{" "}
        {t("plan.pickup", { time: localTime(s.pickup_at) })} · {t("plan.delivery", { time: localTime(s.delivery_at) })}
        <br />
        {gainsNothing(s) ? t("plan.gain_none") : t("plan.gain", { gain: formatGain(s.expected_gain) })}
      </p>
      <p class="muted">
        {t("plan.reason")}:{" "}
        <span data-testid="plan-reason">
          {reasonPieces(s).map((piece, i) =>
            piece.name ? (
              <span key={i} translate={false}>
                {piece.text}
              </span>
            ) : (
              piece.text
            ),
          )}
        </span>
      </p>
      {accepted ? (
        <p role="status" data-testid="plan-accepted">
          {t("plan.accepted")}
        </p>
      ) : stop ? (
        <>
          <p class="muted" id={`${headingId}-why`}>
            {stop.why === "no_request" ? t("plan.cannot_no_request") : t("plan.cannot_assigned", { vehicle: stop.vehicle })}
          </p>
          <button type="button" disabled aria-describedby={`${headingId} ${headingId}-why`} data-testid="plan-accept">
            {t("plan.accept")}
          </button>
        </>
      ) : (
        <button type="button" class="primary" onClick={() => onAccept(s)} aria-describedby={headingId} data-testid="plan-accept">
          {t("plan.accept")}
        </button>
      )}
    </li>
  );
}

export function PlanPanel({ state, p, now, onSelect }: { state: PlanState; p: Picture; now: number; onSelect: (key: string | null) => void }) {
  // Accepted here, until a plan computed since says otherwise (the mission then blocks it).
  const [accepted, setAccepted] = useState<Map<string, string>>(new Map());
  const { plan, loading, error } = state;
  const accept = async (s: Suggestion) => {
    const key = suggestionKey(s);
    setAccepted((a) => new Map(a).set(key, plan?.generated_at ?? ""));
    await assign(
      fromSuggestion(s, { unit_id: session()!.unit_id }),
    );
  };
  const names = (kind: string, id: string) =>
    kind === "vehicle" ? String(p.vehicles.find((v) => v.id === id)?.call_sign ?? id.slice(0, 8)) : casualtyName(p, id, `#${id.slice(0, 4).toUpperCase()}`);
  return (
    <section class="plan" aria-labelledby="plan-h" aria-busy={loading}>
      <div class="row">
        <h2 id="plan-h">{t("plan.title", { n: plan?.suggestions.length ?? 0 })}</h2>
        <button type="button" onClick={state.refresh} data-testid="plan-refresh">
          {t("plan.refresh")}
        </button>
      </div>
      <p class="muted" aria-live="polite" data-testid="plan-status">
        {loading && t("plan.updating")}
        {!loading && error && (error.what === "unreadable" ? t("plan.unreadable", { field: error.field }) : t(`plan.${error.what}`))}
        {!loading && error && plan && <> {t("plan.stale", { time: localTime(plan.generated_at) })}</>}
        {!loading && !error && plan && (
          <>
            {t("plan.generated", { time: localTime(plan.generated_at), ms: Math.round(plan.solve_ms) })} (<span lang="en" translate={false}>{plan.method}</span>) ·{" "}
            {t("plan.summary", { w: plan.waiting, v: plan.idle_vehicles })}
          </>
        )}
      </p>
      {plan && plan.suggestions.length === 0 && <p>{t("plan.none")}</p>}
      {plan && plan.suggestions.length > 0 && (
        <ol data-testid="plan">
          {ordered(plan.suggestions).map((s) => (
            <Item key={suggestionKey(s)} s={s} p={p} now={now} accepted={accepted.get(suggestionKey(s)) === plan.generated_at} onAccept={(x) => void accept(x)} onSelect={onSelect} />
          ))}
        </ol>
      )}
      {plan && plan.deferred.length > 0 && (
        <details data-testid="plan-deferred">
          <summary>{t("plan.deferred", { n: plan.deferred.length })}</summary>
          <ul>
            {plan.deferred.map((d) => (
              <li key={d.casualty.casualty_id}>
                {deferralPieces(d).map((piece, i) =>
                  piece.name ? (
                    <span key={i} translate={false}>
                      {piece.text}
                    </span>
                  ) : (
                    piece.text
                  ),
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
      {plan && plan.left_out.length > 0 && (
        <details>
          <summary>{t("plan.left_out", { n: plan.left_out.length })}</summary>
          <ul>
            {plan.left_out.map((x) => (
              <li key={`${x.kind}-${x.id}`}>
                <span translate={false}>{names(x.kind, x.id)}</span>:{" "}
                {x.code === "other" ? (
                  <span lang="en" translate={false}>
                    {x.reason}
                  </span>
                ) : (
                  <span data-testid="plan-left-reason">{t(`plan_left.${x.code}`)}</span>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
