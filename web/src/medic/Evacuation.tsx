// The 9-line, filled from the card and the phone's position in MGRS (editable; typed when there
// is no GPS), sent as a request; then the acknowledgement, the ETA and any change of pickup.
import { useEffect, useState } from "preact/hooks";
import { session } from "../api";
import type { Card } from "../card";
import { db, type StoredEvent } from "../db";
import { emit, uuid } from "../events";
import { fromMgrs, type LatLon, toMgrs } from "../geo";
import { useLive } from "../hooks";
import { label, t } from "../i18n";
import { mist, nineLine, onLitter, requestPrecedence, type Radio } from "../medevac";
import { dtg, localTime } from "../time";
import { once } from "../tap";
import { SmsSend } from "./SmsSend";
import { usePosition } from "./usePosition";
import { DEFAULT_RADIO, RadioLines } from "./RadioLines";

export interface RequestState {
  id: string;
  filed: boolean;
  state: "pending" | "stored" | "refused";
  acknowledged_at?: string;
  eta?: string | null;
  pickup?: LatLon;
  redirected?: { pickup: LatLon; reason?: string; at: string };
  cancelled?: string;
  vehicle?: string;
  eta_pickup?: string | null;
  mission_status?: string;
  casualties?: number; // how many casualties the request names (several at one site: item 12)
}

/** Open until cancelled, refused, or the casualties are handed over (or its mission dropped). */
export function isOpen(r: RequestState): boolean {
  return r.filed && r.state !== "refused" && !r.cancelled && r.mission_status !== "handed_over";
}

/** The one word for where a request stands, for the card and the list. */
export function stage(r: RequestState): string {
  if (r.cancelled) return t("evac.stage_cancelled");
  if (r.state === "refused") return t("evac.stage_refused");
  if (r.mission_status === "handed_over") return t("evac.stage_delivered");
  if (r.mission_status === "at_facility") return t("evac.stage_at_facility");
  if (r.mission_status === "picked_up") return t("evac.stage_picked_up");
  if (r.mission_status === "at_pickup") return t("evac.stage_at_pickup");
  if (r.mission_status === "en_route") return t("evac.stage_en_route");
  if (r.vehicle) return t("evac.stage_assigned");
  if (r.acknowledged_at) return t("evac.stage_acknowledged");
  if (r.state === "pending") return t("evac.stage_queued");
  return t("evac.stage_sent");
}

function requestState(id: string, events: StoredEvent[], vehicles: Map<string, string>): RequestState {
  const r: RequestState = { id, filed: false, state: "stored" };
  const sorted = events.slice().sort((a, b) => a.event.occurred_at.localeCompare(b.event.occurred_at));
  for (const s of sorted) {
    const e = s.event;
    if (e.kind === "evacuation_request_filed") {
      r.filed = true;
      r.state = s.state;
      r.pickup = e.pickup as LatLon;
      r.casualties = ((e.casualty_ids as string[] | undefined) ?? []).length;
    } else if (e.kind === "request_acknowledged") {
      r.acknowledged_at = e.occurred_at;
      r.eta = (e.eta as string) ?? null;
    } else if (e.kind === "request_redirected") {
      r.redirected = { pickup: e.pickup as LatLon, reason: e.reason as string | undefined, at: e.occurred_at };
    } else if (e.kind === "request_cancelled") {
      r.cancelled = String(e.reason);
    } else if (e.kind === "mission_assigned") {
      r.vehicle = vehicles.get(String(e.vehicle_id)) ?? String(e.vehicle_id).slice(0, 8);
      r.eta_pickup = (e.eta_pickup as string) ?? null;
      r.mission_status = "assigned";
    } else if (e.kind === "mission_status_changed") {
      r.mission_status = String(e.status);
    }
  }
  return r;
}

