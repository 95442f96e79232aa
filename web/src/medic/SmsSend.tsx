// "Send by SMS": the request of this casualty as one SMS in the short GH1 form, opened in the
// phone's messaging app (an sms: link), for when there is signal but no data. The server reads it
// through its SMS gateway (docs/sms.md). The gateway's number is kept on
// the device.
import { useState } from "preact/hooks";
import type { Card } from "../card";
import type { LatLon } from "../geo";
import { t } from "../i18n";
import type { Radio } from "../medevac";
import { smsLink, smsParts, smsText } from "../sms";

const NUMBER_KEY = "gh-sms-gateway";

export function SmsSend({ card, position, radio }: { card: Card; position: LatLon | null; radio: Radio }) {
  const [number, setNumber] = useState(() => localStorage.getItem(NUMBER_KEY) ?? "");
  const text = position ? smsText(card, position, radio) : "";
  if (!text) return null;
  const size = smsParts(text);
  return (
    <div class="sms-send" data-testid="sms-send">
      <h4>{t("sms.title")}</h4>
      <p class="muted">{t("sms.hint")}</p>
      <label>
        {t("sms.number")}
        <input
          type="tel"
          value={number}
          translate={false}
          data-testid="sms-number"
          onInput={(e) => {
            const value = (e.target as HTMLInputElement).value;
            setNumber(value);
            localStorage.setItem(NUMBER_KEY, value);
          }}
        />
      </label>
      <a class="button-link" href={smsLink(number, text)} data-testid="sms-link">
        {t("sms.send")}
      </a>
      <p class="muted" data-testid="sms-size">
        {t("sms.size", { chars: text.length, encoding: size.encoding, parts: size.parts })}
      </p>
    </div>
  );
}
