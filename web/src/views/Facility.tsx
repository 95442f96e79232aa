// The receiving facility's board: incoming casualties with ETA, precedence, MIST and the card;
// arrival and handover in one tap; beds and operating tables free, editable.
import { useEffect, useState } from "preact/hooks";
import { api, session } from "../api";
import { clock, displayName } from "../card";
import type { Wire } from "../db";
import { emit, uuid } from "../events";
import { useNow } from "../hooks";
import { hoursMinutes, label, t } from "../i18n";
import { usePicture, type Picture } from "../picture";
import { fromServer, PRECEDENCE_ORDER, type RecordRow, type ServerCard } from "../remote";
import { dtg, duration, fromTimeInput, localTime, nowIso, toTimeInput } from "../time";
import { chime } from "../chime";
import { CardPanel } from "./CardPanel";
import { NodeLinks } from "./NodeLinks";

function Mist({ id }: { id: string }) {
  const [text, setText] = useState("");
  useEffect(() => {
    api<{ text: string }>(`/api/v1/casualties/${id}/mist`)
      .then((r) => setText(r.text))
      .catch(() => setText(""));
  }, [id]);
  return text ? (
    <pre class="mist" translate={false}>
      {text}
    </pre>
  ) : null;
}

/** The figures a facility reports, as EMResource keeps them (the server's CAPACITY_FIGURES). */
const FIGURES = [
  "beds_free", "icu_beds_free", "ward_beds_free", "operating_tables_free", "surgical_teams_free",
  "blood_whole_units", "blood_red_cells_units", "blood_plasma_units", "blood_platelets_units",
] as const;
type Figure = (typeof FIGURES)[number];
const SPECIALTIES = ["neurosurgery", "burns", "paediatrics"] as const;
const STATUSES = ["open", "diverting", "closed"] as const;

function figuresOf(facility: RecordRow): Record<Figure, number | null> {
  return Object.fromEntries(FIGURES.map((f) => [f, facility[f] == null ? null : Number(facility[f])])) as Record<Figure, number | null>;
}

/** When a figure was last reported, or nothing if it never was. */
function Updated({ at }: { at: unknown }) {
  return at ? <span class="muted updated">{t("fac.updated_at", { time: localTime(String(at)) })}</span> : <span class="muted updated">{t("fac.never_reported")}</span>;
}

