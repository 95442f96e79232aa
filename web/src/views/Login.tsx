// Log in once per role; the device then keeps a device token and works offline.
import { useState } from "preact/hooks";
import { ApiError, login } from "../api";
import type { Session } from "../db";
import { t } from "../i18n";
import { afterLogin } from "../lock/lock";
import { loggedIn } from "../sync";

/** Log in, or (`user` given) log the same user in again after the device's token expired. */
export function Login({ user }: { user?: Session } = {}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const password = String(form.get("password"));
      const s = await login(String(form.get("username")), password);
      // The password opens this phone's store, or the user chooses a PIN to make one.
      await afterLogin(s.username, password);
      localStorage.removeItem("gh-wiped");
      loggedIn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t("auth.wrong"));
      else if (err instanceof ApiError && err.status === 429) setError(t("auth.too_many"));
      else setError(t("auth.offline"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login card-panel" onSubmit={submit} data-testid={user ? "login-again" : undefined}>
      <h2>{t(user ? "auth.again_title" : "auth.title")}</h2>
      <p>{t(user ? "auth.again_hint" : "auth.hint")}</p>
      {!user && localStorage.getItem("gh-wiped") && (
        <p class="error" role="status" data-testid="wiped-notice">
          {t("lock.wiped")}
        </p>
      )}
      <label>
        {t("auth.username")}
        <input name="username" autocomplete="username" required autocapitalize="off" value={user?.username} readOnly={!!user} />
      </label>
      <label>
        {t("auth.password")}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t("auth.submit")}
      </button>
    </form>
  );
}

/** The prompt shown when the server no longer accepts the device's token: entries wait on the
 * device; the same user logs in again and they go, without a reload. */
export function LoginAgain({ user }: { user: Session }) {
  return (
    <div class="login-again" role="alert">
      <Login user={user} />
    </div>
  );
}
