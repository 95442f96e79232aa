// The camera reads another phone's handoff codes (jsQR on video frames), part by part, shows
// "Read 1 of 3", and imports the casualty once every part is in and the whole checks out. A
// code that is not ours, or a damaged handoff, says so and imports nothing.
import jsQR from "jsqr";
import { useEffect, useRef, useState } from "preact/hooks";
import { displayName, fold } from "../card";
import { db } from "../db";
import { t } from "../i18n";
import { Collector, HandoffError } from "./codec";
import { importHandoff } from "./importer";

type Status =
  | { kind: "scanning"; have: number; count: number; warning?: string }
  | { kind: "camera"; reason: string }
  | { kind: "done"; casualtyId: string; text: string };

const EVERY_MS = 150;

export default function Scanner({ onClose }: { casualtyId?: string; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<Status>({ kind: "scanning", have: 0, count: 0 });

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let busy = false;
    let collector = new Collector();
    let lastSeen = "";
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });

    const finish = async () => {
      busy = true;
      try {
        const events = collector.events();
        const { casualtyId, added } = await importHandoff(events);
        const card = fold(casualtyId, await db.events.where("[stream+stream_id]").equals(["casualty", casualtyId]).toArray());
        const name = displayName(card);
        stop();
        setStatus({
          kind: "done",
          casualtyId,
          text: added > 0 ? t("handoff.received", { name, n: added }) : t("handoff.already", { name }),
        });
      } catch (error) {
        const reason = error instanceof HandoffError ? error.reason : String(error);
        collector = new Collector();
        setStatus({ kind: "scanning", have: 0, count: 0, warning: t("handoff.damaged", { reason }) });
        busy = false;
      }
    };

    const read = (bytes: Uint8Array) => {
      try {
        collector.add(bytes);
      } catch (error) {
        if (error instanceof HandoffError && error.field === "part" && collector.count > 0) {
          collector = new Collector();
          try {
            collector.add(bytes);
          } catch {
            return setStatus({ kind: "scanning", have: 0, count: 0, warning: t("handoff.not_ours") });
          }
          setStatus({ kind: "scanning", have: 1, count: collector.count, warning: t("handoff.mixed") });
          return;
        }
        // Not ours: say so, keep what was read of the handoff, import nothing from this code.
        return setStatus({ kind: "scanning", have: collector.parts.size, count: collector.count, warning: t("handoff.not_ours") });
      }
      setStatus({ kind: "scanning", have: collector.parts.size, count: collector.count });
      if (collector.complete) void finish();
    };

    const tick = () => {
      if (stopped) return;
      const v = video.current;
      if (!busy && v && context && v.readyState >= 2 && v.videoWidth > 0) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        context.drawImage(v, 0, 0);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (code) {
          const key = code.binaryData.join(",");
          if (key !== lastSeen) {
            lastSeen = key;
            read(Uint8Array.from(code.binaryData));
          }
        }
      }
      timer = setTimeout(tick, EVERY_MS);
    };

    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };

    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then((s) => {
        if (stopped) return s.getTracks().forEach((track) => track.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
        tick();
      })
      .catch((error: Error) => setStatus({ kind: "camera", reason: error.message || error.name }));
    return stop;
  }, []);

  return (
    <section class="handoff" data-testid="handoff-scanner" aria-label={t("handoff.receive")}>
      <h3>{t("handoff.receive")}</h3>
      {status.kind !== "done" && <video ref={video} class="handoff-video" muted playsInline data-testid="handoff-video" />}
      {status.kind === "scanning" && (
        <>
          <p class="handoff-part" data-testid="handoff-progress" aria-live="polite">
            {status.count > 0 ? t("handoff.progress", { have: status.have, n: status.count }) : t("handoff.scanning")}
          </p>
          {status.warning && (
            <p role="alert" class="handoff-warning" data-testid="handoff-warning">
              {status.warning}
            </p>
          )}
          <p class="muted">{t("handoff.scan_hint")}</p>
        </>
      )}
      {status.kind === "camera" && (
        <p role="alert" data-testid="handoff-warning">
          {t("handoff.no_camera", { reason: status.reason })}
        </p>
      )}
      {status.kind === "done" && (
        <>
          <p data-testid="handoff-result" translate={false}>
            {status.text}
          </p>
          <a class="button-link" href={`#/medic/${status.casualtyId}`} data-testid="handoff-open-card" onClick={onClose}>
            {t("handoff.open_card")}
          </a>
        </>
      )}
      <button type="button" data-testid="handoff-close" onClick={onClose}>
        {t("handoff.close")}
      </button>
    </section>
  );
}
