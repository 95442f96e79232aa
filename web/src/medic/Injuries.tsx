// Tap the injury on a front or back body diagram, after choosing its mechanism and kind.
import { useEffect, useRef, useState } from "preact/hooks";
import { burnTotal, type Card } from "../card";
import type { StoredEvent } from "../db";
import { emit } from "../events";
import { label, t } from "../i18n";
import { once } from "../tap";
import { localTime } from "../time";
import { formatG } from "../medevac";
import { discard } from "../sync";
import { EntryActions } from "./Changes";
import { onCorrect, problemsOf } from "./correct";
import { InjuryTime } from "./InjuryTime";
import { burnPercent, TBSA_RANGE } from "./lists";

interface Part {
  region: string;
  side: "left" | "right" | "midline";
  shape: [number, number, number, number]; // x, y, width, height in the 200 x 400 diagram
}

// Drawn as the medic faces the casualty: on the front view his left side is on the right.
// Parts are large enough to hit with a gloved finger (44 px and more on a phone).
function parts(view: "front" | "back"): Part[] {
  const l = (x: number, w: number) => (view === "front" ? 200 - x - w : x);
  const limb = (region: string, x: number, y: number, w: number, h: number): Part[] => [
    { region, side: "left", shape: [l(x, w), y, w, h] },
    { region, side: "right", shape: [200 - l(x, w) - w, y, w, h] },
  ];
  const list: Part[] = [
    { region: view === "front" ? "face" : "head", side: "midline", shape: [74, 2, 52, 48] },
    { region: "neck", side: "midline", shape: [78, 50, 44, 26] },
    { region: view === "front" ? "chest" : "back", side: "midline", shape: [62, 76, 76, 58] },
    { region: view === "front" ? "abdomen" : "back", side: "midline", shape: [62, 134, 76, 42] },
    { region: view === "front" ? "pelvis" : "buttock", side: "midline", shape: [62, 176, 76, 30] },
    ...limb("upper_arm", 30, 76, 30, 58),
    ...limb("forearm", 26, 134, 30, 54),
    ...limb("hand", 24, 188, 32, 28),
    ...limb("thigh", 60, 206, 38, 80),
    ...limb("lower_leg", 62, 286, 34, 78),
    ...limb("foot", 58, 364, 40, 30),
  ];
  return list;
}

const MECHANISMS = ["artillery", "drone", "gunshot", "landmine", "ied", "grenade", "cluster_munition", "blast", "burn", "mvc", "other"];
const KINDS = ["fragment", "gunshot_wound", "penetrating", "amputation", "vascular", "fracture", "burn", "cavity", "soft_tissue", "blunt", "concussion"];

function Chips({ group, values, chosen, onToggle }: { group: string; values: string[]; chosen: string[]; onToggle: (v: string) => void }) {
  return (
    <div class="chips">
      {values.map((v) => (
        <button key={v} type="button" aria-pressed={chosen.includes(v)} class="chip" data-chip={`${group}-${v}`} onClick={() => onToggle(v)}>
          {label(group, v)}
        </button>
      ))}
    </div>
  );
}

// Quick choices: a palm (1 %), half and whole rule-of-nines regions.
const TBSA_PRESETS = [1, 4.5, 9, 18];

