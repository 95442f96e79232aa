// The administrator's view: every account (role, unit, facility, state); add one; give one another
// role or unit, a new password, or disable it; list and revoke its device tokens. The server
// refuses all of this to anyone but an administrator and writes each change under their name.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, session } from "../api";
import { t } from "../i18n";
import { localTime } from "../time";

interface User {
  user_id: string;
  username: string;
  role: string;
  unit_id: string;
  facility_id: string | null;
  disabled: boolean;
}
interface Named {
  id: string;
  name: string;
}
interface DeviceToken {
  token_id: string;
  device: string;
  issued_at: string;
  expires_at: string;
  revoked: boolean;
  lost: boolean;
}

const ROLES = ["medic", "coordinator", "facility", "analyst", "admin", "crew"] as const;

function refusal(error: unknown): string {
  if (error instanceof ApiError) return t("admin.refused", { field: error.field ?? "", reason: error.message });
  return t("admin.offline");
}

/** DELETE answers 204 with no body, which ``api`` would try to read. */
async function revoke(tokenId: string, lost: boolean): Promise<void> {
  const response = await fetch(`/api/v1/auth/device-tokens/${tokenId}?lost=${lost}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${session()?.token ?? ""}` },
  });
  if (!response.ok) throw new ApiError(response.status, "token_id", response.statusText);
}

