// The analyst's registry view (docs/registry.md): counts per day by category, Holcomb's rates
// with their Wilson intervals, the time-to-care chain and the tourniquet times, filtered by
// time, area and military/civilian. Cells under 5 casualties come suppressed from the server
// for an analyst and show as "<5". The page prints as a commander's one-pager.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { t, type Key } from "../i18n";

interface Cell {
  value: number | null;
  suppressed: boolean;
}
interface Rate {
  numerator: number | null;
  denominator: number | null;
  percent: number | null;
  low: number | null;
  high: number | null;
  missing: number;
  suppressed: boolean;
  newest_input_age_s: number | null;
}
interface Step {
  name: string;
  count: number | null;
  median_minutes: number | null;
  p90_minutes: number | null;
  missing: number;
  suppressed: boolean;
}
export interface Summary {
  rows: number;
  newest_input_age_s: number | null;
  counts: Record<string, Cell>;
  cfr: Rate;
  pct_kia: Rate;
  pct_dow: Rate;
  chain: Step[];
  tourniquet_bins: Record<string, Cell>;
  tourniquet_over_2h: Rate;
  tourniquet_missing: number;
  over_triage: Rate;
  under_triage: Rate;
  per_day: Record<string, Record<string, Cell>>;
  per_week: Record<string, Record<WeeklyRate, Rate>>;
  suppressed_below: number | null;
}

const CATEGORIES = ["kia", "dow", "rtd", "returned_later", "in_care", "unknown", "missing"];

function cell(c: Cell | undefined): string {
  if (!c) return "0";
  return c.value === null ? t("reg.suppressed") : String(c.value);
}

function percent(v: number | null): string {
  return v === null ? "–" : `${v.toFixed(1)} %`;
}

function RateRow({ name, rate }: { name: string; rate: Rate }) {
  const shown = rate.percent !== null && !rate.suppressed;
  return (
    <tr data-testid={`rate-${name}`}>
      <th scope="row">{t(`reg.rate.${name}` as Key)}</th>
      <td>{rate.suppressed ? t("reg.suppressed") : percent(rate.percent)}</td>
      <td>{shown ? `${percent(rate.low)} – ${percent(rate.high)}` : "–"}</td>
      <td>{shown ? `${rate.numerator} / ${rate.denominator}` : "–"}</td>
      <td>
        <svg class="reg-interval" viewBox="0 0 100 10" width="160" height="16" role="img" aria-label={t(`reg.rate.${name}` as Key)}>
          <rect class="reg-track" x="0" y="4" width="100" height="2" />
          {shown && <rect class="reg-ci" x={rate.low ?? 0} y="2" width={Math.max(0.5, (rate.high ?? 0) - (rate.low ?? 0))} height="6" />}
          {shown && <rect class="reg-point" x={Math.max(0, (rate.percent ?? 0) - 0.75)} y="0" width="1.5" height="10" />}
        </svg>
      </td>
      <td>{rate.missing}</td>
    </tr>
  );
}

