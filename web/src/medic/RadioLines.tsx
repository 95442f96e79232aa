// The radio lines of a 9-line (frequency, call sign, security, marking), as the medic types
// them: one form for a casualty's request and for a request for several.
import { label, t } from "../i18n";
import { TEXT_MAX } from "./lists";
import type { Radio } from "../medevac";

/** What a request starts with before the medic changes it. */
export const DEFAULT_RADIO: Radio = { frequency: "38.900 MHZ", callSign: "KALYNA 21", security: "E", marking: "D" };

const SECURITY = ["N", "P", "E", "X"];
const MARKING = ["A", "B", "C", "D", "E"];

/** The four radio lines, each changing one field of `radio`. */
export function RadioLines({ radio, onChange }: { radio: Radio; onChange: (radio: Radio) => void }) {
  const set = (key: keyof Radio) => (e: Event) => onChange({ ...radio, [key]: (e.target as HTMLInputElement | HTMLSelectElement).value });
  return (
    <div class="row">
      <label>
        {t("evac.frequency")}
        <input value={radio.frequency} maxLength={TEXT_MAX} translate={false} onInput={set("frequency")} />
      </label>
      <label>
        {t("evac.call_sign")}
        <input value={radio.callSign} maxLength={TEXT_MAX} translate={false} onInput={set("callSign")} />
      </label>
      <label>
        {t("evac.security")}
        <select value={radio.security} onChange={set("security")}>
          {SECURITY.map((v) => (
            <option key={v} value={v}>
              {label("security", v)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("evac.marking")}
        <select value={radio.marking} onChange={set("marking")}>
          {MARKING.map((v) => (
            <option key={v} value={v}>
              {label("marking", v)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