/** Each request of these casualties, with what the server and the live stream said of it. */
export function useRequests(cards: Card[]): Map<string, RequestState[]> | undefined {
  const key = cards.map((c) => c.evacuations.map((e) => String(e.request_id)).join()).join(";");
  return useLive(async () => {
    const out = new Map<string, RequestState[]>();
    // Vehicles and missions are read once for the whole list, and only if a card has a request:
    // a unit's list has hundreds of cards, most without one.
    const asked = cards.some((card) => card.evacuations.length > 0);
    const known = asked ? await dispatchKnown() : null;
    for (const card of cards) out.set(card.casualty_id, known ? await requestsOf(card, known) : []);
    return out;
  }, [key]);
}

interface DispatchKnown {
  vehicles: Map<string, string>;
  missions: StoredEvent[];
}

async function dispatchKnown(): Promise<DispatchKnown> {
  const vehicles = new Map<string, string>();
  for (const v of await db.events.where("kind").equals("vehicle_registered").toArray()) {
    vehicles.set(String(v.event.vehicle_id), String(v.event.call_sign));
  }
  return { vehicles, missions: await db.events.where("kind").equals("mission_assigned").toArray() };
}

async function requestsOf(card: Card, { vehicles, missions }: DispatchKnown): Promise<RequestState[]> {
  const ids = card.evacuations.map((e) => String(e.request_id));
  const out = [];
  for (const id of [...new Set(ids)]) {
    const events = await db.events.where("[stream+stream_id]").equals(["request", id]).toArray();
    const serving = missions.filter((m) => ((m.event.request_ids as string[]) ?? []).includes(id));
    const statuses = [];
    for (const m of serving) {
      statuses.push(...(await db.events.where("[stream+stream_id]").equals(["mission", m.stream_id]).toArray()));
    }
    out.push(requestState(id, [...new Map([...events, ...serving, ...statuses].map((x) => [x.event_id, x])).values()], vehicles));
  }
  return out;
}

// What the medic typed for a request (the pickup grid, the radio lines) is shared by the
// request on the first screen and the 9-line details one tap away: one draft per casualty.
const drafts = new Map<string, { typed: string; radio: Radio }>();
const draftListeners = new Set<() => void>();

function useDraft(casualtyId: string) {
  const [, redraw] = useState(0);
  useEffect(() => {
    const listener = () => redraw((n) => n + 1);
    draftListeners.add(listener);
    return () => void draftListeners.delete(listener);
  }, []);
  const draft = drafts.get(casualtyId) ?? { typed: "", radio: DEFAULT_RADIO };
  const change = (next: Partial<typeof draft>) => {
    drafts.set(casualtyId, { ...(drafts.get(casualtyId) ?? draft), ...next });
    for (const listener of draftListeners) listener();
  };
  return { typed: draft.typed, setTyped: (typed: string) => change({ typed }), radio: draft.radio, setRadio: (radio: Radio) => change({ radio }) };
}

/** The request being made for this casualty: its pickup point, precedence, 9-line and any open request. */
function useRequestDraft(card: Card) {
  const fix = usePosition();
  const { typed, setTyped, radio, setRadio } = useDraft(card.casualty_id);
  const requests = useRequests([card])?.get(card.casualty_id);
  const open = (requests ?? []).find(isOpen);
  const position: LatLon | null = fromMgrs(typed) ?? card.position ?? (fix ? { lat: fix.lat, lon: fix.lon } : null);
  useEffect(() => {
    if (!typed && position) setTyped(toMgrs(position));
  }, [position?.lat, position?.lon]);
  const typedValid = !typed || fromMgrs(typed) !== null;
  // The precedence filed is the one the 9-line's line 3 counts this casualty at.
  const chosen = requestPrecedence(card);
  const text = position ? nineLine([card], position, radio) : "";
  return { fix, typed, setTyped, typedValid, radio, setRadio, requests, open, position, chosen, text };
}