function Bars({ label, values }: { label: string; values: [string, Cell][] }) {
  const top = Math.max(1, ...values.map(([, c]) => c.value ?? 0));
  const width = 24;
  return (
    <svg class="reg-bars" viewBox={`0 0 ${values.length * width} 110`} width={values.length * width * 2} height="220" role="img" aria-label={label}>
      {values.map(([name, c], i) => {
        const height = ((c.value ?? 0) / top) * 90;
        return (
          <g key={name}>
            <rect class={c.suppressed ? "reg-bar reg-hidden" : "reg-bar"} x={i * width + 3} y={95 - height} width={width - 6} height={Math.max(height, c.suppressed ? 2 : 0)} />
            <text x={i * width + width / 2} y="108" text-anchor="middle" class="reg-tick">
              {name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function PerDay({ days }: { days: Record<string, Record<string, Cell>> }) {
  const entries = Object.entries(days);
  if (!entries.length) return <p>{t("reg.none")}</p>;
  const totals = entries.map(([, c]) => CATEGORIES.reduce((sum, k) => sum + (c[k]?.value ?? 0), 0));
  const top = Math.max(1, ...totals);
  const width = 12;
  return (
    <svg class="reg-bars" viewBox={`0 0 ${entries.length * width} 100`} width={Math.min(900, entries.length * width * 3)} height="200" role="img" aria-label={t("reg.per_day")}>
      {entries.map(([day, c], i) => {
        let y = 100;
        return (
          <g key={day}>
            <title>{day}</title>
            {CATEGORIES.map((k) => {
              const h = ((c[k]?.value ?? 0) / top) * 95;
              y -= h;
              return <rect key={k} class={`reg-cat-${k}`} x={i * width + 1} y={y} width={width - 2} height={h} />;
            })}
          </g>
        );
      })}
    </svg>
  );
}

const WEEKLY_RATES = ["cfr", "pct_kia", "pct_dow"] as const;
type WeeklyRate = (typeof WEEKLY_RATES)[number];

// One rate's weekly values as points with their Wilson interval bars on a 0-100 % scale. A
// suppressed week shows "<5" where its point would be; a week without a denominator, nothing.
function WeeklyPlot({ name, weeks }: { name: WeeklyRate; weeks: [string, Record<WeeklyRate, Rate>][] }) {
  const step = 20;
  const left = 22;
  const width = left + weeks.length * step;
  const y = (v: number) => 100 - v * 0.9; // 0 % at y=100, 100 % at y=10
  return (
    <figure class="reg-week-panel">
      <figcaption>{t(`reg.rate.${name}` as Key)}</figcaption>
      <svg class="reg-weekly-plot" data-testid={`week-${name}`} viewBox={`0 0 ${width} 120`} width={Math.min(440, width * 2.2)} height="264" role="img" aria-label={t("reg.weekly.plot", { rate: t(`reg.rate.${name}` as Key) })}>
        {[0, 50, 100].map((v) => (
          <g key={v}>
            <rect class="reg-track" x={left - 2} y={y(v) - 0.25} width={width - left + 2} height="0.5" />
            <text class="reg-tick" x={left - 3} y={y(v) + 1.5} text-anchor="end">
              {v === 100 ? "100 %" : v}
            </text>
          </g>
        ))}
        {weeks.map(([week, rates], i) => {
          const rate = rates[name];
          const x = left + i * step + step / 2;
          const [year, number] = week.split("-W");
          const label = t("reg.weekly.week", { n: Number(number), year });
          const shown = !rate.suppressed && rate.percent !== null && rate.low !== null && rate.high !== null;
          return (
            <g key={week} data-testid={shown ? "week-point" : undefined}>
              <title>{shown ? t("reg.weekly.point", { week: label, value: percent(rate.percent), low: percent(rate.low), high: percent(rate.high), num: rate.numerator ?? 0, den: rate.denominator ?? 0 }) : `${label}: ${rate.suppressed ? t("reg.suppressed") : "–"}`}</title>
              {shown && <rect class="reg-ci" x={x - 1.5} y={y(rate.high ?? 0)} width="3" height={Math.max(0.5, ((rate.high ?? 0) - (rate.low ?? 0)) * 0.9)} />}
              {shown && <circle class="reg-point" cx={x} cy={y(rate.percent ?? 0)} r="2" />}
              {rate.suppressed && (
                <text class="reg-tick reg-hidden" x={x} y={y(0) - 2} text-anchor="middle">
                  {t("reg.suppressed")}
                </text>
              )}
              <text class="reg-tick" x={x} y="108" text-anchor="middle">
                {Number(number)}
              </text>
            </g>
          );
        })}
        <text class="reg-tick" x={left + (width - left) / 2} y="117" text-anchor="middle">
          {t("reg.weekly.axis")}
        </text>
      </svg>
    </figure>
  );
}

function WeeklyRates({ weeks }: { weeks: Record<string, Record<WeeklyRate, Rate>> }) {
  const entries = Object.entries(weeks);
  if (!entries.length) return <p>{t("reg.none")}</p>;
  return (
    <div class="reg-weekly" data-testid="reg-weekly">
      {WEEKLY_RATES.map((name) => (
        <WeeklyPlot key={name} name={name} weeks={entries} />
      ))}
    </div>
  );
}

export function Registry() {
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [population, setPopulation] = useState("");
  const [area, setArea] = useState("");
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState("");
  const load = () => {
    const query = new URLSearchParams();
    if (since) query.set("since", `${since}T00:00:00Z`);
    if (until) query.set("until", `${until}T00:00:00Z`);
    if (population) query.set("population", population);
    if (area) query.set("area", area.trim().toUpperCase());
    api<Summary>(`/api/v1/registry/summary?${query}`)
      .then((s) => {
        setSummary(s);
        setError("");
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  };
  useEffect(load, []);
  return (
    <section class="registry" aria-labelledby="reg-h">
      <h2 id="reg-h">{t("reg.title")}</h2>
      <form
        class="reg-filters"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label>
          {t("reg.since")}
          <input type="date" value={since} data-testid="reg-since" onInput={(e) => setSince((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t("reg.until")}
          <input type="date" value={until} data-testid="reg-until" onInput={(e) => setUntil((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t("reg.population")}
          <select value={population} data-testid="reg-population" onChange={(e) => setPopulation((e.target as HTMLSelectElement).value)}>
            <option value="">{t("reg.population.all")}</option>
            <option value="military">{t("reg.population.military")}</option>
            <option value="civilian">{t("reg.population.civilian")}</option>
          </select>
        </label>
        <label>
          {t("reg.area")}
          <input value={area} maxLength={7} translate={false} data-testid="reg-area" onInput={(e) => setArea((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary" data-testid="reg-apply">
          {t("reg.apply")}
        </button>
        <button type="button" onClick={() => window.print()}>
          {t("reg.print")}
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {summary && (
        <div data-testid="reg-summary">
          <p>
            {t("reg.rows", { n: summary.rows })}{" "}
            {summary.newest_input_age_s !== null && t("reg.newest", { min: Math.round(summary.newest_input_age_s / 60) })}
            {summary.suppressed_below !== null && ` ${t("reg.suppression", { n: summary.suppressed_below })}`}
          </p>
          <h3>{t("reg.counts")}</h3>
          <table class="reg-table" data-testid="reg-counts">
            <tbody>
              {Object.entries(summary.counts).map(([name, c]) => (
                <tr key={name}>
                  <th scope="row">{t(`reg.count.${name}` as Key)}</th>
                  <td>{cell(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("reg.rates")}</h3>
          <table class="reg-table">
            <thead>
              <tr>
                <th scope="col">{t("reg.rate")}</th>
                <th scope="col">{t("reg.value")}</th>
                <th scope="col">{t("reg.ci")}</th>
                <th scope="col">{t("reg.fraction")}</th>
                <th scope="col">{t("reg.interval")}</th>
                <th scope="col">{t("reg.missing")}</th>
              </tr>
            </thead>
            <tbody>
              <RateRow name="cfr" rate={summary.cfr} />
              <RateRow name="pct_kia" rate={summary.pct_kia} />
              <RateRow name="pct_dow" rate={summary.pct_dow} />
              <RateRow name="tourniquet_over_2h" rate={summary.tourniquet_over_2h} />
              <RateRow name="over_triage" rate={summary.over_triage} />
              <RateRow name="under_triage" rate={summary.under_triage} />
            </tbody>
          </table>
          <h3>{t("reg.weekly")}</h3>
          <WeeklyRates weeks={summary.per_week ?? {}} />
          <h3>{t("reg.chain")}</h3>
          <table class="reg-table" data-testid="reg-chain">
            <thead>
              <tr>
                <th scope="col">{t("reg.step")}</th>
                <th scope="col">{t("reg.median")}</th>
                <th scope="col">{t("reg.p90")}</th>
                <th scope="col">n</th>
                <th scope="col">{t("reg.missing")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.chain.map((s) => (
                <tr key={s.name}>
                  <th scope="row">{t(`reg.step.${s.name}` as Key)}</th>
                  <td>{s.suppressed ? t("reg.suppressed") : s.median_minutes === null ? "–" : t("reg.minutes", { n: Math.round(s.median_minutes) })}</td>
                  <td>{s.suppressed ? t("reg.suppressed") : s.p90_minutes === null ? "–" : t("reg.minutes", { n: Math.round(s.p90_minutes) })}</td>
                  <td>{s.count === null ? t("reg.suppressed") : s.count}</td>
                  <td>{s.missing}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("reg.tourniquets")}</h3>
          <Bars label={t("reg.tourniquets")} values={Object.entries(summary.tourniquet_bins)} />
          <h3>{t("reg.per_day")}</h3>
          <PerDay days={summary.per_day} />
          <ul class="reg-legend">
            {CATEGORIES.map((k) => (
              <li key={k}>
                <span class={`reg-swatch reg-cat-${k}`} aria-hidden="true" /> {t(`reg.count.${k}` as Key)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
