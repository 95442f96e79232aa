// Each vehicle's state as the picture holds it: call sign, status and since when, where it was
// last reported and, on a mission, where it is going. The coordinator's view and the analyst's
// landing show it (vehicles carry no personal data, so the analyst may see them).
import { toMgrs } from "../geo";
import { label, t } from "../i18n";
import type { RecordRow } from "../remote";
import { localTime } from "../time";

type LatLon = { lat: number; lon: number };

function place(v: RecordRow): LatLon | null {
  const p = (v.position ?? v.base) as LatLon | null | undefined;
  return p && typeof p.lat === "number" && typeof p.lon === "number" ? p : null;
}

/** A vehicle's state as its crew last reported it: on a mission, the mission's step when the
 *  crew reported it after the vehicle's own status (en route, at pickup, loaded ...). */
export function vehicleState(v: RecordRow, mission: RecordRow | undefined): { group: "vehicle_status" | "mission_status"; status: unknown; at: string | null } {
  const own = { group: "vehicle_status" as const, status: v.status, at: typeof v.status_at === "string" ? v.status_at : null };
  if (!mission || mission.status === "assigned" || typeof mission.status_at !== "string") return own;
  return own.at && own.at > mission.status_at ? own : { group: "mission_status", status: mission.status, at: mission.status_at };
}

function latestMission(missions: RecordRow[], vehicleId: string): RecordRow | undefined {
  const mine = missions.filter((m) => m.vehicle_id === vehicleId && m.status !== "cancelled");
  return mine.sort((a, b) => String(b.assigned_at ?? "").localeCompare(String(a.assigned_at ?? "")))[0];
}

export function VehicleStates({ vehicles, missions = [], facilities = [] }: { vehicles: RecordRow[]; missions?: RecordRow[]; facilities?: RecordRow[] }) {
  const sorted = vehicles.slice().sort((a, b) => String(a.call_sign ?? a.id).localeCompare(String(b.call_sign ?? b.id)));
  return (
    <section class="vehicles" aria-labelledby="veh-h">
      <h2 id="veh-h">{t("vehicles.title", { n: sorted.length })}</h2>
      <ul data-testid="vehicle-states">
        {sorted.map((v) => {
          const mission = missions.find((m) => m.vehicle_id === v.id && !["cancelled", "handed_over"].includes(String(m.status)));
          const to = mission ? facilities.find((f) => f.id === mission.destination_id) : undefined;
          const at = place(v);
          const state = vehicleState(v, latestMission(missions, v.id));
          return (
            <li key={v.id} data-testid="vehicle-state" data-vehicle={String(v.call_sign ?? "")}>
              <strong translate={false}>{String(v.call_sign ?? v.id.slice(0, 8))}</strong> ·{" "}
              <span data-testid="vehicle-status">{state.status ? label(state.group, state.status) : t("vehicles.unknown")}</span>
              {state.at ? <> · {t("vehicles.since", { time: localTime(state.at) })}</> : null}
              {at ? (
                <>
                  {" · "}
                  <span translate={false}>{toMgrs(at, 4)}</span>
                </>
              ) : null}
              {mission ? (
                <>
                  {" · "}
                  {t("vehicles.mission", { status: label("mission_status", mission.status) })}
                  {to ? (
                    <>
                      {" → "}
                      <span translate={false}>{String(to.name)}</span>
                    </>
                  ) : null}
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
