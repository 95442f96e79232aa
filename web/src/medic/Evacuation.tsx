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
import { mist, nineLine, onLitter } from "../medevac";
import { dtg, localTime } from "../time";
import { once } from "../tap";
import { precedence } from "../triage";
import { SmsSend } from "./SmsSend";
import { usePosition } from "../views/Medic";
import { TEXT_MAX } from "./lists";

interface RequestState {
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
    }
  }
  return r;
}

function useRequests(card: Card): RequestState[] | undefined {
  const ids = card.evacuations.map((e) => String(e.request_id));
  return useLive(async () => {
    const vehicles = new Map<string, string>();
    for (const v of await db.events.where("kind").equals("vehicle_registered").toArray()) {
      vehicles.set(String(v.event.vehicle_id), String(v.event.call_sign));
    }
    const missions = await db.events.where("kind").equals("mission_assigned").toArray();
    const out = [];
    for (const id of [...new Set(ids)]) {
      const events = await db.events.where("[stream+stream_id]").equals(["request", id]).toArray();
      const serving = missions.filter((m) => ((m.event.request_ids as string[]) ?? []).includes(id));
      out.push(requestState(id, [...events, ...serving], vehicles));
    }
    return out;
  }, [ids.join()]);
}

export function Evacuation({ card }: { card: Card }) {
  const fix = usePosition();
  const [typed, setTyped] = useState("");
  const [radio, setRadio] = useState({ frequency: "38.900 MHZ", callSign: "KALYNA 21", security: "E", marking: "D" });
  const requests = useRequests(card);
  const position: LatLon | null = fromMgrs(typed) ?? card.position ?? (fix ? { lat: fix.lat, lon: fix.lon } : null);
  useEffect(() => {
    if (!typed && position) setTyped(toMgrs(position));
  }, [position?.lat, position?.lon]);
  const typedValid = !typed || fromMgrs(typed) !== null;
  const suggested = precedence(card).category ?? "C";
  const chosen = String(card.triage.precedence?.category ?? suggested);
  const text = position ? nineLine([card], position, radio) : "";
  const request = async () => {
    if (!position) return;
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
  };
  return (
    <section class="panel" aria-labelledby="evac-h">
      <h3 id="evac-h">{t("evac.title")}</h3>
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
      {!typedValid && <p class="error">{t("evac.bad_mgrs")}</p>}
      <p class="muted">
        {fix ? t("evac.gps", { m: Math.round(fix.accuracy) }) : t("evac.no_gps")}
        {fix && (
          <button type="button" onClick={() => setTyped(toMgrs(fix))}>
            {t("evac.use_gps")}
          </button>
        )}
      </p>
      <div class="row">
        <label>
          {t("evac.frequency")}
          <input value={radio.frequency} maxLength={TEXT_MAX} translate={false} onInput={(e) => setRadio({ ...radio, frequency: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("evac.call_sign")}
          <input value={radio.callSign} maxLength={TEXT_MAX} translate={false} onInput={(e) => setRadio({ ...radio, callSign: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("evac.security")}
          <select value={radio.security} onChange={(e) => setRadio({ ...radio, security: (e.target as HTMLSelectElement).value })}>
            {["N", "P", "E", "X"].map((v) => (
              <option key={v} value={v}>
                {label("security", v)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("evac.marking")}
          <select value={radio.marking} onChange={(e) => setRadio({ ...radio, marking: (e.target as HTMLSelectElement).value })}>
            {["A", "B", "C", "D", "E"].map((v) => (
              <option key={v} value={v}>
                {label("marking", v)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p>
        {t("evac.precedence")}: <strong>{label("precedence", chosen)}</strong>
      </p>
      <h4>{t("evac.nine_line")}</h4>
      <pre class="nine-line" translate={false} data-testid="nine-line">
        {text || t("evac.need_position")}
      </pre>
      <button type="button" class="huge primary" disabled={!position} data-testid="request-medevac" onClick={() => void once(`medevac:${card.casualty_id}`, request)}>
        {t("evac.request")}
      </button>
      <SmsSend card={card} position={position} radio={radio} />
      {(requests ?? []).map((r) => (
        <div key={r.id} class="request-state" data-testid="request-state">
          <p>
            {r.state === "pending" ? t("evac.queued") : r.state === "refused" ? t("evac.refused") : t("evac.sent")}
          </p>
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
              {t("evac.redirected")}: <strong translate={false}>{toMgrs(r.redirected.pickup)}</strong>
              {r.redirected.reason && <> · <span translate={false}>{r.redirected.reason}</span></>}
            </p>
          )}
          {r.cancelled && <p class="warning">{t("evac.cancelled")}: <span translate={false}>{r.cancelled}</span></p>}
        </div>
      ))}
      <h4>{t("evac.mist")}</h4>
      <pre class="mist" translate={false} data-testid="mist">
        {mist(card)}
      </pre>
    </section>
  );
}
