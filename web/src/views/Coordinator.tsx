// The coordinator's view (laptop): the live map, the request queue sorted by precedence and
// waiting time with tourniquet clocks and overdue requests flagged, vehicle assignment, and
// threat areas with their time windows (draw, edit, expire). Loaded only in this view.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, session } from "../api";
import { clock, displayName } from "../card";
import { emit, uuid } from "../events";
import { fromMgrs, toMgrs } from "../geo";
import { lineCounts } from "../group";
import { useNow } from "../hooks";
import { currentLang, hoursMinutes, type Key, label, t } from "../i18n";
import { CLOSED_REQUESTS, liveCasualties, located } from "../map/chain";
import { MapView } from "../map/MapView";
import { assign } from "../missions";
import { usePicture, type Picture } from "../picture";
import { planRoutes } from "../plan";
import { fromServer, PRECEDENCE_LIMIT_MS, PRECEDENCE_ORDER, type RecordRow } from "../remote";
import { findCasualties } from "../search";
import { dtg, duration, localDateTime, localTime } from "../time";
import { CardPanel } from "./CardPanel";
import { NodeLinks } from "./NodeLinks";
import { PlanPanel, usePlan } from "./PlanPanel";
import { VehicleStates } from "./Vehicles";

/** A dictionary text with its placeholders filled by data (call signs, date-time groups), each
 * marked as not to be translated. */
function withData(key: Key, params: Record<string, string>) {
  // split() with a capturing group puts the placeholders' names at the odd places.
  return t(key)
    .split(/\{(\w+)\}/)
    .map((part, i) =>
      i % 2 === 1 ? (
        <span key={i} translate={false}>
          {params[part] ?? ""}
        </span>
      ) : (
        part
      ),
    );
}

function missionFor(p: Picture, requestId: string): RecordRow | undefined {
  return p.missions.find((m) => ((m.request_ids as string[]) ?? []).includes(requestId) && m.status !== "cancelled");
}

/** The minutes from now to a moment, rounded up, at least 1. */
function minutesTo(iso: string, now: number): string {
  return String(Math.max(1, Math.ceil((Date.parse(iso) - now) / 60_000)));
}

/** Whether a facility takes casualties now, as the server judges it (domain/operations/facility.py):
 * one that never reported a status is open. */
function receiving(f: RecordRow): boolean {
  return f.status !== "diverting" && f.status !== "closed";
}

interface Eta {
  depart_at: string;
  eta_pickup: string;
  eta_destination: string;
  threat_wait_min: number;
}

