// The medic's view, phone first: start a casualty in one tap, then the card: what matters first
// (tourniquets, the MEDEVAC request, triage) on its first screen, the rest folded one tap away.
// Everything is written to the device first (the outbox).
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type Card, displayName, fold } from "../card";
import { db, type StoredEvent } from "../db";
import { emit, uuid } from "../events";
import { useLive } from "../hooks";
import { type Key, label, t } from "../i18n";
import type { Fix } from "../position";
import { discard, retry } from "../sync";
import { once, useArmed } from "../tap";
import { localTime } from "../time";
import { CasualtyList } from "../medic/CasualtyList";
import { ChangeLog, UndoBar } from "../medic/Changes";
import { correct, canCorrect, onReveal, problemsOf } from "../medic/correct";
import { Evacuation, RequestNow } from "../medic/Evacuation";
import { Fold } from "../medic/Fold";
import { HandoffReceive, HandoffShow } from "../medic/Handoff";
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
    for (const e of events) {
      const list = groups.get(e.stream_id);
      if (list) list.push(e);
      else groups.set(e.stream_id, [e]);
    }
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
  return (
    <div class="medic-home">
      <button type="button" class="huge primary" data-testid="new-casualty" onClick={() => void once("new-casualty", () => startCasualty(fix))}>
        {t("medic.new_casualty")}
      </button>
      <Outbox />
      <HandoffReceive />
      <h2>{t("medic.casualties")}</h2>
      {cards && cards.length === 0 && <p>{t("medic.none")}</p>}
      {cards && <CasualtyList cards={cards} />}
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
      {/* On the card, in its heading, as short as "All sent": the card must not jump as entries go out. */}
      {pending.length > 0 && <p class="pending">{t(casualtyId ? "outbox.pending" : "outbox.waiting", { n: pending.length })}</p>}
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

/** A part of the card one tap away from its first screen; add one here to mount a new section. */
interface CardSection {
  id: string;
  /** The i18n key of its title. */
  title: Key;
  /** The kinds of refused entries corrected in its form (the section opens for them). */
  corrects?: string[];
  /** How many entries it holds, shown beside the title. */
  count?: (card: Card) => number;
  /** Shown only when this says so (a section with nothing to show is left out). */
  shown?: (card: Card, stored: StoredEvent[]) => boolean;
  body: (card: Card, stored: StoredEvent[]) => JSX.Element | null;
}

const SECTIONS: CardSection[] = [
  { id: "injuries", title: "inj.title", corrects: ["injury_recorded", "injury_time_recorded"], count: (c) => c.injuries.length, body: (c) => <Injuries card={c} /> },
  {
    id: "treatments",
    title: "tx.title",
    corrects: ["fluid_given"],
    count: (c) => c.treatments.length + c.medications.length + c.fluids.length,
    body: (c) => <Treatments card={c} />,
  },
  { id: "vitals", title: "vit.title", corrects: ["vitals_recorded"], count: (c) => c.vitals.length, body: (c) => <Vitals card={c} /> },
  { id: "medevac", title: "evac.details", body: (c) => <Evacuation card={c} /> },
  { id: "identity", title: "id.title", corrects: ["identity_recorded"], body: (c) => <Identity card={c} /> },
  {
    id: "changes",
    title: "change.title",
    shown: (_, stored) => stored.some((s) => s.kind === "entry_retracted" || typeof s.event.supersedes === "string"),
    body: (_, stored) => <ChangeLog stored={stored} />,
  },
];

/** The sections unfolded on this screen; a refused entry being corrected unfolds its own. */
function useUnfolded(id: string): [Set<string>, (section: string) => void] {
  const [open, setOpen] = useState<Set<string>>(new Set());
  useEffect(() => setOpen(new Set()), [id]);
  useEffect(
    () =>
      onReveal((kind) => {
        const section = SECTIONS.find((s) => s.corrects?.includes(kind));
        if (section) setOpen((now) => new Set([...now, section.id]));
      }),
    [],
  );
  const toggle = (section: string) =>
    setOpen((now) => {
      const next = new Set(now);
      if (!next.delete(section)) next.add(section);
      return next;
    });
  return [open, toggle];
}

/** A casualty's card from this phone's copy; `back` is where its back link goes (the crew's
 *  mission screen opens the same card for en-route care). */
export function CasualtyScreen({ id, back = "#/medic", backLabel }: { id: string; back?: string; backLabel?: string }) {
  const stored = useLive(() => db.events.where("[stream+stream_id]").equals(["casualty", id]).toArray(), [id]);
  const [unfolded, toggle] = useUnfolded(id);
  if (!stored) return <p>{t("app.loading")}</p>;
  const card = fold(id, stored);
  return (
    <div class="casualty">
      <div class="casualty-head">
        <a href={back} class="back" data-testid="medic-back">
          {backLabel ?? t("medic.back")}
        </a>
        <h2>
          <span translate={false}>{displayName(card)}</span>{" "}
          {card.registered_at && <span class="muted">{localTime(card.registered_at)}</span>}
        </h2>
        <Outbox casualtyId={id} />
      </div>
      {/* What matters first, open on the first screen: the request (short: one button, then its
          state) above the tourniquets, so neither a clock nor a position chooser pushes it out of
          sight; then triage. */}
      <RequestNow card={card} />
      <Tourniquets card={card} entries={new Map(stored.map((s) => [s.event_id, s.event]))} />
      <Triage card={card} />
      <nav class="folds" aria-label={t("card.more")}>
        {SECTIONS.filter((s) => !s.shown || s.shown(card, stored)).map((s) => {
          const n = s.count?.(card) ?? 0;
          return (
            <Fold key={s.id} id={s.id} title={t(s.title)} note={n > 0 ? t("card.count", { n }) : undefined} open={unfolded.has(s.id)} onToggle={() => toggle(s.id)}>
              {s.body(card, stored)}
            </Fold>
          );
        })}
      </nav>
      {/* Handoff to another phone without network: one tap away, below the sections. */}
      <HandoffShow casualtyId={id} />
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
