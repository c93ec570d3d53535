import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import { decodeId } from "../domain/ids";
import type { Me } from "../schemas/directory";
import { createHarness, type ApiHarness, type DemoUser } from "../testing/api-harness";

interface Entry {
  id: string;
  name: string;
  description: string;
  created_at: string;
  member_count?: number;
}
interface ListBody {
  spaces?: Entry[];
  organizations?: Entry[];
  pagination: { has_more: boolean; next_cursor?: string };
}

const SPACES: Record<DemoUser, string[]> = {
  admin: ["Production", "Staging", "Experiments"],
  member: ["Production", "Staging", "Experiments"],
  readOnly: ["Production", "Staging"],
};
const ORGANIZATIONS: Record<DemoUser, string[]> = {
  admin: ["Platform", "Research"],
  member: ["Platform", "Research"],
  readOnly: ["Platform"],
};
const USERS = Object.keys(SPACES) as DemoUser[];

describe.each(testDatabases())("directory listings ($name)", (database) => {
  let harness: ApiHarness;
  const tokens = {} as Record<DemoUser, string>;
  const orgIds: Record<string, string> = {};

  beforeAll(async () => {
    harness = await createHarness(database);
    for (const user of USERS) tokens[user] = await harness.signIn(user);
    const me = (await (await harness.request("GET", "/v2/me", { token: tokens.admin })).json()) as Me;
    for (const org of me.organizations) orgIds[org.name] = org.id;
  });
  afterAll(() => harness.close());

  const list = async (user: DemoUser, path: string): Promise<ListBody> => {
    const res = await harness.request("GET", path, { token: tokens[user] });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    return (await res.json()) as ListBody;
  };

  const expectEntry = (entry: Entry, type: "Space" | "Organization") => {
    // Spaces carry `is_private` in the default dialect (directory.md); organizations do not. Both
    // carry [ext] `member_count` in lists (issue 17).
    expect(Object.keys(entry).sort()).toEqual(
      type === "Space"
        ? ["created_at", "description", "id", "is_private", "member_count", "name"]
        : ["created_at", "description", "id", "member_count", "name"],
    );
    expect(decodeId(type, entry.id)).not.toBeNull();
    expect(new Date(entry.created_at).toISOString()).toBe(entry.created_at);
    expect(typeof entry.description).toBe("string");
  };

  it.each(USERS)("GET /v2/spaces lists exactly the spaces %s can reach, oldest first", async (user) => {
    const body = await list(user, "/v2/spaces");
    expect(Object.keys(body).sort()).toEqual(["pagination", "spaces"]);
    expect(body.spaces?.map((s) => s.name)).toEqual(SPACES[user]);
    expect(body.pagination).toEqual({ has_more: false });
    for (const space of body.spaces ?? []) expectEntry(space, "Space");
  });

  it.each(USERS)("GET /v2/organizations lists exactly the organizations %s can reach", async (user) => {
    const body = await list(user, "/v2/organizations");
    expect(Object.keys(body).sort()).toEqual(["organizations", "pagination"]);
    expect(body.organizations?.map((o) => o.name)).toEqual(ORGANIZATIONS[user]);
    expect(body.pagination).toEqual({ has_more: false });
    for (const org of body.organizations ?? []) expectEntry(org, "Organization");
  });

  it("filters spaces by org_id, never widening beyond what the caller can reach", async () => {
    const platform = encodeURIComponent(orgIds.Platform ?? "");
    const research = encodeURIComponent(orgIds.Research ?? "");
    expect((await list("member", `/v2/spaces?org_id=${platform}`)).spaces?.map((s) => s.name)).toEqual([
      "Production",
      "Staging",
    ]);
    expect((await list("member", `/v2/spaces?org_id=${research}`)).spaces?.map((s) => s.name)).toEqual([
      "Experiments",
    ]);
    expect((await list("readOnly", `/v2/spaces?org_id=${research}`)).spaces).toEqual([]);
    // Not an organization id: nothing, rather than everything.
    expect((await list("admin", "/v2/spaces?org_id=garbage")).spaces).toEqual([]);
    const spaceAsOrg = (await list("admin", "/v2/spaces")).spaces?.[0]?.id ?? "";
    expect((await list("admin", `/v2/spaces?org_id=${encodeURIComponent(spaceAsOrg)}`)).spaces).toEqual([]);
  });

  it("filters by name, case-insensitively, as a substring, with wildcards taken literally", async () => {
    const names = async (user: DemoUser, path: string) => {
      const body = await list(user, path);
      return (body.spaces ?? body.organizations ?? []).map((e) => e.name);
    };
    expect(await names("admin", "/v2/spaces?name=PROD")).toEqual(["Production"]);
    expect(await names("admin", "/v2/spaces?name=ing")).toEqual(["Staging"]);
    expect(await names("admin", "/v2/spaces?name=t")).toEqual(["Production", "Staging", "Experiments"]);
    expect(await names("readOnly", "/v2/spaces?name=experiments")).toEqual([]);
    expect(await names("admin", "/v2/spaces?name=%25")).toEqual([]);
    expect(await names("admin", "/v2/spaces?name=_")).toEqual([]);
    expect(await names("admin", "/v2/organizations?name=rEsEaRcH")).toEqual(["Research"]);
    expect(await names("readOnly", "/v2/organizations?name=research")).toEqual([]);
  });

  it.each([
    ["admin", "/v2/spaces", "spaces", SPACES.admin],
    ["readOnly", "/v2/spaces", "spaces", SPACES.readOnly],
    ["admin", "/v2/organizations", "organizations", ORGANIZATIONS.admin],
  ] as const)(
    "%s walks %s with limit=1 and cursors: every item once",
    async (user, path, field, expected) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const query = cursor ? `limit=1&cursor=${encodeURIComponent(cursor)}` : "limit=1";
        const body = await list(user, `${path}?${query}`);
        const items = body[field] ?? [];
        expect(items.length).toBeLessThanOrEqual(1);
        seen.push(...items.map((i) => i.name));
        if (!body.pagination.has_more) {
          expect(body.pagination.next_cursor).toBeUndefined();
          break;
        }
        expect(body.pagination.next_cursor).toBeTruthy();
        cursor = body.pagination.next_cursor;
      }
      expect(seen).toEqual([...expected]);
      expect(new Set(seen).size).toBe(seen.length);
    },
  );

  it("does not let a cursor from a wider view widen a narrower one", async () => {
    const first = await list("admin", "/v2/spaces?limit=1");
    const cursor = encodeURIComponent(first.pagination.next_cursor ?? "");
    const rest = await list("readOnly", `/v2/spaces?cursor=${cursor}`);
    expect(rest.spaces?.map((s) => s.name)).toEqual(["Staging"]);
  });

  it("requires a credential", async () => {
    for (const path of ["/v2/spaces", "/v2/organizations"]) {
      const res = await harness.request("GET", path);
      expect(res.status).toBe(401);
    }
  });
});
