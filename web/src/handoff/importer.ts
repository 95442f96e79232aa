// Writing a handoff into this phone: the entries as the other phone made them (their ids,
// times and authors), sent by the user who received them, and a note of the handoff itself in
// the receiving user's name. An entry already here is left as it is: a code read twice adds
// nothing, and the server answers "duplicate" for an entry it already has.
import { session } from "../api";
import { db, type Wire } from "../db";
import { make } from "../events";
import { t } from "../i18n";
import { record } from "../sync";

export interface Imported {
  casualtyId: string;
  added: number;
}

export async function importHandoff(events: Wire[]): Promise<Imported> {
  const me = session();
  if (!me) throw new Error("nobody is logged in");
  const casualtyId = events[0].casualty_id as string;
  const fresh: Wire[] = [];
  for (const event of events) if (!(await db.events.get(event.event_id))) fresh.push(event);
  const start = Date.now();
  // One after the other, in the handoff's order: the outbox sends by `created`.
  for (const [i, event] of fresh.entries()) await record(event, { sender: me.username, created: start + i });
  if (fresh.length > 0) {
    const authors = [...new Set(fresh.map((e) => e.author))].join(", ");
    const devices = [...new Set(fresh.map((e) => e.device))].join(", ");
    const note = make("note_added", {
      casualty_id: casualtyId,
      text: t("handoff.note", { authors, devices, n: fresh.length }),
    });
    await record(note, { created: start + fresh.length });
  }
  return { casualtyId, added: fresh.length };
}
