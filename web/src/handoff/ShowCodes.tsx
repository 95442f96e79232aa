// The casualty's history as QR codes, one at a time, with "Code 1 of 3" and buttons to page.
import qrcode from "qrcode-generator";
import { useMemo, useState } from "preact/hooks";
import { db, type Wire } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import { encodeHandoff, HandoffError } from "./codec";

/** The entries a handoff carries: all the casualty's entries but those the server refused,
 * the registration first, then as they happened; each as it was written (no receive time). */
export async function handoffEvents(casualtyId: string): Promise<Wire[]> {
  const rows = await db.events.where("[stream+stream_id]").equals(["casualty", casualtyId]).toArray();
  const kept = rows.filter((row) => row.state !== "refused");
  kept.sort(
    (a, b) =>
      Number(a.kind !== "casualty_registered") - Number(b.kind !== "casualty_registered") ||
      a.event.occurred_at.localeCompare(b.event.occurred_at) ||
      a.created - b.created,
  );
  return kept.map((row) => {
    const { received_at: _received, ...event } = row.event;
    return event as Wire;
  });
}

/** A QR code of `bytes` (byte mode, error correction M) as an image address, drawn with a
 * whole number of pixels a module as wide as the screen allows (no blurred, uneven modules),
 * and a quiet zone of 4 modules around it. */
function qrImage(bytes: Uint8Array): string {
  const code = qrcode(0, "M");
  code.addData(String.fromCharCode(...bytes), "Byte");
  code.make();
  const room = Math.min(400, (typeof window === "undefined" ? 390 : window.innerWidth) - 40);
  const cell = Math.max(2, Math.floor(room / (code.getModuleCount() + 8)));
  return code.createDataURL(cell, cell * 4);
}

export default function ShowCodes({ casualtyId, onClose }: { casualtyId?: string; onClose: () => void }) {
  const events = useLive(() => handoffEvents(casualtyId ?? ""), [casualtyId]);
  const [index, setIndex] = useState(0);
  const coded = useMemo(() => {
    if (!events) return null;
    try {
      return { parts: encodeHandoff(events), error: null };
    } catch (error) {
      return { parts: [], error: error instanceof HandoffError ? error.reason : String(error) };
    }
  }, [events]);
  if (!events || !coded) return <p>{t("app.loading")}</p>;
  const parts = coded.parts;
  const shown = Math.min(index, parts.length - 1);
  return (
    <section class="handoff" data-testid="handoff-codes" aria-label={t("handoff.show")}>
      <h3>{t("handoff.show")}</h3>
      {coded.error !== null ? (
        <p role="alert">{t("handoff.cannot", { reason: coded.error })}</p>
      ) : (
        <>
          <p class="handoff-part" data-testid="handoff-part" aria-live="polite">
            {t("handoff.part", { i: shown + 1, n: parts.length })}
          </p>
          <img class="handoff-qr" data-testid="handoff-qr" src={qrImage(parts[shown])} alt={t("handoff.part", { i: shown + 1, n: parts.length })} />
          {parts.length > 1 && (
            <div class="row">
              <button type="button" data-testid="handoff-previous" disabled={shown === 0} onClick={() => setIndex(shown - 1)}>
                {t("handoff.previous")}
              </button>
              <button type="button" class="primary" data-testid="handoff-next" disabled={shown === parts.length - 1} onClick={() => setIndex(shown + 1)}>
                {t("handoff.next")}
              </button>
            </div>
          )}
          <p class="muted">{t("handoff.entries", { n: events.length })}</p>
          <p class="muted">{t("handoff.show_hint")}</p>
        </>
      )}
      <button type="button" data-testid="handoff-close" onClick={onClose}>
        {t("handoff.close")}
      </button>
    </section>
  );
}
