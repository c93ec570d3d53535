/**
 * `GET /v2/users?search=` ([ext]): a case-insensitive substring of the name or the email, so "Max"
 * finds Max Member by name. Arize's `email` filter keeps matching the email only. Wildcards are text.
 * Paged with the same cursor as the unfiltered list. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import { setupDemo, type Demo } from "../testing/api-keys-test-kit";

interface Page {
  users: { id: string; name: string; email: string; status: string }[];
  pagination: { has_more: boolean; next_cursor?: string };
}

describe.each(testDatabases())("people search by name or email ($name)", (database) => {
  let d: Demo;
  beforeAll(async () => {
    d = await setupDemo(database);
    for (const [name, email] of [
      ["Maxine Okafor", "mo@search.example"],
      ["Olu Maxwell", "olu@search.example"],
      ["Dana 100%_Sure", "dana@search.example"],
      ["Zed Zero", "max.zero@search.example"],
    ])
      expect(
        (
          await d.harness.request("POST", "/v2/users", {
            token: d.tokens.admin,
            body: { name, email, role: "member", invite_mode: "NONE" },
          })
        ).status,
      ).toBe(201);
  });
  afterAll(() => d.harness.close());

  const list = async (query: string, token = d.tokens.admin) => {
    const res = await d.harness.request("GET", `/v2/users?${query}`, { token });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Page;
  };
  const names = async (query: string) => (await list(query)).users.map((u) => u.name).sort();

  it('"Max" finds people by name and by email, in any case', async () => {
    const expected = ["Max Member", "Maxine Okafor", "Olu Maxwell", "Zed Zero"];
    expect(await names("search=Max")).toEqual(expected);
    expect(await names("search=mAX")).toEqual(expected);
    expect(await names("search=okafor")).toEqual(["Maxine Okafor"]);
    expect(await names(`search=${encodeURIComponent("MO@SEARCH")}`)).toEqual(["Maxine Okafor"]);
    expect(await names(`search=${encodeURIComponent("  riley  ")}`)).toEqual(["Riley Reader"]);
    expect(await names("search=nobody-at-all")).toEqual([]);
  });

  it("Arize's email filter still matches the email only; with both, both must match", async () => {
    expect(await names("email=max")).toEqual(["Zed Zero"]);
    expect(await names("search=zed&email=max")).toEqual(["Zed Zero"]);
    expect(await names("search=olu&email=max")).toEqual([]);
  });

  it("% and _ are text, not wildcards", async () => {
    expect(await names(`search=${encodeURIComponent("100%_")}`)).toEqual(["Dana 100%_Sure"]);
    expect(await names(`search=${encodeURIComponent("%")}`)).toEqual(["Dana 100%_Sure"]);
    expect(await names("search=_")).toEqual(["Dana 100%_Sure"]);
  });

  it("pages with cursors through the matches only", async () => {
    const first = await list("search=max&limit=2");
    expect(first.users).toHaveLength(2);
    expect(first.pagination.has_more).toBe(true);
    const second = await list(
      `search=max&limit=2&cursor=${encodeURIComponent(first.pagination.next_cursor ?? "")}`,
    );
    const all = [...first.users, ...second.users].map((u) => u.name).sort();
    expect(all).toEqual(["Max Member", "Maxine Okafor", "Olu Maxwell", "Zed Zero"]);
    expect(second.pagination.has_more).toBe(false);
  });
});
