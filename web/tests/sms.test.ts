// The SMS form of one casualty's request (src/sms.ts). With GOLDENHOUR_SMS_OUT set, every
// one-casualty golden case of tests/goldens/rules is written as SMS text for pytest to decode
// with the server's reader (tests/integration/test_sms_parity.py); otherwise the checks below.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Card, fold } from "../src/card";
import type { StoredEvent } from "../src/db";
import { nineLine } from "../src/medevac";
import { crc32, smsLink, smsParts, smsText } from "../src/sms";
import type { RuleCase } from "./rules-answer";

const RADIO = { frequency: "38.900 MHZ", callSign: "KALYNA 21", security: "E", marking: "D" };

function cardOf(c: RuleCase): Card {
  const x = c.casualties[0];
  const stored = x.events.map(
    (event, created): StoredEvent => ({
      event_id: event.event_id, stream: "casualty", stream_id: x.casualty_id, kind: event.kind,
      event, state: "stored", origin: "server", created,
    }),
  );
  return fold(x.casualty_id, stored);
}

function radioOf(c: RuleCase) {
  return { ...RADIO, frequency: c.frequency ?? RADIO.frequency, callSign: c.call_sign ?? RADIO.callSign, security: c.security, marking: c.marking };
}

const out = process.env.GOLDENHOUR_SMS_OUT;

if (out) {
  it("writes the golden cases as SMS", () => {
    const directory = new URL("../../tests/goldens/rules/", import.meta.url).pathname;
    const written = [];
    for (const file of readdirSync(directory).filter((f) => f.endsWith(".json")).sort()) {
      for (const c of JSON.parse(readFileSync(join(directory, file), "utf8")) as RuleCase[]) {
        if (c.casualties.length !== 1) continue;
        const card = cardOf(c);
        const now = Date.parse(c.now);
        written.push({
          name: c.name,
          sms: smsText(card, c.pickup, radioOf(c), now),
          nine_line: nineLine([card], c.pickup, radioOf(c)),
        });
      }
    }
    writeFileSync(out, JSON.stringify(written));
    expect(written.length).toBeGreaterThan(100);
  }, 600_000);
} else {
  describe("sms", () => {
    it("computes the CRC-32 zlib does", () => {
      expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    });

    it("counts GSM-7 septets and UCS-2 parts as the server does", () => {
      expect(smsParts("A".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, parts: 1 });
      expect(smsParts("A".repeat(161)).parts).toBe(2);
      expect(smsParts("[|").units).toBe(4);
      expect(smsParts("Поранення".repeat(7))).toEqual({ encoding: "UCS-2", units: 63, parts: 1 });
      expect(smsParts("Поранення".repeat(8)).parts).toBe(2);
    });

    it("puts the text in the body of an sms: link", () => {
      expect(smsLink("+380 50 123-45-67", "GH1\n1 X")).toBe("sms:+380501234567?body=GH1%0A1%20X");
    });
  });
}
