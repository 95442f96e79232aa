// The 9-line and MIST of one casualty as an SMS, in the server's GH1 text form
// (src/goldenhour/adapters/radio/sms.py, which decodes it): for a phone with signal but no data.
// Short labelled lines: the 9-line as `n content`, the MIST's Z, AGE, TIME, M and I, and a `K:`
// line with what the receiving medic acts on first (NATO triage, tourniquets still on with the
// time each went on, the last vital signs); a closing `#` line holds the CRC-32 of the rest.
// The signs and treatments of the MIST travel in `K:` only (tourniquets, the last vitals): the
// full card follows when the phone has data again. tests/integration/test_sms_parity.py has
// Python decode what this writes.
import { type Card, type Tourniquet } from "./card";
import type { Wire } from "./db";
import type { LatLon } from "./geo";
import { mist, nineLine, type Radio } from "./medevac";
import { nato } from "./triage";

const LIMB_CODES: Record<string, string> = { right_arm: "RA", left_arm: "LA", right_leg: "RL", left_leg: "LL" };
const SIGNS: [string, string][] = [
  ["P", "pulse"],
  ["R", "respiratory_rate"],
  ["O", "spo2"],
  ["S", "systolic"],
  ["D", "diastolic"],
];
// GSM 03.38 (3GPP TS 23.038): the basic set, one septet each, and its extension, two.
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENSION = new Set("\f^{}\\[~]|€");

export interface SmsParts {
  encoding: "GSM-7" | "UCS-2";
  units: number; // septets (GSM-7) or UTF-16 code units (UCS-2)
  parts: number;
}

/** How a text travels as SMS: GSM-7 (160 in one part, 153 per part) or UCS-2 (70, 67). */
export function smsParts(text: string): SmsParts {
  const chars = [...text];
  if (chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c))) {
    const units = chars.reduce((n, c) => n + (GSM_EXTENSION.has(c) ? 2 : 1), 0);
    return { encoding: "GSM-7", units, parts: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length;
  return { encoding: "UCS-2", units, parts: units <= 70 ? 1 : Math.ceil(units / 67) };
}

let CRC_TABLE: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zlib.crc32) of bytes. */
export function crc32(bytes: Uint8Array): number {
  if (CRC_TABLE === null) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A UTC time as the K: line writes it: YYYYMMDDHHMM. */
function stamp(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16).replace(/[-T:]/g, "");
}

/** Line 2 "38.900 MHZ / KALYNA 21" as "38.9/KALYNA 21" (sms.py _nine_line_lines). */
function radioLine(content: string): string {
  const [frequency, ...rest] = content.split(" / ");
  const [number, unit] = frequency.split(" ");
  let short = number;
  if (number.includes(".")) {
    const [whole, fraction] = number.split(".");
    short = `${whole}.${fraction.replace(/0+$/, "") || "0"}`;
  }
  if (unit === "KHZ") short += "KHZ";
  return `${short}/${rest.join(" / ")}`;
}

/** "A1 B0 C2" as "A1C2": counts that are zero are left out ("A0" when all are). */
function countsLine(content: string): string {
  const kept = content.split(" ").filter((c) => !/^[A-Z]0$/.test(c));
  return kept.join("") || "A0";
}

function nineLineLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^LINE (\d): (.*)$/.exec(line);
    if (!m) continue;
    const [, n, content] = m;
    let short = content;
    if (n === "1") short = content.replace(/\s+/g, "");
    else if (n === "2") short = radioLine(content);
    else if (n === "3" || n === "8") short = countsLine(content);
    else if (n === "5") short = content.replace(/\s+/g, "");
    out.push(`${n} ${short}`);
  }
  return out;
}

/** The MIST's Z, AGE, TIME, M and I lines with short labels; S and T travel in K: instead. */
function mistLines(card: Card, now: number): string[] {
  const out: string[] = [];
  for (const line of mist(card, now).split("\n")) {
    const m = /^(MIST Z|AGE|TIME|M|I): ?(.*)$/.exec(line);
    if (!m || !m[2].trim()) continue;
    const label = m[1] === "MIST Z" ? "Z" : m[1] === "AGE" ? "A" : m[1];
    out.push(`${label}:${m[2].trim()}`);
  }
  return out;
}

function running(t: Tourniquet, now: number): boolean {
  return t.ended_at === null || Date.parse(t.ended_at) > now;
}

/** The K: tokens: triage, tourniquets still on, the last vital signs (sms.py essentials_text). */
export function essentials(card: Card, now: number): string {
  const tokens: string[] = [];
  const category = (card.triage.nato?.category as string | undefined) ?? nato(card).category;
  if (category) tokens.push(category.toUpperCase());
  const on = card.tourniquets.filter((t) => running(t, now));
  on.sort((a, b) => Date.parse(a.applied_at) - Date.parse(b.applied_at));
  for (const t of on) tokens.push(`TQ${(t.limb && LIMB_CODES[t.limb]) || "X"}@${stamp(t.applied_at)}`);
  const last: Wire | undefined = card.vitals[card.vitals.length - 1];
  if (last) {
    const signs = SIGNS.filter(([, name]) => last[name] !== null && last[name] !== undefined);
    if (signs.length || last.avpu) {
      tokens.push(`V@${stamp(last.occurred_at)}`);
      for (const [sign, name] of signs) tokens.push(`${sign}${last[name]}`);
      if (last.avpu) tokens.push(`C${last.avpu}`);
    }
  }
  return tokens.join(" ");
}

/**
 * The SMS text of one casualty's 9-line and MIST, ending with its checksum line; empty when
 * there is no 9-line to send (a casualty recorded dead).
 */
export function smsText(card: Card, pickup: LatLon, radio: Radio, now: number = Date.now()): string {
  const nine = nineLine([card], pickup, radio);
  if (!nine) return "";
  const lines = ["GH1", ...nineLineLines(nine), ...mistLines(card, now)];
  const k = essentials(card, now);
  if (k) lines.push(`K:${k}`);
  const body = lines.join("\n");
  const crc = crc32(new TextEncoder().encode(body)).toString(16).toUpperCase().padStart(8, "0");
  return `${body}\n#${crc}`;
}

/** An `sms:` link (RFC 5724) that opens the messaging app with the text, to `number` if given. */
export function smsLink(number: string, text: string): string {
  return `sms:${number.replace(/[^0-9+]/g, "")}?body=${encodeURIComponent(text)}`;
}
