// The lock screen: a PIN pad made for gloves (keys 72 px high, the whole width), to choose a
// PIN on this phone or open its store; after too many wrong PINs, the password.
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { choosePin, type LockState, unlockWithPassword, unlockWithPin } from "./lock";
import { PIN_MAX, PIN_MIN, validPin, WrongSecretError } from "./vault";
import "./lock.css";

function PinPad({ title, hint, error, busy, onEnter }: { title: string; hint: string; error: string | null; busy: boolean; onEnter: (pin: string) => void }) {
  const [pin, setPin] = useState("");
  const press = (digit: string) => setPin((p) => (p.length < PIN_MAX ? p + digit : p));
  const enter = () => {
    const given = pin;
    setPin("");
    onEnter(given);
  };
  // A keyboard (or a test) types the digits too.
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === "Backspace") setPin((p) => p.slice(0, -1));
      else if (e.key === "Enter") document.querySelector<HTMLButtonElement>("[data-testid=pin-enter]")?.click();
    };
    window.addEventListener("keydown", key);
    return () => window.removeEventListener("keydown", key);
  }, []);
  return (
    <section class="pin-pad card-panel" data-testid="pin-pad" aria-labelledby="pin-title">
      <h2 id="pin-title">{title}</h2>
      <p>{hint}</p>
      <p class="pin-dots" aria-live="polite" data-testid="pin-dots">
        <span aria-hidden="true">{"●".repeat(pin.length) || "\u00a0"}</span>
        <span class="visually-hidden">{t("lock.digits", { n: pin.length })}</span>
      </p>
      {error && (
        <p class="error" role="alert" data-testid="pin-error">
          {error}
        </p>
      )}
      <div class="pin-keys">
        {["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((d) => (
          <button key={d} type="button" class="pin-key" onClick={() => press(d)} disabled={busy}>
            {d}
          </button>
        ))}
        <button type="button" class="pin-key" aria-label={t("lock.erase")} onClick={() => setPin((p) => p.slice(0, -1))} disabled={busy}>
          ⌫
        </button>
        <button type="button" class="pin-key" onClick={() => press("0")} disabled={busy}>
          0
        </button>
        <button type="button" class="pin-key primary" data-testid="pin-enter" onClick={enter} disabled={busy || pin.length < PIN_MIN}>
          {busy ? "…" : t("lock.enter")}
        </button>
      </div>
    </section>
  );
}

function ChoosePin() {
  const [first, setFirst] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const enter = async (pin: string) => {
    if (!validPin(pin)) return setError(t("lock.too_short", { n: PIN_MIN }));
    if (first === null) {
      setFirst(pin);
      setError(null);
      return;
    }
    if (pin !== first) {
      setFirst(null);
      return setError(t("lock.mismatch"));
    }
    setBusy(true);
    try {
      await choosePin(pin);
    } finally {
      setBusy(false);
    }
  };
  return first === null ? (
    <PinPad key="choose" title={t("lock.setup_title")} hint={t("lock.setup_hint", { min: PIN_MIN, max: PIN_MAX })} error={error} busy={busy} onEnter={(p) => void enter(p)} />
  ) : (
    <PinPad key="confirm" title={t("lock.confirm_title")} hint={t("lock.confirm_hint")} error={error} busy={busy} onEnter={(p) => void enter(p)} />
  );
}

function EnterPin() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const enter = async (pin: string) => {
    setBusy(true);
    try {
      const result = await unlockWithPin(pin);
      if (result !== "unlocked") setError(t("lock.wrong", { n: result }));
    } finally {
      setBusy(false);
    }
  };
  return <PinPad title={t("lock.unlock_title")} hint={t("lock.unlock_hint")} error={error} busy={busy} onEnter={(p) => void enter(p)} />;
}

function EnterPassword() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unlockWithPassword(input.current?.value ?? "");
    } catch (err) {
      if (!(err instanceof WrongSecretError)) throw err;
      setError(t("lock.password_wrong"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login card-panel" data-testid="lock-password" onSubmit={(e) => void submit(e)}>
      <h2>{t("lock.password_title")}</h2>
      <p>{t("lock.password_hint")}</p>
      <label>
        {t("auth.password")}
        <input ref={input} name="password" type="password" autocomplete="current-password" required />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary huge" disabled={busy}>
        {t("lock.open")}
      </button>
    </form>
  );
}

/** What the app shows instead of its views while the store is not open. */
export function LockScreen({ state }: { state: LockState }) {
  if (state === "setup") return <ChoosePin />;
  if (state === "locked") return <EnterPin />;
  if (state === "password") return <EnterPassword />;
  return <p>{t("app.loading")}</p>;
}