async function fileRequest(card: Card, position: LatLon, chosen: string, text: string): Promise<void> {
  const requestId = uuid();
  const s = session();
  await emit("evacuation_requested", {
    casualty_id: card.casualty_id,
    request_id: requestId,
    precedence: chosen,
    position: onLitter(card) ? "litter" : "seated",
    pickup: position,
  });
  await emit("evacuation_request_filed", {
    request_id: requestId,
    unit_id: s?.unit_id,
    casualty_ids: [card.casualty_id],
    pickup: position,
    precedence: chosen,
    nine_line: text,
  });
}

/** The request on the card's first screen: the open one with its state, or the pickup grid and the button. */
export function RequestNow({ card }: { card: Card }) {
  const { fix, typed, setTyped, typedValid, requests, open, position, chosen, text } = useRequestDraft(card);
  const request = async () => {
    if (position) await fileRequest(card, position, chosen, text);
  };
  return (
    <section class="panel request-now" aria-labelledby="evac-h">
      <h3 id="evac-h">{t("evac.title")}</h3>
      {open ? (
        <OpenRequest request={open} />
      ) : (
        <>
          <div class="pickup">
            <label>
              {t("evac.position")}
              <input
                value={typed}
                translate={false}
                data-testid="mgrs-input"
                aria-invalid={!typedValid}
                placeholder="37U DQ 43561 18531"
                onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
              />
            </label>
            {fix && typed !== toMgrs(fix) && (
              <button type="button" onClick={() => setTyped(toMgrs(fix))}>
                {t("evac.use_gps")}
              </button>
            )}
          </div>
          {!typedValid && <p class="error">{t("evac.bad_mgrs")}</p>}
          <p class="muted">
            {fix ? t("evac.gps", { m: Math.round(fix.accuracy) }) : t("evac.no_gps")} {t("evac.precedence")}:{" "}
            <strong>{label("precedence", chosen)}</strong>
          </p>
          <button type="button" class="huge primary" disabled={!position} data-testid="request-medevac" onClick={() => void once(`medevac:${card.casualty_id}`, request)}>
            {t("evac.request")}
          </button>
        </>
      )}
      {(requests ?? [])
        .filter((r) => r !== open)
        .map((r) => (
          <RequestSummary key={r.id} request={r} />
        ))}
    </section>
  );
}

/** One tap away from the first screen: the radio lines, the 9-line as it will be sent, SMS, MIST. */
export function Evacuation({ card }: { card: Card }) {
  const { radio, setRadio, open, position, chosen, text } = useRequestDraft(card);
  return (
    <section class="panel" aria-labelledby="nine-h">
      <h3 id="nine-h">{t("evac.details")}</h3>
      {!open && (
        <>
      <RadioLines radio={radio} onChange={setRadio} />
      <p>
        {t("evac.precedence")}: <strong>{label("precedence", chosen)}</strong>
      </p>
      <h4>{t("evac.nine_line")}</h4>
      <pre class="nine-line" translate={false} data-testid="nine-line">
        {text || t("evac.need_position")}
      </pre>
      <SmsSend card={card} position={position} radio={radio} />
        </>
      )}
      <h4>{t("evac.mist")}</h4>
      <pre class="mist" translate={false} data-testid="mist">
        {mist(card)}
      </pre>
    </section>
  );
}

