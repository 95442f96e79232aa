// The shell: who is logged in, on which unit, whether the device is online; the language and
// night-mode switches; and the view for the role (the coordinator's map loads only there).
import { lazy, Suspense } from "preact/compat";
import { useEffect, useRef, useState } from "preact/hooks";
import { logout, onSession, session } from "./api";
import { db, type Session } from "./db";
import { useLive, useOnline } from "./hooks";
import { currentLang, type Lang, setLang, t } from "./i18n";
import { follow } from "./live";
import { ClockMirror, DeviceAlarms, LockedAlarm } from "./lock/LockedAlarm";
import { lock, lockState, type LockState, onLockState } from "./lock/lock";
import { LockScreen } from "./lock/LockScreen";
import type { Online } from "./sync";
import { Admin } from "./views/Admin";
import { Crew } from "./views/Crew";
import { Facility } from "./views/Facility";
import { Registry } from "./views/Registry";
import { Login, LoginAgain } from "./views/Login";
import { Medic } from "./views/Medic";
import { NotFound } from "./views/NotFound";
import { TourniquetAlarm } from "./views/TourniquetAlarm";

const Coordinator = lazy(() => import("./views/Coordinator"));

function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || "/");
  useEffect(() => {
    const changed = () => setRoute(location.hash.slice(1) || "/");
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function navigate(route: string): void {
  location.hash = route;
}

function Status({ user, online }: { user: Session; online: Online }) {
  const pending = useLive(() => db.events.where("state").equals("pending").count(), []) ?? 0;
  // Never "All sent" while the server has refused something that is still on the device.
  const refused = useLive(() => db.events.where("state").equals("refused").count(), []) ?? 0;
  return (
    <div class="status" role="status" aria-live="polite">
      <span class={`dot ${online}`} aria-hidden="true" />
      <span data-testid="online-state">{t(`online.${online}`)}</span>
      <span class="who">
        <span translate={false}>{user.username}</span> · {t(`role.${user.role}` as "role.medic")} ·{" "}
        <span translate={false}>{user.unit_name ?? user.unit_id.slice(0, 8)}</span>
      </span>
      <span data-testid="outbox-count" class={pending || refused ? "pending" : "sent"}>
        {pending || refused
          ? [pending ? t("outbox.pending", { n: pending }) : "", refused ? t("outbox.refused_count", { n: refused }) : ""].filter(Boolean).join(" · ")
          : t("outbox.all_sent")}
      </span>
    </div>
  );
}

/** Log out; with entries not yet sent, first say they stay on this phone for this user. */
function LogoutButton() {
  const [unsent, setUnsent] = useState<number | null>(null);
  const stay = useRef<HTMLButtonElement>(null);
  // The warning takes the focus, on the safe choice, so a screen reader reads it out.
  useEffect(() => stay.current?.focus(), [unsent !== null]);
  const press = async () => {
    const count = await db.events.where("state").anyOf("pending", "refused").count();
    if (count === 0) await logout();
    else setUnsent(count);
  };
  return (
    <>
      <button type="button" onClick={() => void press()} aria-expanded={unsent !== null}>
        {t("auth.logout")}
      </button>
      {unsent !== null && (
        <div class="logout-warning" role="alertdialog" aria-labelledby="logout-h" aria-describedby="logout-p" data-testid="logout-warning">
          <h2 id="logout-h">{t("auth.logout_unsent_title")}</h2>
          <p id="logout-p">{t("auth.logout_unsent", { n: unsent })}</p>
          <button ref={stay} type="button" class="huge primary" data-testid="logout-cancel" onClick={() => setUnsent(null)}>
            {t("auth.logout_stay")}
          </button>
          <button type="button" class="huge" data-testid="logout-confirm" onClick={() => void logout()}>
            {t("auth.logout_keep")}
          </button>
        </div>
      )}
    </>
  );
}

function Switches({ onLang }: { onLang: (l: Lang) => void }) {
  const [night, setNight] = useState(document.documentElement.classList.contains("night"));
  const toggleNight = () => {
    const next = !night;
    document.documentElement.classList.toggle("night", next);
    localStorage.setItem("gh-night", next ? "1" : "0");
    setNight(next);
  };
  const other: Lang = currentLang() === "uk" ? "en" : "uk";
  return (
    <div class="switches">
      <button type="button" onClick={() => onLang(other)} title={t("switch.language")} lang={other}>
        {other === "uk" ? "Українська" : "English"}
      </button>
      <button type="button" aria-pressed={night} onClick={toggleNight}>
        {t("switch.night")}
      </button>
    </div>
  );
}

export function App() {
  const [user, setUser] = useState<Session | null>(session());
  const [, setLangState] = useState(currentLang());
  const [locked, setLocked] = useState<LockState>(lockState());
  const route = useRoute();
  const online = useOnline();
  useEffect(() => onSession(setUser), []);
  useEffect(() => onLockState(setLocked), []);
  const open = locked === "unlocked";
  useEffect(() => {
    // The medic's phone keeps what the server sends it (acknowledgements, ETAs, pickups), only
    // while its store is open: locked, nothing can be written; the stream resumes after unlock.
    if (!user || !["medic", "crew"].includes(user.role) || !open) return;
    return follow({ store: true });
  }, [user?.token, open]);
  const changeLang = (l: Lang) => {
    setLang(l);
    setLangState(l);
  };
  const view = user ? route.split("/")[1] || home(user.role) : "login";
  return (
    <div class={`shell view-${view}`} data-lock={user ? locked : "none"}>
      <header class="top">
        <h1>
          <a href="#/">{t("app.name")}</a>
        </h1>
        <Switches onLang={changeLang} />
        {user && <Status user={user} online={online} />}
        {user && (
          <nav aria-label={t("nav.views")}>
            {allowed(user.role).map((v) => (
              <a key={v} href={`#/${v}`} aria-current={view === v ? "page" : undefined}>
                {t(`nav.${v}` as "nav.medic")}
              </a>
            ))}
            {open && (
              <button type="button" data-testid="lock-now" onClick={lock}>
                {t("lock.now")}
              </button>
            )}
            <LogoutButton />
          </nav>
        )}
      </header>
      {user && online === "unauthorised" && <LoginAgain user={user} />}
      {user && open && <TourniquetAlarm />}
      {user && open && <ClockMirror />}
      {user && !open && <LockedAlarm />}
      <DeviceAlarms username={user?.username ?? null} />
      <main id="main">
        {!user && <Login />}
        {user && !open && <LockScreen state={locked} />}
        {user && open && view === "medic" && <Medic route={route} />}
        {user && open && view === "coordinator" && (
          <Suspense fallback={<p>{t("app.loading")}</p>}>
            <Coordinator />
          </Suspense>
        )}
        {user && open && view === "facility" && <Facility />}
        {user && open && view === "crew" && <Crew route={route} />}
        {user && open && view === "registry" && <Registry />}
        {user && open && view === "admin" && user.role === "admin" && <Admin />}
        {user && open && !KNOWN_VIEWS.includes(view) && <NotFound route={route} home={home(user.role)} />}
      </main>
    </div>
  );
}

/** The views the shell draws; any other address is "not found". */
const KNOWN_VIEWS = ["medic", "coordinator", "facility", "registry", "admin", "crew"];

/** Where a role lands: its own view (the analyst on the registry, not the medic's view). */
function home(role: string): string {
  if (role === "coordinator" || role === "admin") return "coordinator";
  if (role === "analyst") return "registry";
  if (role === "facility") return "facility";
  if (role === "crew") return "crew";
  return "medic";
}

function allowed(role: string): string[] {
  if (role === "admin") return ["medic", "coordinator", "facility", "registry", "admin"];
  return [home(role)];
}
