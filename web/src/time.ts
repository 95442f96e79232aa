// Times as people read them here: 24-hour local time, and Zulu date-time groups for orders.

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** Local time as HH:MM (24-hour, whatever the browser's locale says). */
export function localTime(iso: string | number | Date): string {
  const d = new Date(iso);
  return `${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Local date and time as DD.MM HH:MM. */
export function localDateTime(iso: string | number | Date): string {
  const d = new Date(iso);
  return `${two(d.getDate())}.${two(d.getMonth() + 1)} ${localTime(d)}`;
}

/** A date-time group in Zulu time, as orders write it: 141232Z JUN 22. */
export function dtg(iso: string | number | Date): string {
  const d = new Date(iso);
  return (
    `${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}Z ` +
    `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCFullYear() % 100)}`
  );
}

/** A date-time group in Zulu time as MIST writes it, without spaces: 141232ZJUN22 (mist.py). */
export function dtgCompact(iso: string | number | Date): string {
  return dtg(iso).replace(/ /g, "");
}

/** A time of day in Zulu as orders write it: 1232Z (zulu in domain/medevac/from_card.py). */
export function zulu(iso: string | number | Date): string {
  const d = new Date(iso);
  return `${two(d.getUTCHours())}${two(d.getUTCMinutes())}Z`;
}

/** A duration as H:MM:SS (or MM:SS under an hour), never negative. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** Now as ISO 8601 with the zone (UTC), as the server wants every time. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** The value of an <input type="time"> for a moment, and back (today, local time). */
export function toTimeInput(iso: string): string {
  return localTime(iso);
}

export function fromTimeInput(value: string, reference = new Date()): string {
  const [h, m] = value.split(":").map(Number);
  const d = new Date(reference);
  d.setHours(h, m, 0, 0);
  // A time later than now was meant for yesterday (a tourniquet put on before midnight).
  if (d.getTime() > reference.getTime() + 60_000) d.setDate(d.getDate() - 1);
  return d.toISOString();
}
