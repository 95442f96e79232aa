// The vehicle crew's view (issue 17 item 6), phone first and for gloved hands: the mission (the
// pickups in order with their MGRS, the threat windows on the route, the casualties' cards) and
// one big button per step: en route, at pickup, loaded (who is on board), at facility, handed
// over, available. Each tap is one event with a UUID made here, held five seconds with an Undo
// (a wrong tap costs nothing), then written to the outbox like the medic's entries: sent when
// the network allows, stored once however often it is sent. En-route care (vitals, drugs) is
// written on the casualty's own card, the medic's card screen.
import { useEffect, useState } from "preact/hooks";
import { api, session } from "../api";
import { displayName } from "../card";
import { db, type Wire } from "../db";
import { make } from "../events";
import { type LatLon, toMgrs } from "../geo";
import { useLive } from "../hooks";
import { type Key, label, t } from "../i18n";
import { keepHistory } from "../live";
import { usePicture, type Picture } from "../picture";
import { fromServer, type RecordRow, type RequestRecord } from "../remote";
import { closesTo, threatsOnRoute, type ThreatRecord } from "../route";
import { once } from "../tap";
import { localTime } from "../time";
import { defer, usePending } from "../undo";
import { UndoBar } from "../medic/Changes";
import { CasualtyScreen, Outbox } from "./Medic";

/** The steps a crew reports, in order: the mission's, then the vehicle's own "available". */
export const STEPS = ["en_route", "at_pickup", "picked_up", "at_facility", "handed_over", "available"] as const;
type Step = (typeof STEPS)[number];

function place(value: unknown): LatLon | null {
  const p = value as LatLon | null | undefined;
  return p && typeof p.lat === "number" && typeof p.lon === "number" ? p : null;
}

function casualtiesOf(p: Picture, mission: RecordRow): string[] {
  const ids = ((mission.request_ids as string[]) ?? []).flatMap((rid) => (p.requests.find((r) => r.id === rid)?.casualty_ids as string[]) ?? []);
  return [...new Set(ids)];
}

/** The crew's reports made on this phone and not refused: the newest step each says, and when. */
function useLocalSteps(missionId: string | undefined, vehicleId: string | undefined): Wire[] {
  return (
    useLive(async () => {
      if (!missionId || !vehicleId) return [];
      const rows = await db.events.where("stream").anyOf("mission", "vehicle").toArray();
      return rows
        .filter((r) => r.state !== "refused" && (r.stream_id === missionId || (r.stream_id === vehicleId && r.kind === "vehicle_status_changed")))
        .map((r) => r.event);
    }, [missionId, vehicleId]) ?? []
  );
}

interface Done {
  step: Step;
  at: string;
}

/** Where the crew is: the latest step reported (here or on the server) after the assignment. */
export function currentStep(mission: RecordRow, vehicle: RecordRow, local: Wire[], waiting: Wire[]): Done | null {
  const assigned = String(mission.assigned_at ?? "");
  const reports: Done[] = [];
  if (typeof mission.status === "string" && mission.status !== "assigned" && typeof mission.status_at === "string") {
    reports.push({ step: mission.status as Step, at: mission.status_at });
  }
  if (vehicle.status === "available" && typeof vehicle.status_at === "string" && vehicle.status_at > assigned) {
    reports.push({ step: "available", at: vehicle.status_at });
  }
  for (const e of [...local, ...waiting]) {
    const status = String(e.status);
    const step = (e.kind === "vehicle_status_changed" ? (status === "available" ? "available" : null) : status) as Step | null;
    if (step && STEPS.includes(step) && e.occurred_at > assigned) reports.push({ step, at: e.occurred_at });
  }
  reports.sort((a, b) => a.at.localeCompare(b.at) || STEPS.indexOf(a.step) - STEPS.indexOf(b.step));
  return reports.at(-1) ?? null;
}

