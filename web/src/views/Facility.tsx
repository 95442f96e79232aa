// The receiving facility's board: incoming casualties with ETA, precedence, MIST and the card;
// arrival and handover in one tap; beds and operating tables free, editable.
import { useEffect, useState } from "preact/hooks";
import { api, session } from "../api";
import { displayName } from "../card";
import type { Wire } from "../db";
import { emit, uuid } from "../events";
import { useNow } from "../hooks";
import { label, t } from "../i18n";
import { usePicture, type Picture } from "../picture";
import { fromServer, PRECEDENCE_ORDER, type RecordRow, type ServerCard } from "../remote";
import { dtg, duration, fromTimeInput, localTime, nowIso, toTimeInput } from "../time";
import { CardPanel } from "./CardPanel";

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

function Capacity({ facility }: { facility: RecordRow }) {
  const [beds, setBeds] = useState(Number(facility.beds_free ?? 0));
  const [tables, setTables] = useState(Number(facility.operating_tables_free ?? 0));
  useEffect(() => {
    setBeds(Number(facility.beds_free ?? 0));
    setTables(Number(facility.operating_tables_free ?? 0));
  }, [facility.updated_seq]);
  const changed = beds !== Number(facility.beds_free ?? 0) || tables !== Number(facility.operating_tables_free ?? 0);
  const stepper = (name: string, value: number, set: (n: number) => void) => (
    <div class="stepper">
      <span id={`cap-${name}`}>{t(`fac.${name}` as "fac.beds")}</span>
      <button type="button" aria-label={t("fac.less", { what: t(`fac.${name}` as "fac.beds") })} onClick={() => set(Math.max(0, value - 1))}>
        −
      </button>
      <input type="number" min="0" value={value} aria-labelledby={`cap-${name}`} data-testid={`cap-${name}`} onInput={(e) => set(Math.max(0, Number((e.target as HTMLInputElement).value)))} />
      <button type="button" aria-label={t("fac.more", { what: t(`fac.${name}` as "fac.beds") })} onClick={() => set(value + 1)}>
        +
      </button>
    </div>
  );
  return (
    <section class="panel capacity" aria-labelledby="cap-h">
      <h3 id="cap-h">{t("fac.capacity")}</h3>
      {stepper("beds", beds, setBeds)}
      {stepper("tables", tables, setTables)}
      <button
        type="button"
        class="primary"
        disabled={!changed}
        data-testid="cap-save"
        onClick={() => void emit("facility_capacity_reported", { facility_id: facility.id, beds_free: beds, operating_tables_free: tables })}
      >
        {t("common.save")}
      </button>
      {facility.capacity_at ? <p class="muted">{t("fac.reported_at", { time: localTime(String(facility.capacity_at)) })}</p> : null}
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
          <select value={facilityId} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
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
      {!p.loaded && <p>{t("app.loading")}</p>}
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
