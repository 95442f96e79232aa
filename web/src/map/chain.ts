// Which casualties the coordinator's live map shows: those still in the chain of evacuation,
// not the closed past ones (the demo's past weeks, a brigade's month of handed-over cards).
import type { RecordRow, ServerCard } from "../remote";

/** The statuses of a request no longer open: cancelled, or served (its casualties handed over). */
export const CLOSED_REQUESTS = new Set(["cancelled", "handed_over"]);

/** The statuses (domain CardStatus) of a casualty not yet at a facility. */
const BEFORE_A_FACILITY = new Set(["at_point_of_injury", "awaiting_evacuation"]);

/** The casualties named by a request still open: not cancelled (the coordinator's closing), not
 * served (the server's `handed_over`: its casualties handed over since it was filed), its
 * mission not handed over. A casualty handed over at a stabilisation point and asked for again
 * for the next leg is one of them. */
export function inOpenRequests(requests: RecordRow[], missions: RecordRow[]): Set<string> {
  const handedOver = new Set(
    missions.filter((m) => m.status === "handed_over").flatMap((m) => (m.request_ids as string[] | undefined) ?? []),
  );
  return new Set(
    requests
      .filter((r) => !CLOSED_REQUESTS.has(String(r.status)) && !handedOver.has(r.id))
      .flatMap((r) => (r.casualty_ids as string[] | undefined) ?? []),
  );
}

/** Whether a casualty belongs on the live map: not yet at a facility (a card without a status,
 * from an older server, counts as such), or named by an open request; never a closed card. */
export function inChain(card: ServerCard, open: Set<string>): boolean {
  const status = card.status === undefined || card.status === null ? "at_point_of_injury" : String(card.status);
  if (status === "closed") return false;
  return BEFORE_A_FACILITY.has(status) || open.has(card.casualty_id);
}

/** The live picture's casualties still in the chain. */
export function liveCasualties(p: { cards: Map<string, ServerCard>; requests: RecordRow[]; missions: RecordRow[] }): ServerCard[] {
  const open = inOpenRequests(p.requests, p.missions);
  return [...p.cards.values()].filter((c) => inChain(c, open));
}

/** Whether a card has a position to draw: one without (a casualty started on a phone with no GPS
 * fix, no grid typed yet) is in the queue but not on the map. */
export function located(card: ServerCard): boolean {
  const q = card.position as { lat?: unknown; lon?: unknown } | null | undefined;
  return !!q && typeof q.lat === "number" && typeof q.lon === "number";
}
