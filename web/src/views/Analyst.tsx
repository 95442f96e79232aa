// The analyst's landing (issue 17 item 12): an analyst sees de-identified figures and the
// operational picture without personal data (vehicles, facilities), never a casualty's card, so
// it lands here and not on the medic's view, whose "New casualty" the server would refuse.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { t } from "../i18n";
import type { RecordRow } from "../remote";
import { VehicleStates } from "./Vehicles";

export function Analyst() {
  const [vehicles, setVehicles] = useState<RecordRow[] | null>(null);
  const [facilities, setFacilities] = useState<RecordRow[]>([]);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    Promise.all([api<{ records: RecordRow[] }>("/api/v1/vehicles"), api<{ records: RecordRow[] }>("/api/v1/facilities")])
      .then(([v, f]) => {
        setVehicles(v.records);
        setFacilities(f.records);
      })
      .catch(() => setFailed(true));
  }, []);
  return (
    <div class="analyst" data-testid="analyst-view">
      <h2>{t("analyst.title")}</h2>
      <p>{t("analyst.hint")}</p>
      {failed && <p class="error">{t("coord.unreachable")}</p>}
      {!vehicles && !failed && <p>{t("app.loading")}</p>}
      {vehicles && <VehicleStates vehicles={vehicles} facilities={facilities} />}
      {vehicles && (
        <section aria-labelledby="fac-list-h">
          <h2 id="fac-list-h">{t("analyst.facilities", { n: facilities.length })}</h2>
          <ul>
            {facilities.map((f) => (
              <li key={f.id} translate={false}>
                {String(f.name ?? f.id.slice(0, 8))}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
