// An address the app does not know ("#/stats"): a page that says so, with the way back.
import { t } from "../i18n";

/** An address the app does not know (issue 17 item 12): say so, with the way back. */
export function NotFound({ route, home }: { route: string; home: string }) {
  return (
    <div class="not-found" data-testid="not-found">
      <h2>{t("notfound.title")}</h2>
      <p>
        {t("notfound.text")} <code translate={false}>#{route}</code>
      </p>
      <p>
        <a href={`#/${home}`} data-testid="not-found-home">
          {t("notfound.back", { view: t(`nav.${home}` as "nav.medic") })}
        </a>
      </p>
    </div>
  );
}
