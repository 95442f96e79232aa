// One 9-line MEDEVAC request for the casualties the medic selected, at one pickup point (GPS or
// typed MGRS): each casualty's part and the request are written to the outbox together. The
// request id is made once, when the form opens: a second tap, however fast, finds the request
// already written and makes nothing (issue 13, items 3 and 12).
import { useEffect, useState } from "preact/hooks";
import { session } from "../api";
import { type Card, displayName } from "../card";
import { db } from "../db";
import { emit, uuid } from "../events";
import { fromMgrs, type LatLon, toMgrs } from "../geo";
import { groupRequest } from "../group";
import { label, t } from "../i18n";
import { once } from "../tap";
import { usePosition } from "./usePosition";
import { DEFAULT_RADIO, RadioLines } from "./RadioLines";

interface Props {
  cards: Card[];
  onBack: () => void;
  onSent: (n: number) => void;
}

export function GroupRequest({ cards, onBack, onSent }: Props) {
  const fix = usePosition();
  const [requestId] = useState(uuid);
  const [typed, setTyped] = useState("");
  const [radio, setRadio] = useState(DEFAULT_RADIO);
  const near = cards.find((c) => c.position)?.position ?? null;
  const position: LatLon | null = fromMgrs(typed) ?? (fix ? { lat: fix.lat, lon: fix.lon } : near);
  useEffect(() => {
    if (!typed && position) setTyped(toMgrs(position));
  }, [position?.lat, position?.lon]);
  const typedValid = !typed || fromMgrs(typed) !== null;
  const request = position ? groupRequest(cards, position, radio, requestId, session()?.unit_id) : null;
  const byId = new Map(cards.map((c) => [c.casualty_id, c]));
  const send = async () => {
    if (!request?.filed) return;
    // Written already (a second tap, or a tap after a reload of this form): nothing more.
    if ((await db.events.where("[stream+stream_id]").equals(["request", requestId]).count()) > 0) return;
    for (const part of request.parts) await emit("evacuation_requested", part);
    await emit("evacuation_request_filed", request.filed);
    onSent(request.counted.length);
  };
  return (
    <section class="panel group-request" aria-labelledby="group-h" data-testid="group-form">
      <p>
        <button type="button" class="back" data-testid="group-back" onClick={onBack}>
          {t("group.back")}
        </button>
      </p>
      <h2 id="group-h">{t("group.title")}</h2>
      <h3>{t("group.in_request", { n: request?.counted.length ?? cards.length })}</h3>
      <ul class="group-members">
        {(request?.parts ?? []).map((part) => (
          <li key={String(part.casualty_id)} data-testid="group-member">
            <strong translate={false}>{displayName(byId.get(String(part.casualty_id))!)}</strong>{" "}
            <span class={`badge prec prec-${part.precedence}`}>{label("precedence", part.precedence)}</span>{" "}
            <span class="muted">{t(part.position === "litter" ? "group.litter" : "group.ambulatory")}</span>
          </li>
        ))}
      </ul>
      {request && request.notCounted.length > 0 && (
        <p class="warning" data-testid="group-not-counted">
          {t("group.not_counted", { names: request.notCounted.map((id) => displayName(byId.get(id)!)).join(", ") })}
        </p>
      )}
      <label>
        {t("evac.position")}
        <input
          value={typed}
          translate={false}
          data-testid="group-mgrs"
          aria-invalid={!typedValid}
          placeholder="37U DQ 43561 18531"
          onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
        />
      </label>
      {!typedValid && <p class="error">{t("evac.bad_mgrs")}</p>}
      <p class="muted">
        {fix ? t("evac.gps", { m: Math.round(fix.accuracy) }) : t("evac.no_gps")}
        {fix && (
          <button type="button" onClick={() => setTyped(toMgrs(fix))}>
            {t("evac.use_gps")}
          </button>
        )}
      </p>
      <RadioLines radio={radio} onChange={setRadio} />
      <h4>{t("evac.nine_line")}</h4>
      <pre class="nine-line" translate={false} data-testid="group-nine-line">
        {!position ? t("evac.need_position") : request?.nineLine || t("group.none_left")}
      </pre>
      <button
        type="button"
        class="huge primary"
        data-testid="group-send"
        disabled={!request?.filed || !typedValid}
        onClick={() => void once(`group-request:${requestId}`, send)}
      >
        {t("group.send", { n: request?.counted.length ?? 0 })}
      </button>
    </section>
  );
}
