// The live operational picture for the coordinator and the facility: loaded from the API once,
// then kept current from the event stream (what the server learns shows within a second).
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api";
import { follow, type LiveEvent } from "./live";
import type { RecordRow, ServerCard } from "./remote";

export interface Picture {
  cards: Map<string, ServerCard>;
  requests: RecordRow[];
  missions: RecordRow[];
  vehicles: RecordRow[];
  facilities: RecordRow[];
  points: RecordRow[];
  threats: RecordRow[];
  version: number;
  loaded: boolean;
  error: boolean;
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
    const loadList = async (name: ListName) => {
      const r = await api<{ records: RecordRow[] }>(`/api/v1/${name}`);
      state.current[name] = r.records;
    };
    const loadCards = async () => {
      const r = await api<{ casualties: ServerCard[] }>(`/api/v1/casualties?limit=5000&updated_since=${cardsCursor}`);
      for (const c of r.casualties) {
        state.current.cards.set(c.casualty_id, c);
        cardsCursor = Math.max(cardsCursor, c.updated_seq);
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
        await Promise.all([...LISTS.map(loadList), loadCards()]);
        if (cancelled) return;
        state.current.loaded = true;
        bump();
        const seqs = [cardsCursor, ...LISTS.flatMap((l) => state.current[l].map((r) => r.updated_seq))];
        stop = follow({ store: false, onEvent, after: Math.max(0, ...seqs) });
      } catch {
        state.current.error = true;
        bump();
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
