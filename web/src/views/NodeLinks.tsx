// A status strip: this server's links to the other nodes and the age of their data (issue 15).
// Shown only when the server runs as a node; asked again every few seconds.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { useNow } from "../hooks";
import { t } from "../i18n";
import { linkText, type NodeLinks as Links } from "../links";

const EVERY_MS = 5000;

export function NodeLinks() {
  const [links, setLinks] = useState<{ body: Links; at: number } | null>(null);
  const now = useNow();
  useEffect(() => {
    let live = true;
    const ask = () =>
      api<Links>("/api/v1/nodes/links")
        .then((body) => live && setLinks({ body, at: Date.now() }))
        .catch(() => undefined); // offline or refused: the strip keeps what it last showed
    ask();
    const timer = setInterval(ask, EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (!links || !links.body.node) return null;
  const elapsed = (now - links.at) / 1000;
  return (
    <div class="node-links" role="status" aria-label={t("links.label")} data-testid="node-links">
      {links.body.peers.map((peer) => (
        <span key={peer.node} class={`node-link ${peer.link_up ? "up" : "down"}`} data-testid={`node-link-${peer.node}`}>
          {linkText(peer, peer.link_up ? 0 : elapsed)}
        </span>
      ))}
    </div>
  );
}
