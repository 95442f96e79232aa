// The medic's casualties, sorted by triage category (immediate first) with the count of each at
// the top; each row shows its tourniquet clock and its request's state. Casualties can be
// selected (large check boxes) for one MEDEVAC request at one pickup point (GroupRequest).
import { useState } from "preact/hooks";
import { type Card, clock, displayName } from "../card";
import { byTriage, category, CATEGORY_ORDER, categoryCounts } from "../group";
import { useNow } from "../hooks";
import { hoursMinutes, label, t } from "../i18n";
import { localTime } from "../time";
import { isOpen, stage, useRequests } from "./Evacuation";
import { GroupRequest } from "./GroupRequest";

export function CasualtyList({ cards }: { cards: Card[] }) {
  const now = useNow();
  const requests = useRequests(cards);
  const [selected, setSelected] = useState<string[]>([]);
  const [composing, setComposing] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  // Selected casualties that are still on the device (a shared phone may switch user).
  const chosen = selected.filter((id) => cards.some((c) => c.casualty_id === id));
  if (composing && chosen.length) {
    return (
      <GroupRequest
        cards={cards.filter((c) => chosen.includes(c.casualty_id))}
        onBack={() => setComposing(false)}
        onSent={(n) => {
          setComposing(false);
          setSelected([]);
          setSent(n);
        }}
      />
    );
  }
  const counts = categoryCounts(cards);
  const toggle = (id: string) => {
    setSent(null);
    setSelected((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]));
  };
  return (
    <>
      {cards.length > 0 && (
        <p class="triage-counts" data-testid="triage-counts" aria-label={t("group.by_category")}>
          {[...CATEGORY_ORDER, "none" as const]
            .filter((c) => counts[c] > 0)
            .map((c) => (
              <span key={c} class={`badge t-${c}`} data-testid={`count-${c}`}>
                {c === "none" ? t("group.untriaged") : label("nato", c)}: {counts[c]}
              </span>
            ))}
        </p>
      )}
      {sent !== null && (
        <p class="ok" role="status" data-testid="group-sent">
          {t("group.sent", { n: sent })}
        </p>
      )}
      <ul class="casualty-list">
        {byTriage(cards).map((card) => {
          const running = card.tourniquets.filter((x) => !x.ended_at).map((x) => clock(x, now));
          const worst = running.sort((a, b) => b.elapsed - a.elapsed)[0];
          const cat = category(card);
          const mine = requests?.get(card.casualty_id) ?? [];
          const request = mine.find(isOpen) ?? mine[mine.length - 1];
          const name = displayName(card);
          return (
            <li key={card.casualty_id} class="casualty-item">
              <label class="pick">
                <input
                  type="checkbox"
                  data-testid="select-casualty"
                  data-casualty={card.casualty_id}
                  checked={chosen.includes(card.casualty_id)}
                  // Named by the words and the casualty's name (data, not translated) together.
                  aria-labelledby={`pick-${card.casualty_id} name-${card.casualty_id}`}
                  onChange={() => toggle(card.casualty_id)}
                />
                <span id={`pick-${card.casualty_id}`} class="sr-only">
                  {t("group.select")}
                </span>
              </label>
              <a href={`#/medic/${card.casualty_id}`} class="casualty-row" data-testid="casualty-row">
                <strong translate={false} id={`name-${card.casualty_id}`}>{name}</strong>
                {cat && <span class={`badge t-${cat}`}>{label("nato", cat)}</span>}
                {worst && <span class={`tq-mini ${worst.alert}`}>{t("tq.short")} {hoursMinutes(worst.elapsed)}</span>}
                {card.pending > 0 && <span class="badge pending">{t("outbox.pending", { n: card.pending })}</span>}
                {card.registered_at && <span class="muted">{localTime(card.registered_at)}</span>}
                {request && (
                  <span class="row-request" data-testid="row-request">
                    {t("evac.short")}: {stage(request)}
                    {(request.casualties ?? 1) > 1 && <> · {t("group.with_others", { n: request.casualties ?? 1 })}</>}
                    {isOpen(request) && request.vehicle && (
                      <>
                        {" "}
                        · <span translate={false}>{request.vehicle}</span>
                      </>
                    )}
                    {isOpen(request) && (request.eta_pickup ?? request.eta) && !["picked_up", "at_facility"].includes(String(request.mission_status)) && (
                      <> · {t("evac.eta_short", { time: localTime((request.eta_pickup ?? request.eta) as string) })}</>
                    )}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      {chosen.length > 0 && (
        <div class="group-bar" data-testid="group-bar">
          <button type="button" class="huge primary" data-testid="group-request" onClick={() => setComposing(true)}>
            {t("group.request_for", { n: chosen.length })}
          </button>
          <button type="button" data-testid="group-clear" onClick={() => setSelected([])}>
            {t("group.clear")}
          </button>
        </div>
      )}
    </>
  );
}
