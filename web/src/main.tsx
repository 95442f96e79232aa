// Golden Hour's web app: open the device's store and session, then render the app.
import { render } from "preact";
import { loadSession } from "./api";
import { App } from "./app";
import { currentLang } from "./i18n";
import { startLock } from "./lock/lock";
import { watchConnection } from "./sync";
import "./styles.css";

async function boot(): Promise<void> {
  document.documentElement.lang = currentLang();
  await loadSession();
  await startLock();
  watchConnection();
  render(<App />, document.getElementById("app")!);
  // First render, in ms since the navigation started (read by the budget test).
  requestAnimationFrame(() => ((window as unknown as { __ghRendered: number }).__ghRendered = performance.now()));
  if ("serviceWorker" in navigator && import.meta.env.PROD) {
    void navigator.serviceWorker.register("/sw.js", { scope: "/" });
  }
}

void boot();