/** Open, diverting or closed, with a reason; the planner and assignments follow it. */
function Status({ facility }: { facility: RecordRow }) {
  const current = String(facility.status ?? "open");
  const [status, setStatus] = useState(current);
  const [reason, setReason] = useState(String(facility.status_reason ?? ""));
  useEffect(() => {
    setStatus(String(facility.status ?? "open"));
    setReason(String(facility.status_reason ?? ""));
  }, [facility.status_at]); // a capacity report does not undo a status being edited
  const changed = status !== current || reason !== String(facility.status_reason ?? "");
  return (
    <section class={`panel facility-status status-${current}`} aria-labelledby="status-h">
      <h3 id="status-h">
        {t("fac.status")}: <span data-testid="status-now">{label("fac_status", current)}</span>
      </h3>
      <div class="row">
        <label>
          {t("fac.status")}
          <select data-testid="status-select" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            {STATUSES.map((x) => (
              <option key={x} value={x}>
                {label("fac_status", x)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("fac.status_reason")}
          <input data-testid="status-reason" maxLength={200} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </label>
        <button
          type="button"
          class="primary"
          disabled={!changed}
          data-testid="status-save"
          onClick={() => void emit("facility_status_reported", { facility_id: facility.id, status, ...(reason.trim() ? { reason: reason.trim() } : {}) })}
        >
          {t("common.save")}
        </button>
      </div>
      <Updated at={facility.status_at} />
    </section>
  );
}

function Capacity({ facility }: { facility: RecordRow }) {
  const [values, setValues] = useState(figuresOf(facility));
  const reportedSpecialties = ((facility.specialties as string[] | undefined) ?? null);
  const [specialties, setSpecialties] = useState<string[] | null>(reportedSpecialties);
  useEffect(() => {
    setValues(figuresOf(facility));
    setSpecialties((facility.specialties as string[] | undefined) ?? null);
  }, [facility.capacity_at]); // a status report does not undo figures being edited
  const reported = figuresOf(facility);
  const changedFigures = FIGURES.filter((f) => values[f] !== null && values[f] !== reported[f]);
  const specialtiesChanged = specialties !== null && [...specialties].sort().join() !== [...(reportedSpecialties ?? [])].sort().join();
  const set = (f: Figure, n: number) => setValues({ ...values, [f]: Math.max(0, n) });
  const stepper = (name: Figure) => {
    const value = values[name];
    const what = t(`fac.fig.${name}` as "fac.fig.beds_free");
    return (
      <div class="stepper" key={name}>
        <span id={`cap-${name}`}>{what}</span>
        <button type="button" aria-label={t("fac.less", { what })} onClick={() => set(name, (value ?? 0) - 1)}>
          −
        </button>
        <input
          type="number"
          min="0"
          value={value ?? ""}
          aria-labelledby={`cap-${name}`}
          data-testid={`cap-${name}`}
          onInput={(e) => {
            const raw = (e.target as HTMLInputElement).value;
            setValues({ ...values, [name]: raw === "" ? null : Math.max(0, Number(raw)) });
          }}
        />
        <button type="button" aria-label={t("fac.more", { what })} onClick={() => set(name, (value ?? 0) + 1)}>
          +
        </button>
        <Updated at={facility[`${name}_at`] ?? (name === "beds_free" || name === "operating_tables_free" ? facility.capacity_at : null)} />
      </div>
    );
  };
  const save = () => {
    const fields: Record<string, unknown> = { facility_id: facility.id };
    for (const f of changedFigures) fields[f] = values[f];
    if (specialtiesChanged) fields.specialties = specialties;
    void emit("facility_capacity_reported", fields);
  };
  return (
    <section class="panel capacity" aria-labelledby="cap-h">
      <h3 id="cap-h">{t("fac.capacity")}</h3>
      <h4>{t("fac.beds_heading")}</h4>
      {stepper("beds_free")}
      {stepper("icu_beds_free")}
      {stepper("ward_beds_free")}
      <h4>{t("fac.surgery_heading")}</h4>
      {stepper("operating_tables_free")}
      {stepper("surgical_teams_free")}
      <h4>{t("fac.blood_heading")}</h4>
      {stepper("blood_whole_units")}
      {stepper("blood_red_cells_units")}
      {stepper("blood_plasma_units")}
      {stepper("blood_platelets_units")}
      <fieldset class="specialties">
        <legend>{t("fac.specialties")}</legend>
        {SPECIALTIES.map((x) => (
          <label key={x} class="check">
            <input
              type="checkbox"
              data-testid={`spec-${x}`}
              checked={(specialties ?? []).includes(x)}
              onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                const now = (specialties ?? []).filter((y) => y !== x);
                setSpecialties(on ? [...now, x] : now);
              }}
            />
            {label("capability", x)}
          </label>
        ))}
        <Updated at={facility.specialties_at} />
      </fieldset>
      <button type="button" class="primary" disabled={changedFigures.length === 0 && !specialtiesChanged} data-testid="cap-save" onClick={save}>
        {t("common.save")}
      </button>
      {facility.capacity_at ? <p class="muted">{t("fac.reported_at", { time: localTime(String(facility.capacity_at)) })}</p> : null}
    </section>
  );
}

/** How long before a vehicle's arrival the facility is alerted (Pulsara's pre-arrival alert). */
export const ARRIVAL_ALERT_MS = 10 * 60_000;

/** A casualty on the way, as the alert names them: who, triage, tourniquets with their times. */
function arrivalLine(c: ServerCard | undefined, id: string, now: number): string {
  if (!c) return id.slice(0, 6);
  const card = fromServer(c);
  const triage = card.triage.nato?.category ?? card.triage.start?.category;
  const tourniquets = card.tourniquets
    .filter((tq) => !tq.ended_at)
    .map((tq) => t("fac.alert_tq", { limb: label("limb", tq.limb ?? tq.category), time: hoursMinutes(clock(tq, now).elapsed), since: localTime(tq.applied_at) }));
  return [displayName(card), triage ? String(triage) : "", ...tourniquets].filter(Boolean).join(" · ");
}

/** A banner and a chime when a vehicle bringing casualties is ten minutes out or less. */
function ArrivalAlert({ p, missions, now, casualtiesOf }: { p: Picture; missions: RecordRow[]; now: number; casualtiesOf: (m: RecordRow) => string[] }) {
  const [seen, setSeen] = useState<Set<string>>(() => new Set(JSON.parse(sessionStorage.getItem("gh-arrivals-seen") ?? "[]") as string[]));
  const [sound, setSound] = useState<Record<string, string>>({});
  const due = missions.filter((m) => {
    const eta = Date.parse(String(m.eta_destination ?? ""));
    return !Number.isNaN(eta) && eta - now <= ARRIVAL_ALERT_MS && eta - now > -ARRIVAL_ALERT_MS && !seen.has(m.id);
  });
  const dueIds = due.map((m) => m.id).join();
  useEffect(() => {
    for (const m of due) {
      if (sound[m.id]) continue;
      setSound((s) => ({ ...s, [m.id]: "pending" }));
      void chime().then((state) => setSound((s) => ({ ...s, [m.id]: state })));
    }
  }, [dueIds]);
  const dismiss = (id: string) => {
    const next = new Set(seen).add(id);
    sessionStorage.setItem("gh-arrivals-seen", JSON.stringify([...next]));
    setSeen(next);
  };
  if (due.length === 0) return null;
  return (
    <section class="arrival-alerts" aria-labelledby="alert-h">
      <h3 id="alert-h" class="sr-only">
        {t("fac.alert_title")}
      </h3>
      {due.map((m) => {
        const eta = Date.parse(String(m.eta_destination));
        const vehicle = p.vehicles.find((v) => v.id === m.vehicle_id);
        return (
          <div key={m.id} class="arrival-alert" role="alert" data-testid="arrival-alert" data-chime={sound[m.id] ?? ""}>
            <strong>
              {t("fac.alert", { d: eta > now ? duration(eta - now) : "0:00" })} <span translate={false}>{String(vehicle?.call_sign ?? "")}</span>
            </strong>
            <ul>
              {casualtiesOf(m).map((id) => (
                <li key={id} data-testid="arrival-casualty">
                  <span translate={false}>{arrivalLine(p.cards.get(id), id, now)}</span>
                </li>
              ))}
            </ul>
            <button type="button" data-testid="arrival-seen" onClick={() => dismiss(m.id)}>
              {t("fac.alert_seen")}
            </button>
          </div>
        );
      })}
    </section>
  );
}

function precedenceOf(p: Picture, mission: RecordRow): string {
  const codes = ((mission.request_ids as string[]) ?? []).map((id) => String(p.requests.find((r) => r.id === id)?.precedence ?? "E"));
  return codes.sort((a, b) => PRECEDENCE_ORDER.indexOf(a) - PRECEDENCE_ORDER.indexOf(b))[0] ?? "E";
}

/** The handovers to ``facilityId`` on a card (walk-ins and arrivals alike), latest last. */
function handoversTo(c: ServerCard, facilityId: string): Wire[] {
  return ((c.handovers as Wire[]) ?? []).filter((h) => h.facility_id === facilityId);
}

const CONDITIONS = ["stable", "unstable", "critical", "dead_on_arrival"] as const;

/** Choose a casualty's condition on arrival; "" leaves it unrecorded. */
function ConditionSelect({ value, onChange, testid, labelText }: { value: string; onChange: (v: string) => void; testid: string; labelText: string }) {
  return (
    <label>
      {labelText}
      <select data-testid={testid} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{t("fac.condition_unset")}</option>
        {CONDITIONS.map((c) => (
          <option key={c} value={c}>
            {label("condition", c)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The handover of a mission's casualties: who received them, when, and how each arrived. */
function HandoverForm({ casualties, names, onDone, onCancel }: { casualties: string[]; names: Map<string, string>; onDone: (fields: { at: string; by: string; conditions: Map<string, string> }) => Promise<void>; onCancel: () => void }) {
  const s = session()!;
  const [by, setBy] = useState(s.username);
  const [at, setAt] = useState(toTimeInput(nowIso()));
  const [conditions, setConditions] = useState(new Map<string, string>());
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !by.trim()) return;
    setBusy(true);
    await onDone({ at: fromTimeInput(at), by: by.trim(), conditions });
  };
  return (
    <form class="handover-form" data-testid="handover-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t("fac.received_by_label")}
        <input data-testid="handover-by" required maxLength={200} value={by} onInput={(e) => setBy((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        {t("fac.received_at_label")}
        <input type="time" data-testid="handover-at" required value={at} onInput={(e) => setAt((e.target as HTMLInputElement).value)} />
      </label>
      {casualties.map((id) => (
        <ConditionSelect
          key={id}
          testid="handover-condition"
          labelText={t("fac.condition_of", { name: names.get(id) ?? id.slice(0, 6) })}
          value={conditions.get(id) ?? ""}
          onChange={(v) => setConditions(new Map(conditions).set(id, v))}
        />
      ))}
      <div class="row">
        <button type="submit" class="primary" data-testid="handover-submit" disabled={busy}>
          {t("fac.handover_confirm")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Register a casualty who came in on their own: a new card, handed over to this facility. */
function WalkIn({ facility }: { facility: RecordRow }) {
  const s = session()!;
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [condition, setCondition] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const casualty = uuid();
    await emit("casualty_registered", { casualty_id: casualty });
    const trimmed = name.trim();
    if (trimmed) await emit("identity_recorded", { casualty_id: casualty, identity: { name_last: trimmed } });
    await emit("handed_over", {
      casualty_id: casualty,
      to_stage: String(facility.name ?? "facility"),
      facility_id: facility.id,
      received_by: s.username,
      walked_out: true,
      ...(condition ? { condition_on_arrival: condition } : {}),
    });
    setDone(casualty);
    setName("");
    setCondition("");
    setOpen(false);
  };
  return (
    <section class="panel walk-in" aria-labelledby="walkin-h">
      <h3 id="walkin-h">{t("fac.walk_in_title")}</h3>
      {!open && (
        <button type="button" class="primary" data-testid="walk-in" onClick={() => setOpen(true)}>
          {t("fac.walk_in")}
        </button>
      )}
      {open && (
        <form data-testid="walk-in-form" onSubmit={(e) => void submit(e)}>
          <label>
            {t("fac.walk_in_name")}
            <input data-testid="walk-in-name" value={name} maxLength={100} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <ConditionSelect testid="walk-in-condition" labelText={t("fac.condition")} value={condition} onChange={setCondition} />
          <div class="row">
            <button type="submit" class="primary" data-testid="walk-in-submit">
              {t("fac.walk_in_register")}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
      {done && (
        <p role="status">
          {t("fac.walk_in_done")} <a href={`#/medic/${done}`}>{t("fac.walk_in_open")}</a>
        </p>
      )}
    </section>
  );
}

export function Facility() {
  const p = usePicture();
  const now = useNow();
  const s = session()!;
  const [chosen, setChosen] = useState<string | null>(s.facility_id ?? null);
  const [card, setCard] = useState<string | null>(null);
  const facilityId = chosen ?? String(p.facilities[0]?.id ?? "");
  const facility = p.facilities.find((f) => f.id === facilityId);
  const missions = p.missions.filter((m) => m.destination_id === facilityId);
  const incoming = missions.filter((m) => m.status !== "handed_over" && m.status !== "cancelled").sort((a, b) => String(a.eta_destination ?? "").localeCompare(String(b.eta_destination ?? "")));
  // Everyone handed over here, by a crew or on their own (walk-ins), the latest first.
  const received = [...p.cards.values()]
    .map((c) => ({ card: c, handover: handoversTo(c, facilityId).at(-1) }))
    .filter((r): r is { card: ServerCard; handover: Wire } => r.handover !== undefined)
    .sort((a, b) => String(b.handover.occurred_at).localeCompare(String(a.handover.occurred_at)));
  const casualtiesOf = (m: RecordRow) => ((m.request_ids as string[]) ?? []).flatMap((id) => (p.requests.find((r) => r.id === id)?.casualty_ids as string[]) ?? []);
  const [handingOver, setHandingOver] = useState<string | null>(null);
  const nameOf = (id: string) => (p.cards.get(id) ? displayName(fromServer(p.cards.get(id)!)) : id.slice(0, 6));
  const arrive = async (m: RecordRow, { at, by, conditions }: { at: string; by: string; conditions: Map<string, string> }) => {
    for (const id of casualtiesOf(m)) {
      const condition = conditions.get(id);
      await emit(
        "handed_over",
        { casualty_id: id, to_stage: String(facility?.name ?? "facility"), facility_id: facilityId, received_by: by, ...(condition ? { condition_on_arrival: condition } : {}) },
        at,
      );
    }
    await emit("mission_status_changed", { mission_id: m.id, status: "handed_over" });
    setHandingOver(null);
  };
  return (
    <div class="facility">
      {!s.facility_id && (
        <label>
          {t("fac.choose")}
          <select data-testid="facility-choice" value={facilityId} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
            {p.facilities.map((f) => (
              <option key={f.id} value={f.id} translate={false}>
                {String(f.name)}
              </option>
            ))}
          </select>
        </label>
      )}
      <h2>
        <span translate={false}>{String(facility?.name ?? "")}</span>
      </h2>
      <NodeLinks />
      {!p.loaded && <p>{t("app.loading")}</p>}
      <ArrivalAlert p={p} missions={incoming} now={now} casualtiesOf={casualtiesOf} />
      {facility && <Status facility={facility} />}
      {facility && <Capacity facility={facility} />}
      {card && <CardPanel id={card} onClose={() => setCard(null)} />}
      <section class="panel" aria-labelledby="inc-h">
        <h3 id="inc-h">{t("fac.incoming", { n: incoming.length })}</h3>
        {incoming.length === 0 && <p>{t("fac.none")}</p>}
        <ul class="incoming" data-testid="incoming">
          {incoming.map((m) => {
            const prec = precedenceOf(p, m);
            const eta = m.eta_destination ? String(m.eta_destination) : null;
            return (
              <li key={m.id} class={`incoming-item prec-${prec}`} data-testid="incoming-item">
                <div class="row">
                  <span class={`badge prec prec-${prec}`}>{prec}</span>
                  <span>{label("precedence", prec)}</span>
                  {eta && (
                    <strong data-testid="incoming-eta">
                      {t("fac.eta", { time: localTime(eta), dtg: dtg(eta) })} ({Date.parse(eta) > now ? t("fac.in", { d: duration(Date.parse(eta) - now) }) : t("fac.due")})
                    </strong>
                  )}
                  {p.vehicles.some((v) => v.id === m.vehicle_id) && (
                    <span>
                      {t("evac.vehicle")}: <span translate={false}>{String(p.vehicles.find((v) => v.id === m.vehicle_id)?.call_sign)}</span>
                    </span>
                  )}
                </div>
                {casualtiesOf(m).map((id) => {
                  const c = p.cards.get(id);
                  return (
                    <div key={id} class="incoming-casualty">
                      <button type="button" onClick={() => setCard(id)}>
                        {t("coord.card")}: <span translate={false}>{c ? displayName(fromServer(c)) : id.slice(0, 6)}</span>
                      </button>
                      <Mist id={id} />
                    </div>
                  );
                })}
                {handingOver === m.id ? (
                  <HandoverForm
                    casualties={casualtiesOf(m)}
                    names={new Map(casualtiesOf(m).map((id) => [id, nameOf(id)]))}
                    onDone={(fields) => arrive(m, fields)}
                    onCancel={() => setHandingOver(null)}
                  />
                ) : (
                  <button type="button" class="huge primary" data-testid="arrived" onClick={() => setHandingOver(m.id)}>
                    {t("fac.arrived")}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      {facility && <WalkIn facility={facility} />}
      <section class="panel" aria-labelledby="arr-h">
        <h3 id="arr-h">{t("fac.received", { n: received.length })}</h3>
        <ul class="received" data-testid="received">
          {received.map(({ card: c, handover: h }) => (
            <li key={c.casualty_id} data-testid="received-item">
              <button type="button" onClick={() => setCard(c.casualty_id)}>
                {t("coord.card")}: <span translate={false}>{displayName(fromServer(c))}</span>
              </button>{" "}
              {localTime(String(h.occurred_at))}
              {h.received_by ? (
                <>
                  {" · "}
                  {t("fac.received_by")} <span translate={false}>{String(h.received_by)}</span>
                </>
              ) : null}
              {h.walked_out ? ` · ${t("fac.walked_in")}` : ""}
              {h.condition_on_arrival ? <span data-testid="received-condition">{` · ${label("condition", h.condition_on_arrival)}`}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
