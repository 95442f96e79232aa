// The links strip (issue 15): linked, or cut with the data's age growing, in both languages.
import { describe, expect, it } from "vitest";
import { age, linkText, type PeerLink } from "../src/links";

const peer = (over: Partial<PeerLink>): PeerLink => ({
  node: "rear", link_up: true, last_contact: "2026-12-07T18:00:00Z", data_age_seconds: 0, events_waiting: 0, ...over,
});

describe("linkText", () => {
  it("says a link is up, and nothing of an age", () => {
    expect(linkText(peer({}), 30, "en")).toBe("rear: linked");
    expect(linkText(peer({}), 30, "uk")).toBe("rear: зв'язок є");
  });

  it("ages the data of a cut link by the time since the answer came", () => {
    const cut = peer({ link_up: false, data_age_seconds: 40 });
    expect(linkText(cut, 0, "en")).toBe("rear: no link · data 40 s old");
    expect(linkText(cut, 95, "en")).toBe("rear: no link · data 0 h 02 min old");
    expect(linkText(cut, 95, "uk")).toBe("rear: зв'язку немає · дані давністю 0 год 02 хв");
  });

  it("tells a link never up from one cut, and counts the events waiting", () => {
    const never = peer({ node: "fwd1", link_up: false, last_contact: null, data_age_seconds: null, events_waiting: 12 });
    expect(linkText(never, 5, "en")).toBe("fwd1: no link, not in contact yet · 12 events waiting");
    expect(linkText(never, 5, "uk")).toBe("fwd1: зв'язку немає, контакту ще не було · подій у черзі: 12");
  });
});

describe("age", () => {
  it("gives seconds under a minute and hours and minutes above", () => {
    expect(age(59.9, "en")).toBe("59 s");
    expect(age(3 * 3600 + 7 * 60, "en")).toBe("3 h 07 min");
  });
});
