// The medic's view, phone first: start a casualty in one tap, then the card, section by
// section in MARCH order. Everything is written to the device first (the outbox).
import { useState } from "preact/hooks";
import { type Card, clock, displayName, fold } from "../card";
import { db, type StoredEvent } from "../db";
import { emit, uuid } from "../events";
import { useLive, useNow } from "../hooks";
import { hoursMinutes, label, t } from "../i18n";
import type { Fix } from "../position";
import { discard, retry } from "../sync";
import { once, useArmed } from "../tap";
import { localTime } from "../time";
import { nato } from "../triage";
import { ChangeLog, UndoBar } from "../medic/Changes";
import { correct, canCorrect, problemsOf } from "../medic/correct";
import { Evacuation, isOpen, stage, useRequests } from "../medic/Evacuation";
import { Identity } from "../medic/Identity";
import { Injuries } from "../medic/Injuries";
import { Tourniquets } from "../medic/Tourniquets";
import { Treatments } from "../medic/Treatments";
import { Triage } from "../medic/Triage";
import { usePosition } from "../medic/usePosition";
import { Vitals } from "../medic/Vitals";

function useCards(): Card[] | undefined {
  return useLive(async () => {
    const events = await db.events.where("stream").equals("casualty").toArray();
    const groups = new Map<string, StoredEvent[]>();
    for (const e of events) groups.set(e.stream_id, [...(groups.get(e.stream_id) ?? []), e]);
    return [...groups.entries()]
      .map(([id, list]) => fold(id, list))
      .sort((a, b) => (b.registered_at ?? b.last_at ?? "").localeCompare(a.registered_at ?? a.last_at ?? ""));
  }, []);
}

async function startCasualty(fix: Fix | null): Promise<void> {
  const casualty = uuid();
  const fields: Record<string, unknown> = { casualty_id: casualty };
  if (fix) fields.position = { lat: fix.lat, lon: fix.lon };
  await emit("casualty_registered", fields);
  location.hash = `/medic/${casualty}`;
}