export function Injuries({ card }: { card: Card }) {
  const [view, setView] = useState<"front" | "back">("front");
  const [mechanisms, setMechanisms] = useState<string[]>([]);
  const [kinds, setKinds] = useState<string[]>([]);
  const [tbsa, setTbsa] = useState("");
  const [tbsaBad, setTbsaBad] = useState(false);
  // A refused injury being corrected: its choices are set again, and the next tap on the body
  // records it anew and replaces the refused one on the device.
  const [draft, setDraft] = useState<StoredEvent | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  useEffect(
    () =>
      onCorrect("injury_recorded", (row) => {
        const panel = panelRef.current;
        if (!panel || row.event.casualty_id !== card.casualty_id) return;
        const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
        setView(row.event.view === "back" ? "back" : "front");
        setMechanisms(list(row.event.mechanisms));
        setKinds(list(row.event.kinds));
        setTbsa(row.event.burn_tbsa_percent == null ? "" : String(row.event.burn_tbsa_percent));
        setTbsaBad(problemsOf(row).some((p) => p.field === "burn_tbsa_percent"));
        setDraft(row);
        panel.scrollIntoView({ block: "start" });
      }),
    [card.casualty_id],
  );
  const burning = kinds.includes("burn");
  const total = burnTotal(card.injuries);
  const toggle = (list: string[], set: (v: string[]) => void) => (v: string) =>
    set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const record = (part: Part, x: number, y: number) => {
    // A burn's area is checked before anything is saved, as the server would check it.
    const percent = burning && tbsa.trim() ? burnPercent(tbsa, total) : null;
    const bad = burning && tbsa.trim() !== "" && percent === null;
    setTbsaBad(bad);
    if (bad) return;
    const replaced = draft;
    setDraft(null);
    return once(`injury:${card.casualty_id}:${view}:${part.side}-${part.region}`, async () => {
      await emit("injury_recorded", {
        casualty_id: card.casualty_id,
        region: part.region,
        laterality: part.side,
        view,
        kinds,
        mechanisms,
        ...(percent !== null ? { burn_tbsa_percent: percent } : {}),
        diagram_x: Math.min(1, Math.max(0, x / 200)),
        diagram_y: Math.min(1, Math.max(0, y / 400)),
      });
      if (replaced) await discard(replaced.event_id);
    });
  };
  const onTap = (part: Part) => (e: MouseEvent) => {
    const svg = (e.currentTarget as SVGElement).ownerSVGElement!;
    const box = svg.getBoundingClientRect();
    const x = e.clientX ? ((e.clientX - box.left) / box.width) * 200 : part.shape[0] + part.shape[2] / 2;
    const y = e.clientY ? ((e.clientY - box.top) / box.height) * 400 : part.shape[1] + part.shape[3] / 2;
    void record(part, x, y);
  };
  const marks = card.injuries.filter((i) => (i.view ?? "front") === view && i.diagram_x != null);
  return (
    <section ref={panelRef} class="panel" aria-labelledby="inj-h">
      <h3 id="inj-h">{t("inj.title")}</h3>
      <InjuryTime card={card} />
      <h4>{t("inj.mechanism")}</h4>
      <Chips group="mechanism" values={MECHANISMS} chosen={mechanisms} onToggle={toggle(mechanisms, setMechanisms)} />
      <h4>{t("inj.kind")}</h4>
      <Chips group="injury_kind" values={KINDS} chosen={kinds} onToggle={toggle(kinds, setKinds)} />
      {burning && (
        <div class="burn-area" data-testid="burn-area">
          <label>
            {t("burn.tbsa")}
            <input
              name="burn_tbsa_percent"
              inputMode="decimal"
              value={tbsa}
              aria-invalid={tbsaBad}
              aria-describedby={tbsaBad ? "burn-error" : "burn-hint"}
              onInput={(e) => setTbsa((e.target as HTMLInputElement).value)}
            />
          </label>
          <div class="chips">
            {TBSA_PRESETS.map((p) => (
              <button key={p} type="button" class="chip" aria-pressed={tbsa === String(p)} onClick={() => (setTbsa(String(p)), setTbsaBad(false))}>
                {formatG(p)} %
              </button>
            ))}
          </div>
          <p class="muted" id="burn-hint">
            {t("burn.hint")}
          </p>
          {tbsaBad && (
            <p class="error" id="burn-error" role="alert" data-testid="burn-error">
              {t("burn.invalid", { min: TBSA_RANGE[0], max: TBSA_RANGE[1], total: formatG(total ?? 0) })}
            </p>
          )}
        </div>
      )}
      {total !== null && (
        <p class="burn-total" data-testid="burn-total">
          {t("burn.total", { total: formatG(total) })}
        </p>
      )}
      <div class="row" role="group" aria-label={t("inj.view")}>
        {(["front", "back"] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
            {t(v === "front" ? "inj.front" : "inj.back")}
          </button>
        ))}
      </div>
      <p class="muted">{t("inj.tap_hint")}</p>
      {draft && (
        <p class="correcting" role="status" data-testid="injury-correcting">
          {t("inj.correcting")}
        </p>
      )}
      <svg class="body" viewBox="0 0 200 400" role="group" aria-label={t(view === "front" ? "inj.front" : "inj.back")} data-testid="body-diagram">
        {parts(view).map((p) => (
          <rect
            key={`${p.region}-${p.side}-${p.shape[0]}`}
            x={p.shape[0]}
            y={p.shape[1]}
            width={p.shape[2]}
            height={p.shape[3]}
            rx={10}
            role="button"
            tabindex={0}
            data-region={`${p.side}-${p.region}`}
            aria-label={`${p.side === "midline" ? "" : label("side", p.side) + " "}${label("region", p.region)}`}
            onClick={onTap(p)}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === " ") {
                e.preventDefault();
                void record(p, p.shape[0] + p.shape[2] / 2, p.shape[1] + p.shape[3] / 2);
              }
            }}
          />
        ))}
        {marks.map((m) => (
          <circle key={m.event_id} class={m.burn_tbsa_percent != null ? "mark burn" : "mark"} cx={Number(m.diagram_x) * 200} cy={Number(m.diagram_y) * 400} r={7} aria-hidden="true" />
        ))}
        {/* Each burn's area is written on the diagram beside its mark, as DD 1380 asks. */}
        {marks
          .filter((m) => m.burn_tbsa_percent != null)
          .map((m) => (
            // Written above its mark, kept inside the diagram so a mark near an edge keeps its words.
            <text
              key={`tbsa-${m.event_id}`}
              class="tbsa"
              x={Math.min(180, Math.max(20, Number(m.diagram_x) * 200))}
              text-anchor="middle"
              y={Math.max(14, Number(m.diagram_y) * 400 - 10)}
              data-testid="tbsa-mark"
            >
              {formatG(Number(m.burn_tbsa_percent))}%
            </text>
          ))}
      </svg>
      <ul class="entries">
        {card.injuries.map((i) => (
          <li key={i.event_id}>
            {localTime(i.occurred_at)} · {i.laterality && i.laterality !== "midline" ? label("side", i.laterality) + " " : ""}
            {label("region", i.region)} {((i.kinds as string[]) ?? []).map((k) => label("injury_kind", k)).join(", ")}{" "}
            {((i.mechanisms as string[]) ?? []).length > 0 && <>({((i.mechanisms as string[]) ?? []).map((m) => label("mechanism", m)).join(", ")})</>}
            {i.burn_tbsa_percent != null && <strong data-testid="burn-entry"> · {t("burn.percent", { percent: formatG(Number(i.burn_tbsa_percent)) })}</strong>}
            <EntryActions card={card} entry={i} />
          </li>
        ))}
      </ul>
    </section>
  );
}