function Assignment({
  prefix,
  role,
  unit,
  facility,
  units,
  facilities,
  onRole,
  onUnit,
  onFacility,
}: {
  prefix: string;
  role: string;
  unit: string;
  facility: string;
  units: Named[];
  facilities: Named[];
  onRole: (v: string) => void;
  onUnit: (v: string) => void;
  onFacility: (v: string) => void;
}) {
  return (
    <>
      <label>
        {t("admin.role")}
        <select data-testid={`${prefix}-role`} value={role} onChange={(e) => onRole((e.target as HTMLSelectElement).value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}` as "role.medic")}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("admin.unit")}
        <select data-testid={`${prefix}-unit`} value={unit} onChange={(e) => onUnit((e.target as HTMLSelectElement).value)}>
          {units.map((u) => (
            <option key={u.id} value={u.id} translate={false}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      {role === "facility" && (
        <label>
          {t("admin.facility")}
          <select data-testid={`${prefix}-facility`} value={facility} onChange={(e) => onFacility((e.target as HTMLSelectElement).value)}>
            {facilities.map((f) => (
              <option key={f.id} value={f.id} translate={false}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  );
}

function NewUser({ units, facilities, onDone }: { units: Named[]; facilities: Named[]; onDone: (message: string) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState("medic");
  const [unit, setUnit] = useState(units[0]?.id ?? "");
  const [facility, setFacility] = useState(facilities[0]?.id ?? "");
  const [error, setError] = useState("");
  useEffect(() => setUnit((u) => u || units[0]?.id || ""), [units]);
  useEffect(() => setFacility((f) => f || facilities[0]?.id || ""), [facilities]);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api("/api/v1/users", {
        method: "POST",
        body: JSON.stringify({ username, password, role, unit_id: unit, facility_id: role === "facility" ? facility : null }),
      });
      setError("");
      setUsername("");
      setPassword("");
      onDone(t("admin.added", { user: username }));
    } catch (err) {
      setError(refusal(err));
    }
  };
  return (
    <form class="panel admin-new" aria-labelledby="admin-new-h" onSubmit={(e) => void submit(e)}>
      <h3 id="admin-new-h">{t("admin.new_user")}</h3>
      <label>
        {t("admin.username")}
        <input data-testid="new-username" autocomplete="off" required value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        {t("admin.password")}
        <input data-testid="new-password" type="password" autocomplete="new-password" required minLength={10} value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      </label>
      <Assignment prefix="new" role={role} unit={unit} facility={facility} units={units} facilities={facilities} onRole={setRole} onUnit={setUnit} onFacility={setFacility} />
      {/* Not before the units are read: a tap then was refused as "unit_id: not a valid UUID". */}
      <button type="submit" class="primary" data-testid="new-user-add" disabled={!unit || (role === "facility" && !facility)}>
        {t("admin.add")}
      </button>
      {error && (
        <p class="error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
    </form>
  );
}

function UserPanel({ user, units, facilities, onDone }: { user: User; units: Named[]; facilities: Named[]; onDone: (message: string) => void }) {
  const [role, setRole] = useState(user.role);
  const [unit, setUnit] = useState(user.unit_id);
  const [facility, setFacility] = useState(user.facility_id ?? facilities[0]?.id ?? "");
  const [password, setPassword] = useState("");
  const [tokens, setTokens] = useState<DeviceToken[]>([]);
  const [error, setError] = useState("");
  const loadTokens = () =>
    api<{ records: DeviceToken[] }>(`/api/v1/auth/device-tokens?username=${encodeURIComponent(user.username)}`)
      .then((r) => setTokens(r.records))
      .catch(() => setTokens([]));
  useEffect(() => {
    setRole(user.role);
    setUnit(user.unit_id);
    setPassword("");
    setError("");
    void loadTokens();
  }, [user.user_id, user.disabled]);
  const run = async (work: () => Promise<unknown>, message: string) => {
    try {
      await work();
      setError("");
      onDone(message);
      void loadTokens();
    } catch (err) {
      setError(refusal(err));
    }
  };
  const base = `/api/v1/users/${encodeURIComponent(user.username)}`;
  return (
    <section class="panel admin-user" aria-labelledby="admin-user-h" data-testid="admin-user">
      <h3 id="admin-user-h">
        <span translate={false}>{user.username}</span>
      </h3>
      {error && (
        <p class="error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      <form
        aria-label={t("admin.reassign")}
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            () => api(`${base}/assignment`, { method: "PUT", body: JSON.stringify({ role, unit_id: unit, facility_id: role === "facility" ? facility : null }) }),
            t("admin.reassigned", { user: user.username }),
          );
        }}
      >
        <Assignment prefix="edit" role={role} unit={unit} facility={facility} units={units} facilities={facilities} onRole={setRole} onUnit={setUnit} onFacility={setFacility} />
        <button type="submit" data-testid="edit-save" disabled={user.disabled}>
          {t("admin.reassign")}
        </button>
      </form>
      <form
        aria-label={t("admin.reset_password")}
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            () => api(`${base}/password`, { method: "POST", body: JSON.stringify({ password }) }).then(() => setPassword("")),
            t("admin.password_reset", { user: user.username }),
          );
        }}
      >
        <label>
          {t("admin.new_password")}
          <input data-testid="reset-password" type="password" autocomplete="new-password" required minLength={10} value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" data-testid="reset-save" disabled={user.disabled}>
          {t("admin.reset_password")}
        </button>
      </form>
      {!user.disabled && (
        <button
          type="button"
          class="danger"
          data-testid="disable-user"
          onClick={() => void run(() => api(`${base}/disable`, { method: "POST", body: "{}" }), t("admin.disabled_done", { user: user.username }))}
        >
          {t("admin.disable")}
        </button>
      )}
      <h4>{t("admin.tokens")}</h4>
      {tokens.length === 0 ? (
        <p>{t("admin.no_tokens")}</p>
      ) : (
        <ul class="admin-tokens">
          {tokens.map((tk) => (
            <li key={tk.token_id} data-testid="device-token" data-revoked={tk.revoked ? "yes" : "no"}>
              <span translate={false}>{tk.device}</span> · {t("admin.issued", { time: localTime(tk.issued_at) })} ·{" "}
              {tk.revoked ? (tk.lost ? t("admin.token_lost") : t("admin.token_revoked")) : t("admin.token_valid")}
              {!tk.revoked && (
                <>
                  <button type="button" data-testid="token-revoke" onClick={() => void run(() => revoke(tk.token_id, false), t("admin.token_revoked"))}>
                    {t("admin.revoke")}
                  </button>
                  <button type="button" data-testid="token-lost" onClick={() => void run(() => revoke(tk.token_id, true), t("admin.token_lost"))}>
                    {t("admin.revoke_lost")}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Admin() {
  const [users, setUsers] = useState<User[]>([]);
  const [units, setUnits] = useState<Named[]>([]);
  const [facilities, setFacilities] = useState<Named[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const load = () =>
    api<{ records: User[] }>("/api/v1/users")
      .then((r) => {
        setUsers(r.records);
        setError("");
      })
      .catch((err) => setError(refusal(err)));
  useEffect(() => {
    void load();
    api<{ records: { unit_id: string; name: string }[] }>("/api/v1/units")
      .then((r) => setUnits(r.records.map((u) => ({ id: u.unit_id, name: u.name }))))
      .catch(() => setUnits([]));
    api<{ records: { id: string; name?: string; facility_id?: string }[] }>("/api/v1/facilities")
      .then((r) => setFacilities(r.records.map((f) => ({ id: String(f.facility_id ?? f.id), name: String(f.name ?? f.id) }))))
      .catch(() => setFacilities([]));
  }, []);
  const done = (text: string) => {
    setMessage(text);
    void load();
  };
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id.slice(0, 8);
  const facilityName = (id: string | null) => (id ? (facilities.find((f) => f.id === id)?.name ?? id.slice(0, 8)) : "");
  const user = users.find((u) => u.username === chosen);
  return (
    <div class="admin" data-testid="admin-view">
      <h2>{t("admin.title")}</h2>
      <p role="status" data-testid="admin-message">
        {message}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="admin-columns">
        <section class="panel" aria-labelledby="admin-users-h">
          <h3 id="admin-users-h">{t("admin.users")}</h3>
          <table class="admin-users">
            <thead>
              <tr>
                <th scope="col">{t("admin.username")}</th>
                <th scope="col">{t("admin.role")}</th>
                <th scope="col">{t("admin.unit")}</th>
                <th scope="col">{t("admin.state")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.user_id} data-testid="admin-user-row" data-username={u.username} aria-current={u.username === chosen ? "true" : undefined}>
                  <td>
                    <button type="button" class="link" onClick={() => setChosen(u.username)} translate={false}>
                      {u.username}
                    </button>
                  </td>
                  <td>{t(`role.${u.role}` as "role.medic")}</td>
                  <td translate={false}>
                    {unitName(u.unit_id)}
                    {u.facility_id ? ` · ${facilityName(u.facility_id)}` : ""}
                  </td>
                  <td data-testid="admin-user-state">{u.disabled ? t("admin.disabled") : t("admin.active")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <div class="admin-side">
          {user && <UserPanel user={user} units={units} facilities={facilities} onDone={done} />}
          <NewUser units={units} facilities={facilities} onDone={done} />
        </div>
      </div>
    </div>
  );
}
