// The live operational picture for the coordinator and the facility: loaded from the API once,
// then kept current from the event stream (what the server learns shows within a second).
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api";
import { follow, type LiveEvent } from "./live";
import type { FacilityRecord, MissionRecord, PointRecord, RequestRecord, ServerCard, ThreatRecord, VehicleRecord } from "./remote";

export interface Picture {
  cards: Map<string, ServerCard>;
  requests: RequestRecord[];
  missions: MissionRecord[];
  vehicles: VehicleRecord[];
  facilities: FacilityRecord[];
  points: PointRecord[];
  threats: ThreatRecord[];
  version: number;
  loaded: boolean;
  // Every page of cards is loaded (until then the oldest cards are still coming).
  complete: boolean;
  error: boolean;
}

// A page of a list: ``more`` says another follows, asked for with ``next_cursor``.
interface Page {
  more?: boolean;
  next_cursor?: number | null;
}

// Records per page (``?page_size=`` in the address changes it: the tests page small lists).
const PAGE_SIZE = pageSize();

function pageSize(): number {
  const asked = Number(new URLSearchParams(globalThis.location?.search ?? "").get("page_size"));
  return Number.isInteger(asked) && asked >= 1 && asked <= 5000 ? asked : 5000;
}

const LISTS = ["requests", "missions", "vehicles", "facilities", "points", "threats"] as const;
type ListName = (typeof LISTS)[number];
const STREAM_LIST: Record<string, ListName> = {
  request: "requests",
  mission: "missions",
  vehicle: "vehicles",
  facility: "facilities",
  point: "points",
  threat: "threats",
};

export function usePicture(): Picture {
  const state = useRef<Picture>({
    cards: new Map(),
    requests: [],
    missions: [],
    vehicles: [],
    facilities: [],
    points: [],
    threats: [],
    version: 0,
    loaded: false,
    complete: false,
    error: false,
  });
  const [, setVersion] = useState(0);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cardsCursor = 0;
    let cancelled = false;
    const dirty = new Set<ListName>();
    let cardsDirty = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      state.current = { ...state.current, version: state.current.version + 1 };
      setVersion(state.current.version);
    };
    const loadList = async <N extends ListName>(name: N) => {
      // Every page, oldest change first: the list is replaced only once it is whole.
      const records: Picture[N][number][] = [];
      let after = "";
      for (;;) {
        const r = await api<Page & { records: Picture[N][number][] }>(`/api/v1/${name}?limit=${PAGE_SIZE}${after}`);
        records.push(...r.records);
        if (!r.more || r.next_cursor == null) break;
        after = `&after=${r.next_cursor}`;
      }
      state.current[name] = records as Picture[N];
    };
    const keep = (c: ServerCard) => {
      // A page read before a card changed may arrive after the change: keep the newer card.
      const held = state.current.cards.get(c.casualty_id);
      if (!held || held.updated_seq <= c.updated_seq) state.current.cards.set(c.casualty_id, c);
    };
    // The cards changed since the cursor, newest first, a page at a time. ``first`` is called
    // after the first page (the screen is usable then); the older pages follow.
    const loadCards = async (first?: () => void) => {
      const since = cardsCursor;
      let before = "";
      for (let page = 0; ; page++) {
        const r = await api<Page & { casualties: ServerCard[] }>(
          `/api/v1/casualties?limit=${PAGE_SIZE}&updated_since=${since}${before}`,
        );
        for (const c of r.casualties) keep(c);
        if (page === 0) {
          // Everything newer than this page's newest card is read by the next pass.
          cardsCursor = Math.max(cardsCursor, ...r.casualties.map((c) => c.updated_seq));
          first?.();
        }
        if (!r.more || r.next_cursor == null) break;
        before = `&before=${r.next_cursor}`;
      }
    };
    const flush = async () => {
      const lists = [...dirty];
      dirty.clear();
      const cards = cardsDirty;
      cardsDirty = false;
      try {
        await Promise.all([...lists.map(loadList), cards ? loadCards() : Promise.resolve()]);
        bump();
      } catch {
        for (const l of lists) dirty.add(l);
        cardsDirty ||= cards;
        timer = setTimeout(() => void flush(), 2000);
      }
    };
    const onEvent = (e: LiveEvent) => {
      if (e.stream === "casualty") cardsDirty = true;
      else if (STREAM_LIST[e.stream]) dirty.add(STREAM_LIST[e.stream]);
      // A mission links casualties to a facility: the facility sees their cards from now on.
      // (its requests and their cards were stored before the link: read them again).
      if (e.stream === "mission") dirty.add("requests");
      if (e.stream === "mission" || e.stream === "request") cardsDirty = true;
      // Those cards may be older than the cursor (a walk-in registered since moved it on), so a
      // mission reads them all again rather than only those updated since.
      if (e.stream === "mission") cardsCursor = 0;
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), 100);
    };
    const start = async () => {
      try {
        let rest: Promise<void> = Promise.resolve();
        await Promise.all([
          ...LISTS.map(loadList),
          new Promise<void>((firstPage, failed) => {
            rest = loadCards(firstPage);
            rest.catch(failed);
          }),
        ]);
        if (cancelled) return;
        state.current.loaded = true;
        bump();
        const seqs = [cardsCursor, ...LISTS.flatMap((l) => state.current[l].map((r) => r.updated_seq))];
        stop = follow({ store: false, onEvent, after: Math.max(0, ...seqs) });
        // The older cards, page after page, while the screen is already in use.
        await rest;
        if (cancelled) return;
        state.current.complete = true;
        bump();
      } catch {
        state.current.error = true;
        bump();
        // Start again from the newest card: a page missed part-way would otherwise stay missed.
        stop?.();
        stop = undefined;
        cardsCursor = 0;
        timer = setTimeout(() => void start(), 3000);
      }
    };
    void start();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      stop?.();
    };
  }, []);
  return state.current;
}