function Steps({ mission, vehicle, casualties, names }: { mission: RecordRow; vehicle: RecordRow; casualties: string[]; names: Map<string, string> }) {
  const pending = usePending();
  const local = useLocalSteps(mission.id, vehicle.id);
  const waiting = pending.map((p) => p.event).filter((e) => e.mission_id === mission.id || (e.vehicle_id === vehicle.id && e.kind === "vehicle_status_changed"));
  const now = currentStep(mission, vehicle, local, waiting);
  const reached = now ? STEPS.indexOf(now.step) : -1;
  const [aboard, setAboard] = useState<Set<string>>(new Set(casualties));
  useEffect(() => setAboard(new Set(casualties)), [casualties.join(",")]);
  const report = (step: Step) =>
    // One key per step: a bounce repeats the same step; another step after an Undo is meant.
    void once(`crew-step-${mission.id}-${step}`, () => {
      const fields: Record<string, unknown> =
        step === "available" ? { vehicle_id: vehicle.id, status: "available" } : { mission_id: mission.id, status: step };
      if (step === "picked_up") fields.casualty_ids = casualties.filter((c) => aboard.has(c));
      const event = make(step === "available" ? "vehicle_status_changed" : "mission_status_changed", fields);
      defer(event, t("crew.reported", { step: t(`crew.step.${step}` as Key) }));
    });
  const toggle = (id: string) =>
    setAboard((was) => {
      const next = new Set(was);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <section class="crew-steps" aria-labelledby="crew-steps-h">
      <h3 id="crew-steps-h">{t("crew.steps")}</h3>
      <p class="crew-now" data-testid="crew-state" data-step={now?.step ?? "assigned"} role="status">
        {now ? t("crew.state", { step: t(`crew.step.${now.step}` as Key) }) : t("crew.state_assigned")}
      </p>
      <ol>
        {STEPS.map((step, index) => {
          const done = index <= reached;
          const next = index === reached + 1;
          // While a report waits for its Undo, the next one waits too: one step at a time.
          const blocked = waiting.length > 0;
          const none = step === "picked_up" && aboard.size === 0;
          return (
            <li key={step} class={done ? "done" : next ? "next" : ""}>
              {step === "picked_up" && !done && casualties.length > 0 && (
                <fieldset class="aboard">
                  <legend>{t("crew.loaded_which")}</legend>
                  {casualties.map((c) => (
                    <label key={c} class="aboard-item">
                      <input type="checkbox" checked={aboard.has(c)} onChange={() => toggle(c)} data-testid={`aboard-${c}`} />
                      <span translate={false}>{names.get(c) ?? `#${c.slice(0, 4).toUpperCase()}`}</span>
                    </label>
                  ))}
                  {none && <p class="warn">{t("crew.no_casualty_selected")}</p>}
                </fieldset>
              )}
              <button
                type="button"
                class={`huge${next ? " primary" : ""}`}
                data-testid={`crew-step-${step}`}
                aria-pressed={done}
                disabled={done || blocked || none}
                onClick={() => report(step)}
              >
                {done && now && index === reached ? t("crew.step_done", { step: t(`crew.step.${step}` as Key), time: localTime(now.at) }) : t(`crew.step.${step}` as Key)}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** What an area on the route means for this crew's vehicle: closed to it, or passable (at a risk). */
function crewThreatEffect(threat: ThreatRecord, vehicleKind: string): string {
  const parts = [t(closesTo(threat, vehicleKind) ? "crew.threat_closed" : "crew.threat_passable")];
  if (typeof threat.risk === "number" && threat.risk > 0) parts.push(t("coord.threat_risk_shown", { risk: Math.round(threat.risk * 1000) / 10 }));
  return parts.join(" · ");
}

function MissionDetail({ p, mission, vehicle }: { p: Picture; mission: RecordRow; vehicle: RecordRow }) {
  const destination = p.facilities.find((f) => f.id === mission.destination_id) ?? p.points.find((x) => x.id === mission.destination_id);
  const requests = ((mission.request_ids as string[]) ?? []).map((rid) => p.requests.find((r) => r.id === rid)).filter((r): r is RequestRecord => !!r);
  const pickups = requests.map((r) => {
    const point = p.points.find((x) => x.id === r.pickup_point_id);
    return { request: r, name: point ? String(point.name) : null, at: place(point?.position) ?? place(r.pickup) };
  });
  const route = [place(vehicle.position) ?? place(vehicle.base), ...pickups.map((x) => x.at), place(destination?.position)].filter((x): x is LatLon => !!x);
  const threats = threatsOnRoute(route, p.threats as unknown as ThreatRecord[], Date.now());
  const casualties = casualtiesOf(p, mission);
  const names = new Map(casualties.map((c) => [c, p.cards.get(c) ? displayName(fromServer(p.cards.get(c)!)) : `#${c.slice(0, 4).toUpperCase()}`]));
  return (
    <div class="crew-mission" data-testid="crew-mission" data-mission={mission.id}>
      {/* Call sign and facility are names (data), kept apart from the words around them. */}
      <h2>
        <span translate={false}>{String(vehicle.call_sign ?? "")}</span> → <span translate={false}>{String(destination?.name ?? "?")}</span>
      </h2>
      <p class="muted">
        {mission.eta_pickup ? t("crew.eta_pickup", { time: localTime(String(mission.eta_pickup)) }) : null}
        {mission.eta_pickup && mission.eta_destination ? " · " : null}
        {mission.eta_destination ? <span data-testid="crew-eta">{t("crew.eta_destination", { time: localTime(String(mission.eta_destination)) })}</span> : null}
      </p>
      <Steps mission={mission} vehicle={vehicle} casualties={casualties} names={names} />
      <section aria-labelledby="crew-pickups-h">
        <h3 id="crew-pickups-h">{t("crew.pickups")}</h3>
        <ol class="crew-pickups" data-testid="crew-pickups">
          {pickups.map((x) => (
            <li key={x.request.id}>
              <strong translate={false}>{x.at ? toMgrs(x.at, 5) : "?"}</strong>
              {x.name ? <> · <span translate={false}>{x.name}</span></> : null}
              <br />
              <span class="muted">
                {t("crew.pickup_count", { n: ((x.request.casualty_ids as string[]) ?? []).length, precedence: String(x.request.precedence ?? "?") })}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="crew-threats-h">
        <h3 id="crew-threats-h">{t("crew.threats")}</h3>
        {threats.length === 0 ? (
          <p>{t("crew.no_threats")}</p>
        ) : (
          <ul class="crew-threats" data-testid="crew-threats">
            {threats.map((th) => (
              <li key={th.id}>
                <strong>{label("threat", th.threat_kind)}</strong> ·{" "}
                {th.ends_at
                  ? t("crew.threat_window", { from: localTime(String(th.starts_at)), until: localTime(th.ends_at) })
                  : t("crew.threat_open", { from: localTime(String(th.starts_at)) })}
                {" · "}
                <span data-testid="crew-threat-effect">{crewThreatEffect(th, String(vehicle.kind ?? ""))}</span>
                {th.notes ? <> · <span translate={false}>{th.notes}</span></> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="crew-cas-h">
        <h3 id="crew-cas-h">{t("crew.casualties")}</h3>
        <ul class="crew-casualties">
          {casualties.map((c) => {
            const card = p.cards.get(c);
            return (
              <li key={c}>
                <a class="crew-card" href={`#/crew/${c}`} data-testid={`crew-card-${c}`}>
                  <strong translate={false}>{names.get(c)}</strong>
                  {card?.precedence ? <> · {String(card.precedence)}</> : null} · {t("crew.open_card")}
                </a>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}

/** The vehicle's mission now: its newest one not cancelled, until it is reported available. */
function missionOf(p: Picture, vehicle: RecordRow): RecordRow | undefined {
  const mine = p.missions.filter((m) => m.vehicle_id === vehicle.id && m.status !== "cancelled");
  mine.sort((a, b) => String(b.assigned_at ?? "").localeCompare(String(a.assigned_at ?? "")));
  const latest = mine[0];
  if (!latest) return undefined;
  const free = vehicle.status === "available" && String(vehicle.status_at ?? "") > String(latest.status_at ?? latest.assigned_at ?? "");
  return latest.status === "handed_over" && free ? undefined : latest;
}

function MissionScreen() {
  const p = usePicture();
  const unit = session()?.unit_id;
  if (!p.loaded) return <p>{t("app.loading")}</p>;
  const vehicles = p.vehicles.filter((v) => v.unit_id === unit);
  if (vehicles.length === 0) return <p data-testid="crew-none">{t("crew.no_vehicle")}</p>;
  return (
    <div class="crew">
      <Outbox />
      {vehicles.map((v) => {
        const mission = missionOf(p, v);
        return mission ? (
          <MissionDetail key={v.id} p={p} mission={mission} vehicle={v} />
        ) : (
          <p key={v.id} data-testid="crew-none">
            {t("crew.none", { vehicle: String(v.call_sign ?? "") })}
          </p>
        );
      })}
    </div>
  );
}

/** A carried casualty's card: its history read once from the server (it was written before the
 *  mission linked it to this crew), then the medic's card screen for en-route care. */
function CrewCard({ id }: { id: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    api<{ history: Wire[] }>(`/api/v1/casualties/${id}`)
      .then((r) => keepHistory(r.history))
      .catch(() => undefined) // offline: the copy on this phone is shown
      .finally(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [id]);
  if (!ready) return <p>{t("app.loading")}</p>;
  return <CasualtyScreen id={id} back="#/crew" backLabel={t("crew.back")} />;
}

export function Crew({ route }: { route: string }) {
  const id = route.split("/")[2];
  return (
    <>
      {id ? <CrewCard id={id} /> : <MissionScreen />}
      <UndoBar />
    </>
  );
}
