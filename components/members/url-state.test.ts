import { describe, expect, it } from "vitest";
import { MAX_PAGES_IN_URL, membersQuery, membersStateFromParams } from "./url-state";

describe("Members URL state", () => {
  it("reads search and pages, from URLSearchParams or a page's searchParams", () => {
    expect(membersStateFromParams(new URLSearchParams("q=ada&pages=3"))).toEqual({ search: "ada", pages: 3 });
    expect(membersStateFromParams({ q: ["max", "other"], pages: "2" })).toEqual({ search: "max", pages: 2 });
  });

  it("falls back to the first page and no search for anything odd", () => {
    expect(membersStateFromParams(new URLSearchParams(""))).toEqual({ search: "", pages: 1 });
    for (const pages of ["0", "-1", "1e3", "abc", "2.5", "99999"]) {
      const { pages: read } = membersStateFromParams(new URLSearchParams({ pages }));
      expect(read, pages).toBeGreaterThanOrEqual(1);
      expect(read, pages).toBeLessThanOrEqual(MAX_PAGES_IN_URL);
    }
    expect(membersStateFromParams(new URLSearchParams("pages=999")).pages).toBe(MAX_PAGES_IN_URL);
  });

  it("writes only what differs from the default, and round-trips", () => {
    expect(membersQuery({ search: "", pages: 1 })).toBe("");
    expect(membersQuery({ search: "ada lovelace", pages: 2 })).toBe("?q=ada+lovelace&pages=2");
    const state = { search: "réka & co", pages: 4 };
    expect(membersStateFromParams(new URLSearchParams(membersQuery(state).slice(1)))).toEqual(state);
  });

  it("keeps other parameters", () => {
    expect(membersQuery({ search: "x", pages: 1 }, new URLSearchParams("foo=1&pages=9"))).toBe("?foo=1&q=x");
  });
});