/** What the request says now: its stage, the grid sent (or the new one), the ETA, the vehicle. */
function RequestSummary({ request: r }: { request: RequestState }) {
  const grid = r.redirected?.pickup ?? r.pickup;
  return (
    <div class="request-state" data-testid="request-state">
      <p data-testid="request-status">
        <strong>{stage(r)}</strong>
        {r.state === "pending" && <> · {t("evac.queued")}</>}
        {r.state === "refused" && <> · {t("evac.refused")}</>}
        {(r.casualties ?? 1) > 1 && <> · {t("group.with_others", { n: r.casualties ?? 1 })}</>}
      </p>
      {grid && (
        <p>
          {t("evac.grid_sent")}: <strong translate={false} data-testid="request-grid">{toMgrs(grid)}</strong>
        </p>
      )}
      {r.acknowledged_at && (
        <p data-testid="request-ack">
          {t("evac.acknowledged", { time: localTime(r.acknowledged_at) })}
          {r.eta && <> · {t("evac.eta", { time: localTime(r.eta), dtg: dtg(r.eta) })}</>}
        </p>
      )}
      {r.vehicle && (
        <p>
          {t("evac.vehicle")}: <strong translate={false}>{r.vehicle}</strong>
          {r.eta_pickup && <> · {t("evac.eta", { time: localTime(r.eta_pickup), dtg: dtg(r.eta_pickup) })}</>}
        </p>
      )}
      {r.redirected && (
        <p class="warning" role="alert">
          {t("evac.redirected")}
          {r.redirected.reason && <> · <span translate={false}>{r.redirected.reason}</span></>}
        </p>
      )}
      {r.cancelled && <p class="warning">{t("evac.cancelled")}: <span translate={false}>{r.cancelled}</span></p>}
    </div>
  );
}

/** The open request in place of a new one: its state, and cancel or move it with a reason. */
function OpenRequest({ request }: { request: RequestState }) {
  const [action, setAction] = useState<"cancel" | "redirect" | null>(null);
  const [reason, setReason] = useState("");
  const [grid, setGrid] = useState("");
  const [tried, setTried] = useState(false);
  const reasonBad = tried && !reason.trim();
  const gridBad = tried && action === "redirect" && fromMgrs(grid) === null;
  const choose = (next: "cancel" | "redirect") => {
    setAction(next);
    setTried(false);
    setReason("");
    setGrid(toMgrs(request.redirected?.pickup ?? request.pickup ?? { lat: 0, lon: 0 }));
  };
  const submit = () => {
    setTried(true);
    const why = reason.trim();
    const pickup = fromMgrs(grid);
    // Checked before `once`: a refused first try must not swallow the corrected second.
    if (!why || (action === "redirect" && !pickup)) return;
    void once(`request-${action}:${request.id}`, async () => {
      if (action === "cancel") await emit("request_cancelled", { request_id: request.id, reason: why });
      else await emit("request_redirected", { request_id: request.id, pickup, reason: why });
      setAction(null);
    });
  };
  return (
    <>
      <RequestSummary request={request} />
      <div class="row">
        <button type="button" data-testid="request-redirect" onClick={() => choose("redirect")}>
          {t("evac.change_pickup")}
        </button>
        <button type="button" data-testid="request-cancel" onClick={() => choose("cancel")}>
          {t("evac.cancel_request")}
        </button>
      </div>
      {action && (
        <form
          class="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {action === "redirect" && (
            <label>
              {t("evac.new_pickup")}
              <input value={grid} translate={false} data-testid="redirect-mgrs" aria-invalid={gridBad} onInput={(e) => setGrid((e.target as HTMLInputElement).value)} />
            </label>
          )}
          {gridBad && <p class="error">{t("evac.bad_mgrs")}</p>}
          <label>
            {t("evac.reason")}
            <input
              value={reason}
              data-testid={`${action}-reason`}
              aria-invalid={reasonBad}
              onInput={(e) => setReason((e.target as HTMLInputElement).value)}
            />
          </label>
          {reasonBad && <p class="error">{t("evac.reason_needed")}</p>}
          <div class="row">
            <button type="submit" class="primary" data-testid={`${action}-submit`}>
              {action === "cancel" ? t("evac.cancel_request") : t("evac.change_pickup")}
            </button>
            <button type="button" onClick={() => setAction(null)} data-testid={`${action}-keep`}>
              {/* Not "Cancel" beside "Cancel request": under stress the two read alike. */}
              {t("evac.keep_request")}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