function Assign({ p, request, onDone }: { p: Picture; request: RecordRow; onDone: () => void }) {
  const vehicles = p.vehicles.slice().sort((a, b) => Number(b.status === "available") - Number(a.status === "available"));
  const [vehicle, setVehicle] = useState(String(vehicles[0]?.id ?? ""));
  // A diverting or closed facility takes no casualties: the server refuses a mission to one
  // (check_receiving), so the form marks them, offers them last and cannot send to them.
  const facilities = p.facilities.slice().sort((a, b) => Number(!receiving(a)) - Number(!receiving(b)));
  const open = facilities.filter(receiving);
  const [destination, setDestination] = useState(String(open.find((f) => f.operating_tables_free)?.id ?? open[0]?.id ?? ""));
  const chosen = p.facilities.find((f) => f.id === destination);
  const refused = chosen && !receiving(chosen) ? chosen : null;
  // The ETAs come from the planner's travel model (GET /api/v1/plan/eta, threat windows
  // included) for the vehicle and destination chosen; the coordinator may change them.
  const [pickupMin, setPickupMin] = useState("");
  const [destMin, setDestMin] = useState("");
  const [edited, setEdited] = useState(false);
  const [eta, setEta] = useState<Eta | null>(null);
  const [etaState, setEtaState] = useState<"loading" | "ready" | "none">("loading");
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (!vehicle || !destination) return;
    let alive = true;
    setEtaState("loading");
    const query = new URLSearchParams({ vehicle_id: vehicle, request_id: request.id, destination_id: destination });
    api<Eta>(`/api/v1/plan/eta?${query}`)
      .then((e) => {
        if (!alive) return;
        setEta(e);
        setEtaState("ready");
        if (!edited) {
          setPickupMin(minutesTo(e.eta_pickup, Date.now()));
          setDestMin(minutesTo(e.eta_destination, Date.now()));
        }
      })
      .catch(() => {
        if (!alive) return;
        setEta(null);
        setEtaState("none");
      });
    return () => {
      alive = false;
    };
  }, [vehicle, destination, request.id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!pickupMin || !destMin || refused || !destination) return;
    const s = session()!;
    const now = Date.now();
    const etaPickup = new Date(now + Number(pickupMin) * 60_000).toISOString();
    const etaDestination = new Date(now + Number(destMin) * 60_000).toISOString();
    await assign({
      mission_id: uuid(),
      vehicle_id: vehicle,
      request_ids: [request.id],
      destination_id: destination,
      unit_id: s.unit_id,
      eta_pickup: etaPickup,
      eta_destination: etaDestination,
      reason: reason.trim() || null,
    });
    onDone();
  };
  return (
    <form class="assign" onSubmit={(e) => void submit(e)} data-testid="assign-form">
      <label>
        {t("coord.vehicle")}
        <select value={vehicle} onChange={(e) => setVehicle((e.target as HTMLSelectElement).value)} data-testid="assign-vehicle">
          {vehicles.map((v) => (
            <option key={v.id} value={v.id} translate={false}>
              {String(v.call_sign)} · {label("vehicle_status", v.status)} · {t("coord.capacity", { l: Number(v.litter), s: Number(v.seated) })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("coord.destination")}
        <select value={destination} onChange={(e) => setDestination((e.target as HTMLSelectElement).value)} data-testid="assign-destination">
          {!open.length && <option value="">{t("coord.no_receiving")}</option>}
          {facilities.map((f) =>
            receiving(f) ? (
              <option key={f.id} value={f.id} translate={false}>
                {String(f.name)} · {t("fac.beds_short", { n: Number(f.beds_free ?? 0) })} · {t("fac.tables_short", { n: Number(f.operating_tables_free ?? 0) })}
              </option>
            ) : (
              <option key={f.id} value={f.id} disabled data-status={String(f.status)}>
                {`${String(f.name)} · ${label("fac_status", f.status).toUpperCase()}${f.status_reason ? ` (${String(f.status_reason)})` : ""} · ${t("coord.not_receiving")}`}
              </option>
            ),
          )}
        </select>
      </label>
      {refused && (
        <p class="error" role="alert" data-testid="assign-destination-refused">
          {t("coord.destination_refused", { name: String(refused.name), status: label("fac_status", refused.status) })}
        </p>
      )}
      <p class="muted" aria-live="polite" data-testid="assign-eta-source">
        {etaState === "loading" && t("coord.eta_loading")}
        {etaState === "ready" && eta && (
          <>
            {t("coord.eta_from_model")}
            {eta.threat_wait_min >= 1 ? <> · {t("coord.eta_threat_wait", { time: hoursMinutes(eta.threat_wait_min * 60_000) })}</> : null}
          </>
        )}
        {etaState === "none" && t("coord.eta_none")}
      </p>
      <label>
        {t("coord.eta_pickup_min")}
        <input
          type="number"
          min="1"
          max="1440"
          required
          value={pickupMin}
          data-testid="assign-eta-pickup"
          onInput={(e) => {
            setEdited(true);
            setPickupMin((e.target as HTMLInputElement).value);
          }}
        />
      </label>
      <label>
        {t("coord.eta_destination_min")}
        <input
          type="number"
          min="1"
          max="2880"
          required
          value={destMin}
          data-testid="assign-eta-destination"
          onInput={(e) => {
            setEdited(true);
            setDestMin((e.target as HTMLInputElement).value);
          }}
        />
      </label>
      <label>
        {t("coord.reason")}
        <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="primary" data-testid="assign-submit" disabled={etaState === "loading" || !!refused || !destination}>
        {t("coord.assign")}
      </button>
    </form>
  );
}

/** Move a request's pickup (issue 17 item 5): a request_redirected event with the new grid and
 * why; the medic's phone shows "Pickup point changed" and the planner collects there. */
function Redirect({ request, onDone }: { request: RecordRow; onDone: () => void }) {
  const [grid, setGrid] = useState(toMgrs(request.pickup as { lat: number; lon: number }));
  const [reason, setReason] = useState("");
  const [tried, setTried] = useState(false);
  const pickup = fromMgrs(grid);
  const gridBad = tried && pickup === null;
  const reasonBad = tried && !reason.trim();
  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (!pickup || !reason.trim()) return;
    await emit("request_redirected", { request_id: request.id, pickup, reason: reason.trim() });
    onDone();
  };
  return (
    <form class="assign" onSubmit={(e) => void submit(e)} data-testid="redirect-form">
      <label>
        {t("evac.new_pickup")}
        <input value={grid} translate={false} data-testid="redirect-mgrs" aria-invalid={gridBad} onInput={(e) => setGrid((e.target as HTMLInputElement).value)} />
      </label>
      {gridBad && <p class="error">{t("evac.bad_mgrs")}</p>}
      <label>
        {t("evac.reason")}
        <input value={reason} data-testid="redirect-reason" aria-invalid={reasonBad} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </label>
      {reasonBad && <p class="error">{t("evac.reason_needed")}</p>}
      <div class="row">
        <button type="submit" class="primary" data-testid="redirect-submit">
          {t("common.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Find a casualty by short id ("#DEC8"), name or unit, and open their card. */
function Search({ p, onCard }: { p: Picture; onCard: (id: string) => void }) {
  const [query, setQuery] = useState("");
  const found = useMemo(() => findCasualties(p.cards.values(), query), [query, p.version]);
  return (
    <section class="search" aria-labelledby="search-h">
      <h2 id="search-h">{t("coord.search")}</h2>
      <label>
        {t("coord.search_hint")}
        <input type="search" value={query} data-testid="casualty-search" onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
      </label>
      {query.trim() && (
        <ul data-testid="search-results" aria-live="polite">
          {found.length === 0 && <li>{t("coord.search_none")}</li>}
          {found.map((c) => {
            const card = fromServer(c);
            const unit = (c.identity as Record<string, unknown> | undefined)?.unit;
            return (
              <li key={c.casualty_id}>
                <button type="button" data-testid="search-result" onClick={() => onCard(c.casualty_id)}>
                  <span translate={false}>
                    {displayName(card)} · #{c.casualty_id.slice(0, 4).toUpperCase()}
                    {typeof unit === "string" ? ` · ${unit}` : ""}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Lines 3 and 5 of the request as filed: how many patients, by precedence and by litter. */
function QueueCounts({ text }: { text: unknown }) {
  const counts = lineCounts(text);
  if (!counts || counts.total === 0) return null;
  return (
    <div class="queue-counts" data-testid="queue-counts">
      {t("group.patients", { n: counts.total })}
      {" · "}
      {Object.entries(counts.byPrecedence)
        .filter(([, n]) => n > 0)
        .map(([code, n]) => `${label("precedence", code)}: ${n}`)
        .join(", ")}
      {" · "}
      {t("group.line5", { l: counts.litter, a: counts.ambulatory })}
    </div>
  );
}

function Queue({ p, now, onCard }: { p: Picture; now: number; onCard: (id: string) => void }) {
  const [assigning, setAssigning] = useState<string | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const open = p.requests.filter((r) => !CLOSED_REQUESTS.has(String(r.status)) && !["handed_over"].includes(String(missionFor(p, r.id)?.status)));
  const sorted = open.sort(
    (a, b) =>
      PRECEDENCE_ORDER.indexOf(String(a.precedence)) - PRECEDENCE_ORDER.indexOf(String(b.precedence)) ||
      String(a.filed_at).localeCompare(String(b.filed_at)),
  );
  return (
    <section class="queue" aria-labelledby="queue-h">
      <h2 id="queue-h">{t("coord.queue", { n: sorted.length })}</h2>
      <ol data-testid="queue">
        {sorted.map((r) => {
          const waited = now - Date.parse(String(r.filed_at));
          const limit = PRECEDENCE_LIMIT_MS[String(r.precedence)];
          const mission = missionFor(p, r.id);
          const overdue = !mission && limit !== undefined && waited > limit;
          const cards = ((r.casualty_ids as string[]) ?? []).map((id) => p.cards.get(id)).filter(Boolean);
          const clocks = cards.flatMap((c) => fromServer(c!).tourniquets.filter((x) => !x.ended_at).map((x) => clock(x, now)));
          const worst = clocks.sort((a, b) => b.elapsed - a.elapsed)[0];
          return (
            <li key={r.id} class={`request prec-${r.precedence} ${overdue ? "overdue" : ""}`} data-testid="queue-item">
              <div class="row">
                <span class={`badge prec prec-${r.precedence}`}>{String(r.precedence)}</span>
                <span>{label("precedence", r.precedence)}</span>
                <span title={t("coord.waiting")}>
                  {t("coord.waiting")} {duration(waited)}
                </span>
                {overdue && <strong class="flag">{t("coord.overdue")}</strong>}
                {worst && (
                  <strong class={`flag tq-${worst.alert}`}>
                    {t("tq.short")} {hoursMinutes(worst.elapsed)}
                  </strong>
                )}
              </div>
              <div class="muted" translate={false}>
                {toMgrs(r.pickup as { lat: number; lon: number }, 4)} · {dtg(String(r.filed_at))}
              </div>
              {Array.isArray(r.redirects) && r.redirects.length > 0 && (
                <div class="muted" data-testid="queue-redirected">{t("evac.redirected")}</div>
              )}
              <QueueCounts text={r.nine_line} />
              {r.dated_on_receipt === true && (
                <div class="muted" data-testid="dated-on-receipt">{t("coord.dated_on_receipt")}</div>
              )}
              <div class="row">
                {((r.casualty_ids as string[]) ?? []).map((id) => {
                  const c = p.cards.get(id);
                  return (
                    <button key={id} type="button" onClick={() => onCard(id)} data-testid="open-card">
                      {t("coord.card")}: <span translate={false}>{c ? displayName(fromServer(c)) : id.slice(0, 6)}</span>
                    </button>
                  );
                })}
              </div>
              {moving === r.id ? (
                <Redirect request={r} onDone={() => setMoving(null)} />
              ) : (
                <button type="button" onClick={() => setMoving(r.id)} data-testid="redirect">
                  {t("evac.change_pickup")}
                </button>
              )}
              {mission ? (
                <p>
                  {withData("coord.assigned", { vehicle: String(p.vehicles.find((v) => v.id === mission.vehicle_id)?.call_sign ?? "?") })}
                  {mission.eta_pickup ? <> · {withData("evac.eta", { time: localTime(String(mission.eta_pickup)), dtg: dtg(String(mission.eta_pickup)) })}</> : null}
                  {" · "}
                  {label("mission_status", mission.status)}
                </p>
              ) : assigning === r.id ? (
                <Assign p={p} request={r} onDone={() => setAssigning(null)} />
              ) : (
                <button type="button" class="primary" onClick={() => setAssigning(r.id)} data-testid="assign">
                  {t("coord.assign_vehicle")}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** A polygon's corners as typed or clicked, one MGRS grid a line (blank lines skipped): the
 * positions, or the first problem: the number of a line that is no grid, or line 0 for too few or
 * too many corners. */
export function readCorners(text: string): { corners: { lat: number; lon: number }[]; problem: { line: number } | null } {
  const corners: { lat: number; lon: number }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const at = fromMgrs(lines[i]);
    if (!at) return { corners, problem: { line: i + 1 } };
    corners.push(at);
  }
  return { corners, problem: corners.length < 3 || corners.length > MAX_CORNERS ? { line: 0 } : null };
}

const THREAT_KINDS = ["shelling", "cluster_munitions", "mines", "direct_fire", "drones", "other"];
/** The vehicle kinds an area may close to (the server's VehicleKind); all ticked: every kind. */
const VEHICLE_KINDS = ["ground_ambulance", "armoured_evacuation", "helicopter", "boat"];

/** An area's effect as the list shows it: the kinds it closes to (all: nothing said), its risk. */
function threatEffect(r: RecordRow): string {
  const stops = r.stops as string[] | null | undefined;
  const parts: string[] = [];
  if (Array.isArray(stops) && stops.length === 0) parts.push(t("coord.threat_risk_only"));
  else if (Array.isArray(stops) && stops.length < VEHICLE_KINDS.length) parts.push(t("coord.threat_closed_to", { kinds: VEHICLE_KINDS.filter((k) => stops.includes(k)).map((k) => label("vkind", k)).join(", ") }));
  if (typeof r.risk === "number" && r.risk > 0) parts.push(t("coord.threat_risk_shown", { risk: Math.round(r.risk * 1000) / 10 }));
  return parts.join(" · ");
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The most corners the server takes in a threat polygon (domain MAX_POLYGON_POINTS). */
const MAX_CORNERS = 200;

interface Draft {
  area_id: string;
  /** A circle (centre and radius) or a polygon (its corners as MGRS grids, one a line). */
  shape: "circle" | "polygon";
  centre: { lat: number; lon: number } | null;
  radius: string;
  corners: string;
  kind: string;
  starts: string;
  ends: string;
  notes: string;
  /** The vehicle kinds the area closes to; none: it only raises the risk. */
  stops: string[];
  /** The chance, in percent, that a casualty aboard is lost on each pass while it is open. */
  risk: string;
}

function Threats({ p, now, draft, setDraft }: { p: Picture; now: number; draft: Draft | null; setDraft: (d: Draft | null) => void }) {
  const start = () =>
    setDraft({ area_id: uuid(), shape: "circle", centre: null, radius: "1000", corners: "", kind: "shelling", starts: toLocalInput(new Date().toISOString()), ends: toLocalInput(new Date(now + 3 * 3600_000).toISOString()), notes: "", stops: [...VEHICLE_KINDS], risk: "0" });
  const edit = (r: RecordRow) =>
    setDraft({
      area_id: r.id,
      shape: r.polygon ? "polygon" : "circle",
      centre: (r.centre as { lat: number; lon: number }) ?? null,
      radius: String(r.radius_m ?? 1000),
      corners: ((r.polygon as { lat: number; lon: number }[] | null) ?? []).map((c) => toMgrs(c, 5)).join("\n"),
      kind: String(r.threat_kind),
      starts: toLocalInput(String(r.starts_at)),
      ends: r.ends_at ? toLocalInput(String(r.ends_at)) : "",
      notes: String(r.notes ?? ""),
      stops: Array.isArray(r.stops) ? (r.stops as string[]) : [...VEHICLE_KINDS],
      risk: typeof r.risk === "number" ? String(Math.round(r.risk * 1000) / 10) : "0",
    });
  const polygon = draft?.shape === "polygon" ? readCorners(draft.corners) : null;
  const risk = draft ? Number(draft.risk || "0") : 0;
  const riskBad = !Number.isFinite(risk) || risk < 0 || risk > 100;
  // An area that closes to no vehicle and carries no risk would change nothing: not saved.
  const noEffect = draft ? draft.stops.length === 0 && !(risk > 0) : false;
  const ready = draft && !riskBad && !noEffect ? (draft.shape === "circle" ? draft.centre !== null : polygon!.problem === null) : false;
  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft || !ready) return;
    const shape = draft.shape === "circle" ? { centre: draft.centre, radius_m: Number(draft.radius) } : { polygon: polygon!.corners };
    await emit("threat_area_drawn", {
      area_id: draft.area_id,
      threat_kind: draft.kind,
      unit_id: session()!.unit_id,
      starts_at: new Date(draft.starts).toISOString(),
      ends_at: draft.ends ? new Date(draft.ends).toISOString() : null,
      ...shape,
      notes: draft.notes.trim() || null,
      // Every kind ticked: said as none listed (null), which also closes to kinds added later.
      stops: draft.stops.length === VEHICLE_KINDS.length ? null : VEHICLE_KINDS.filter((k) => draft.stops.includes(k)),
      risk: risk > 0 ? risk / 100 : null,
    });
    setDraft(null);
  };
  return (
    <section class="threats" aria-labelledby="thr-h">
      <h2 id="thr-h">{t("coord.threats")}</h2>
      <ul>
        {p.threats.map((r) => {
          const ended = Boolean(r.withdrawn_at) || (r.ends_at ? Date.parse(String(r.ends_at)) <= now : false);
          return (
            <li key={r.id} class={ended ? "ended" : ""} data-area={r.id}>
              {label("threat", r.threat_kind)} · {localDateTime(String(r.starts_at))}–{r.ends_at ? localDateTime(String(r.ends_at)) : "…"}{" "}
              {threatEffect(r) ? <span data-testid="threat-effect"> · {threatEffect(r)} </span> : null}
              {ended ? <em>{t("coord.expired")}</em> : null}
              {!ended && (
                <>
                  <button type="button" onClick={() => edit(r)}>
                    {t("common.edit")}
                  </button>
                  <button type="button" onClick={() => void emit("threat_area_withdrawn", { area_id: r.id })}>
                    {t("coord.expire")}
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {!draft && (
        <button type="button" onClick={start} data-testid="draw-threat">
          {t("coord.draw_threat")}
        </button>
      )}
      {draft && (
        <form onSubmit={(e) => void save(e)} class="threat-form" data-testid="threat-form">
          <fieldset class="threat-shape">
            <legend>{t("coord.threat_shape")}</legend>
            {(["circle", "polygon"] as const).map((shape) => (
              <label key={shape} class="inline">
                <input type="radio" name="threat-shape" value={shape} checked={draft.shape === shape} data-testid={`threat-shape-${shape}`} onChange={() => setDraft({ ...draft, shape })} />
                {t(shape === "circle" ? "coord.shape_circle" : "coord.shape_polygon")}
              </label>
            ))}
          </fieldset>
          {draft.shape === "circle" ? (
            <p data-testid="threat-centre">{draft.centre ? <span translate={false}>{toMgrs(draft.centre, 4)}</span> : t("coord.click_map")}</p>
          ) : (
            <>
              <p class="muted">{t("coord.click_corners")}</p>
              <label>
                {t("coord.corners")}
                <textarea
                  rows={4}
                  translate={false}
                  value={draft.corners}
                  data-testid="threat-corners"
                  aria-invalid={polygon!.problem !== null && draft.corners.trim() !== ""}
                  onInput={(e) => setDraft({ ...draft, corners: (e.target as HTMLTextAreaElement).value })}
                />
              </label>
              <p class={polygon!.problem && polygon!.problem.line ? "error" : "muted"} aria-live="polite" data-testid="threat-corners-state">
                {polygon!.problem
                  ? polygon!.problem.line
                    ? t("coord.corner_bad", { n: polygon!.problem.line })
                    : t("coord.corners_needed", { n: polygon!.corners.length, max: MAX_CORNERS })
                  : t("coord.corners_count", { n: polygon!.corners.length })}
              </p>
              <div class="row">
                <button type="button" data-testid="threat-corner-undo" disabled={!draft.corners.trim()} onClick={() => setDraft({ ...draft, corners: draft.corners.trimEnd().split("\n").slice(0, -1).join("\n") })}>
                  {t("coord.corner_undo")}
                </button>
              </div>
            </>
          )}
          <label>
            {t("coord.threat_kind")}
            <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: (e.target as HTMLSelectElement).value })}>
              {THREAT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {label("threat", k)}
                </option>
              ))}
            </select>
          </label>
          <fieldset class="threat-stops" data-testid="threat-stops">
            <legend>{t("coord.threat_stops")}</legend>
            {VEHICLE_KINDS.map((k) => (
              <label key={k} class="inline">
                <input
                  type="checkbox"
                  checked={draft.stops.includes(k)}
                  data-testid={`threat-stops-${k}`}
                  onChange={(e) => setDraft({ ...draft, stops: (e.target as HTMLInputElement).checked ? [...draft.stops, k] : draft.stops.filter((s) => s !== k) })}
                />
                {label("vkind", k)}
              </label>
            ))}
          </fieldset>
          <label>
            {t("coord.threat_risk")}
            <input type="number" min="0" max="100" step="0.1" value={draft.risk} data-testid="threat-risk" aria-invalid={riskBad} onInput={(e) => setDraft({ ...draft, risk: (e.target as HTMLInputElement).value })} />
          </label>
          {riskBad || noEffect ? (
            <p class="error" aria-live="polite" data-testid="threat-effect-problem">
              {t(riskBad ? "coord.threat_risk_bad" : "coord.threat_no_effect")}
            </p>
          ) : draft.stops.length === 0 ? (
            <p class="muted" data-testid="threat-effect-note">
              {t("coord.threat_risk_only_note")}
            </p>
          ) : null}
          {draft.shape === "circle" && (
            <label>
              {t("coord.radius")}
              <input type="number" min="1" max="50000" value={draft.radius} onInput={(e) => setDraft({ ...draft, radius: (e.target as HTMLInputElement).value })} />
            </label>
          )}
          <label>
            {t("coord.starts")}
            <input type="datetime-local" value={draft.starts} onInput={(e) => setDraft({ ...draft, starts: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            {t("coord.ends")}
            <input type="datetime-local" value={draft.ends} onInput={(e) => setDraft({ ...draft, ends: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            {t("coord.notes")}
            <input value={draft.notes} onInput={(e) => setDraft({ ...draft, notes: (e.target as HTMLInputElement).value })} />
          </label>
          <div class="row">
            <button type="submit" class="primary" disabled={!ready} data-testid="threat-save">
              {t("common.save")}
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** A click on the map while drawing: the circle's centre, or the polygon's next corner. */
function clicked(draft: Draft, lat: number, lon: number): Draft {
  const at = { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 };
  if (draft.shape === "circle") return { ...draft, centre: at };
  const grid = toMgrs(at, 5);
  return { ...draft, corners: draft.corners.trim() ? `${draft.corners.trimEnd()}\n${grid}` : grid };
}

/** The area being drawn, shown on the map before it is saved: the polygon's corners and outline
 * (closed once it has three), or the circle. */
function draftShape(draft: Draft): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  if (draft.shape === "circle") {
    if (draft.centre) features.push({ type: "Feature", geometry: { type: "Point", coordinates: [draft.centre.lon, draft.centre.lat] }, properties: { radius_m: Number(draft.radius) || 0 } });
    return { type: "FeatureCollection", features };
  }
  const corners = readCorners(draft.corners).corners.map((c) => [c.lon, c.lat]);
  for (const c of corners) features.push({ type: "Feature", geometry: { type: "Point", coordinates: c }, properties: {} });
  if (corners.length >= 2) {
    features.push({ type: "Feature", geometry: { type: "LineString", coordinates: corners.length >= 3 ? [...corners, corners[0]] : corners }, properties: {} });
  }
  return { type: "FeatureCollection", features };
}

export default function Coordinator() {
  const p = usePicture();
  const now = useNow();
  const [card, setCard] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  // The count says what the map draws: a live casualty with no position yet is named apart.
  const [onMap, unplaced] = useMemo(() => {
    const live = liveCasualties(p);
    const drawn = live.filter(located).length;
    return [drawn, live.length - drawn];
  }, [p.version]);
  const drawing = useMemo(() => (draft ? draftShape(draft) : undefined), [draft]);
  const plan = usePlan(p);
  const [selected, setSelected] = useState<string | null>(null);
  const routes = useMemo(() => planRoutes(plan.plan, p, selected), [plan.plan, p.version, selected]);
  const pick = (kind: string, id: string) => {
    if (kind === "casualties") setCard(id);
    if (kind === "requests") setCard(String((p.requests.find((r) => r.id === id)?.casualty_ids as string[])?.[0] ?? ""));
  };
  return (
    <div class="coordinator">
      <MapView
        key={currentLang()}
        picture={p}
        now={now}
        onPick={pick}
        routes={routes}
        onMapClick={draft ? (lat, lon) => setDraft(clicked(draft, lat, lon)) : undefined}
        draft={drawing}
      />
      <div class="side">
        <NodeLinks />
        {!p.loaded && <p>{p.error ? t("coord.unreachable") : t("app.loading")}</p>}
        {p.loaded && !p.complete && <p class="muted" data-testid="loading-older">{t("picture.loading_older")}</p>}
        <p class="muted" data-testid="map-count">
          {t("coord.counts", { c: onMap, v: p.vehicles.length })}
          {unplaced > 0 && <span data-testid="map-unplaced"> · {t("coord.unplaced", { n: unplaced })}</span>}
        </p>
        <Queue p={p} now={now} onCard={setCard} />
        <Search p={p} onCard={setCard} />
        <PlanPanel state={plan} p={p} now={now} onSelect={setSelected} />
        <VehicleStates vehicles={p.vehicles} missions={p.missions} facilities={p.facilities} />
        <Threats p={p} now={now} draft={draft} setDraft={setDraft} />
      </div>
      {card && <CardPanel id={card} onClose={() => setCard(null)} modal />}
    </div>
  );
}