function Home() {
  const cards = useCards();
  const fix = usePosition();
  const now = useNow();
  const requests = useRequests(cards ?? []);
  return (
    <div class="medic-home">
      <button type="button" class="huge primary" data-testid="new-casualty" onClick={() => void once("new-casualty", () => startCasualty(fix))}>
        {t("medic.new_casualty")}
      </button>
      <Outbox />
      <h2>{t("medic.casualties")}</h2>
      {cards && cards.length === 0 && <p>{t("medic.none")}</p>}
      <ul class="casualty-list">
        {(cards ?? []).map((card) => {
          const running = card.tourniquets.filter((x) => !x.ended_at).map((x) => clock(x, now));
          const worst = running.sort((a, b) => b.elapsed - a.elapsed)[0];
          const cat = (card.triage.nato?.category as string) ?? nato(card).category;
          const mine = requests?.get(card.casualty_id) ?? [];
          const request = mine.find(isOpen) ?? mine[mine.length - 1];
          return (
            <li key={card.casualty_id}>
              <a href={`#/medic/${card.casualty_id}`} class="casualty-row" data-testid="casualty-row">
                <strong translate={false}>{displayName(card)}</strong>
                {cat && <span class={`badge t-${cat}`}>{label("nato", cat)}</span>}
                {worst && <span class={`tq-mini ${worst.alert}`}>{t("tq.short")} {hoursMinutes(worst.elapsed)}</span>}
                {card.pending > 0 && <span class="badge pending">{t("outbox.pending", { n: card.pending })}</span>}
                {card.registered_at && <span class="muted">{localTime(card.registered_at)}</span>}
                {request && (
                  <span class="row-request" data-testid="row-request">
                    {t("evac.short")}: {stage(request)}
                    {isOpen(request) && request.vehicle && (
                      <>
                        {" "}
                        · <span translate={false}>{request.vehicle}</span>
                      </>
                    )}
                    {isOpen(request) && (request.eta_pickup ?? request.eta) && request.mission_status !== "picked_up" && (
                      <> · {t("evac.eta_short", { time: localTime((request.eta_pickup ?? request.eta) as string) })}</>
                    )}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** What is not yet sent, and what the server refused, with the field and the reason. */
export function Outbox({ casualtyId }: { casualtyId?: string }) {
  const [discarding, setDiscarding] = useState<string | null>(null);
  const armed = useArmed(discarding);
  const rows = useLive(async () => {
    const all = await db.events.where("state").anyOf("pending", "refused").sortBy("created");
    return casualtyId ? all.filter((e) => e.stream_id === casualtyId || e.event.casualty_id === casualtyId) : all;
  }, [casualtyId]);
  if (!rows || rows.length === 0) {
    return (
      <p class="outbox ok" data-testid="outbox">
        {t("outbox.all_sent")}
      </p>
    );
  }
  const pending = rows.filter((r) => r.state === "pending");
  const refused = rows.filter((r) => r.state === "refused");
  return (
    <section class="outbox" data-testid="outbox" aria-label={t("outbox.title")}>
      {pending.length > 0 && <p class="pending">{t("outbox.waiting", { n: pending.length })}</p>}
      {refused.map((r) => (
        <div key={r.event_id} class="refused" role="alert">
          <strong>{label("kind", r.kind)}</strong>: {t("outbox.refused", { outcome: label("outcome", r.outcome) })}{" "}
          <ul class="problems">
            {problemsOf(r).map((p) => (
              <li key={p.field} data-testid={`refused-field-${p.field}`}>
                {t("outbox.field")} <code translate={false}>{p.field}</code> <span translate={false}>{p.reason}</span>
              </li>
            ))}
          </ul>
          <div class="row">
            {casualtyId && canCorrect(r.kind) && (
              <button type="button" class="primary" data-testid="outbox-correct" onClick={() => correct(r)}>
                {t("outbox.correct")}
              </button>
            )}
            <button type="button" onClick={() => void retry(r.event_id)}>
              {t("outbox.retry")}
            </button>
            <button type="button" data-testid="outbox-discard" onClick={() => setDiscarding(r.event_id)}>
              {t("outbox.discard")}
            </button>
          </div>
          {discarding === r.event_id && (
            <div class="confirm" data-testid="discard-confirm">
              <p>{t("outbox.discard_confirm")}</p>
              <div class="row">
                <button type="button" class="primary" data-testid="discard-yes" disabled={!armed} onClick={() => void discard(r.event_id)}>
                  {t("outbox.discard_yes")}
                </button>
                <button type="button" onClick={() => setDiscarding(null)}>
                  {t("common.cancel")}
                </button>
              </div>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}

function CasualtyScreen({ id }: { id: string }) {
  const stored = useLive(() => db.events.where("[stream+stream_id]").equals(["casualty", id]).toArray(), [id]);
  if (!stored) return <p>{t("app.loading")}</p>;
  const card = fold(id, stored);
  return (
    <div class="casualty">
      <p>
        <a href="#/medic" class="back" data-testid="medic-back">
          {t("medic.back")}
        </a>
      </p>
      <h2>
        <span translate={false}>{displayName(card)}</span>{" "}
        {card.registered_at && <span class="muted">{localTime(card.registered_at)}</span>}
      </h2>
      <Outbox casualtyId={id} />
      <Tourniquets card={card} entries={new Map(stored.map((s) => [s.event_id, s.event]))} />
      <Injuries card={card} />
      <Treatments card={card} />
      <Vitals card={card} />
      <Triage card={card} />
      <Evacuation card={card} />
      <Identity card={card} />
      <ChangeLog stored={stored} />
    </div>
  );
}

export function Medic({ route }: { route: string }) {
  const id = route.split("/")[2];
  return (
    <>
      {id ? <CasualtyScreen id={id} /> : <Home />}
      <UndoBar />
    </>
  );
}
