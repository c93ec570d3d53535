import { describe, expect, it } from "vitest";
import { ada, max } from "@/lib/testing/demo-viewers";
import { viewFromParams } from "@/components/api-keys/url-state";
import { mayListAccountKeys } from "@/lib/roles/inventory";
import { inventoryFiltersFromParams, isFiltered } from "./filters";

const filters = (query: string) => inventoryFiltersFromParams(new URLSearchParams(query));

describe("All Keys in the URL", () => {
  it("is a tab for account admins only: for anyone else `tab=all` is User Keys", () => {
    expect(viewFromParams(new URLSearchParams("tab=all"), ada).tab).toBe("all");
    expect(viewFromParams(new URLSearchParams("tab=all"), max).tab).toBe("user");
    expect(mayListAccountKeys("admin").allowed).toBe(true);
    expect(mayListAccountKeys("member")).toEqual({
      allowed: false,
      reason: "Only account admins can list every key in the account.",
    });
  });

  it("reads every filter, and only the choices the tab offers", () => {
    expect(filters("type=service&status=all&owner=VXNlcjp4&expiring=30&unused=90&exceeds=1")).toEqual({
      type: "service",
      status: "all",
      ownerId: "VXNlcjp4",
      expiringWithin: "30",
      unusedFor: "90",
      exceedsPolicy: true,
    });
    expect(filters("type=robot&status=gone&expiring=8&unused=7&exceeds=yes")).toEqual({ status: "active" });
  });

  it("counts as filtered when any filter hides a key: the default Active hides revoked and expired ones", () => {
    expect(isFiltered(filters("status=all"))).toBe(false);
    expect(isFiltered(filters(""))).toBe(true);
    expect(isFiltered(filters("status=active"))).toBe(true);
    expect(isFiltered(filters("status=revoked"))).toBe(true);
    expect(isFiltered(filters("unused=30"))).toBe(true);
    expect(isFiltered(filters("owner=x"))).toBe(true);
    expect(isFiltered(filters("exceeds=1"))).toBe(true);
  });
});
