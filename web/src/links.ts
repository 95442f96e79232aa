// The links of this server's node to the other nodes (issue 15): whether each is up and how old
// the data from it is, for the strip on the coordinator's and facility's views.
import { hoursMinutes, t, type Lang } from "./i18n";

/** One other node as GET /api/v1/nodes/links reports it. */
export interface PeerLink {
  node: string;
  link_up: boolean;
  last_contact: string | null;
  data_age_seconds: number | null;
  events_waiting: number | null;
}

/** The answer of GET /api/v1/nodes/links; `node` is null on a server that is no node. */
export interface NodeLinks {
  node: string | null;
  role: string | null;
  nats_up: boolean;
  checked_at: string | null;
  peers: PeerLink[];
}

/** An age in words: seconds under a minute, else hours and minutes. */
export function age(seconds: number, language?: Lang): string {
  return seconds < 60 ? t("links.seconds", { s: Math.floor(Math.max(0, seconds)) }, language) : hoursMinutes(seconds * 1000, language);
}

/**
 * What the strip says of one link, `elapsed` seconds after the answer came: linked, or cut
 * with the data from that node as old as the last contact (growing while the link stays down).
 */
export function linkText(peer: PeerLink, elapsed: number, language?: Lang): string {
  const waiting = peer.events_waiting ? ` · ${t("links.waiting", { n: peer.events_waiting }, language)}` : "";
  if (peer.link_up) return t("links.up", { node: peer.node }, language) + waiting;
  if (peer.data_age_seconds == null) return t("links.never", { node: peer.node }, language) + waiting;
  return t("links.down", { node: peer.node, age: age(peer.data_age_seconds + Math.max(0, elapsed), language) }, language) + waiting;
}
