// Finding casualties in the coordinator's picture (issue 17 item 5): by the short id the screens
// show ("#DEC8", with or without the "#"), by any part of a name, call sign or battle roster
// number, or by the unit written on the card. Case and accents of Latin and Cyrillic letters do
// not matter.
import type { ServerCard } from "./remote";

/** The identity fields a query looks in, besides the short id. */
const NAME_FIELDS = ["name_last", "name_first", "patronymic", "callsign", "battle_roster"] as const;

function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

/** Tell whether a casualty's card answers the query. */
export function matches(card: ServerCard, query: string): boolean {
  const q = fold(query);
  if (!q) return false;
  const id = (card.identity as Record<string, unknown> | undefined) ?? {};
  const short = q.replace(/^#/, "");
  if (/^[0-9a-f]{2,}$/.test(short) && card.casualty_id.toLowerCase().startsWith(short)) return true;
  if (q.startsWith("#")) return false;
  const names = NAME_FIELDS.map((f) => id[f]).filter((v): v is string => typeof v === "string");
  if (names.some((n) => fold(n).includes(q))) return true;
  return typeof id.unit === "string" && fold(id.unit).includes(q);
}

/** The cards answering the query, at most `limit`, in a stable order (short id). */
export function findCasualties(cards: Iterable<ServerCard>, query: string, limit = 20): ServerCard[] {
  return [...cards]
    .filter((c) => matches(c, query))
    .sort((a, b) => a.casualty_id.localeCompare(b.casualty_id))
    .slice(0, limit);
}
