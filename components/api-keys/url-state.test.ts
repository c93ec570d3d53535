import { describe, expect, it } from "vitest";
import { max, riley } from "@/lib/testing/demo-viewers";
import { patchedQuery, sameFilters, STATUS_OPTIONS, viewFromParams } from "./url-state";

const view = (query: string, viewer = max) => viewFromParams(new URLSearchParams(query), viewer);

describe("viewFromParams", () => {
  it("opens on the User Keys tab, active keys, no search", () => {
    const state = view("");
    expect(state).toMatchObject({ tab: "user", status: "active", search: "", selected: undefined });
    expect(state.filters).toEqual({ tab: "user", status: "active" });
  });

  it("reads the tab, a visible space, the status and the search", () => {
    const state = view("tab=service&space=space-staging&status=revoked&q=ingest");
    expect(state.tab).toBe("service");
    expect(state.selected?.space.name).toBe("Staging");
    expect(state.filters).toEqual({
      tab: "service",
      spaceId: "space-staging",
      status: "revoked",
      search: "ingest",
    });
  });

  it("lists all spaces without a space, or with one the viewer cannot see", () => {
    expect(view("tab=service").filters).toEqual({ tab: "service", status: "active" });
    expect(view("tab=service&space=space-experiments", riley).selected).toBeUndefined();
    expect(view("tab=service&space=nope").filters.spaceId).toBeUndefined();
  });

  it("knows every status of the Status select and falls back to active for anything else", () => {
    expect(STATUS_OPTIONS.map((o) => o.label)).toEqual(["All", "Active", "Expired", "Revoked"]);
    for (const { value } of STATUS_OPTIONS) expect(view(`status=${value}`).status).toBe(value);
    expect(view("status=deleted").status).toBe("active");
  });

  it("ignores the space on the User Keys tab", () => {
    expect(view("space=space-staging").filters).toEqual({ tab: "user", status: "active" });
  });

  it("reads a page's searchParams record the same way (first value of a repeated key)", () => {
    const fromRecord = viewFromParams({ tab: "service", space: ["space-production", "x"], q: "a" }, max);
    expect(fromRecord.filters).toEqual(view("tab=service&space=space-production&q=a").filters);
  });
});

describe("patchedQuery and sameFilters", () => {
  it("sets and removes values, and drops an empty query", () => {
    const params = new URLSearchParams("tab=service&q=x");
    expect(patchedQuery(params, { status: "expired" })).toBe("?tab=service&q=x&status=expired");
    expect(patchedQuery(params, { q: "", tab: null })).toBe("");
  });

  it("compares filters by value, an absent search equal to an empty one", () => {
    expect(sameFilters({ tab: "user", status: "all" }, { tab: "user", status: "all", search: "" })).toBe(
      true,
    );
    expect(sameFilters({ tab: "user", status: "all" }, { tab: "user", status: "active" })).toBe(false);
  });
});
