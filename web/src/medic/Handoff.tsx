// Handing a casualty over from phone to phone without network (issue 13 item 13): the card
// shows its whole history as QR codes, another phone reads them with its camera. The codes'
// generator and the camera's reader load only when asked for (they stay out of the medic
// view's first download); the service worker keeps them for offline use like every file.
import type { ComponentType } from "preact";
import { useState } from "preact/hooks";
import { t } from "../i18n";

type Panel = ComponentType<{ casualtyId?: string; onClose: () => void }>;

function useLazy(load: () => Promise<{ default: Panel }>): [Panel | null, () => void, () => void] {
  const [panel, setPanel] = useState<Panel | null>(null);
  const open = () => void load().then((module) => setPanel(() => module.default));
  return [panel, open, () => setPanel(null)];
}

/** On a casualty's card: show its history as QR codes for another medic's phone. */
export function HandoffShow({ casualtyId }: { casualtyId: string }) {
  const [Codes, open, close] = useLazy(() => import("../handoff/ShowCodes"));
  if (Codes) return <Codes casualtyId={casualtyId} onClose={close} />;
  return (
    <button type="button" class="handoff-button" data-testid="handoff-show" onClick={open}>
      {t("handoff.show")}
    </button>
  );
}

/** On the list of casualties: read another phone's codes with the camera. */
export function HandoffReceive() {
  const [Scanner, open, close] = useLazy(() => import("../handoff/Scanner"));
  if (Scanner) return <Scanner onClose={close} />;
  return (
    <button type="button" class="handoff-button" data-testid="handoff-receive" onClick={open}>
      {t("handoff.receive")}
    </button>
  );
}
