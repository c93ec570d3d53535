/**
 * listScopes (GET /v2/organizations, GET /v2/spaces) over HTTP on the demo directory, on PGlite and
 * PostgreSQL: what each caller sees, the filters and cursors, and [ext] `member_count` on each listed
 * scope, counted in the list's own query.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../../testing/test-databases";
import { decodeId } from "../../domain/ids";
import type { Me } from "../../schemas/directory";
import { createHarness, type ApiHarness, type DemoUser } from "../../testing/api-harness";
import { createServiceKey, setupDemo, type Demo } from "../../testing/api-keys-test-kit";

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

const enc = encodeURIComponent;

interface Listed {
  id: string;
  name: string;
  member_count?: number;
}

describe.each(testDatabases())("listScopes ($name)", (database) => {
  let d: Demo;

  beforeAll(async () => {
    d = await setupDemo(database);
  });
  afterAll(() => d.harness.close());

  const get = async <T>(path: string, headers?: Record<string, string>): Promise<T> => {
    const res = await d.harness.request("GET", path, { token: d.tokens.admin, headers });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };
  const counts = async () => {
    const { organizations } = await get<{ organizations: Listed[] }>("/v2/organizations");
    const { spaces } = await get<{ spaces: Listed[] }>("/v2/spaces");
    return Object.fromEntries([...organizations, ...spaces].map((s) => [s.name, s.member_count]));
  };
  /** The member list's length, page by page: what the count must equal. */
  const listed = async (kind: "organizations" | "spaces", id: string) => {
    let n = 0;
    let cursor: string | undefined;
    do {
      const page = await get<{ memberships: unknown[]; pagination: { next_cursor?: string } }>(
        `/v2/${kind}/${enc(id)}/users?limit=1${cursor ? `&cursor=${enc(cursor)}` : ""}`,
      );
      n += page.memberships.length;
      cursor = page.pagination.next_cursor;
    } while (cursor);
    return n;
  };

  it("gives each organization and space its member count, the length of its member list", async () => {
    expect(await counts()).toEqual({
      Platform: 2,
      Research: 1,
      Production: 2,
      Staging: 2,
      Experiments: 1,
    });
    const { organizations } = await get<{ organizations: Listed[] }>("/v2/organizations");
    const { spaces } = await get<{ spaces: Listed[] }>("/v2/spaces");
    for (const o of organizations) expect(o.member_count).toBe(await listed("organizations", o.id));
    for (const s of spaces) expect(s.member_count).toBe(await listed("spaces", s.id));
  });

  it("counts people, not bots, and follows the memberships as they change", async () => {
    // A service key's bot holds a role in Production: it is not a member anyone lists.
    await createServiceKey(d.harness, d.tokens.admin, d.spaceIds.Production);
    const person = await d.harness.request("POST", "/v2/users", {
      token: d.tokens.admin,
      body: { name: "Counted", email: `${randomUUID()}@example.com`, role: "member", invite_mode: "NONE" },
    });
    const { id } = (await person.json()) as { id: string };
    const added = await d.harness.request("POST", `/v2/spaces/${enc(d.spaceIds.Experiments)}/users`, {
      token: d.tokens.admin,
      body: { user_id: id, role: "member", join_organization: true },
    });
    expect(added.status, await added.clone().text()).toBe(200);
    expect(await counts()).toMatchObject({ Research: 2, Experiments: 2, Production: 2 });
    const removed = await d.harness.request(
      "DELETE",
      `/v2/spaces/${enc(d.spaceIds.Experiments)}/users/${enc(id)}`,
      { token: d.tokens.admin },
    );
    expect(removed.status).toBe(204);
    expect(await counts()).toMatchObject({ Research: 2, Experiments: 1 });
  });

  it("sends member_count to the default dialect only: no Arize client's schema has it", async () => {
    for (const headers of [
      { "sdk-package-name": "arize", "sdk-version": "8.45.0" },
      { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" },
    ]) {
      const { organizations } = await get<{ organizations: Listed[] }>("/v2/organizations", headers);
      const { spaces } = await get<{ spaces: Listed[] }>("/v2/spaces", headers);
      expect(organizations.length).toBeGreaterThan(0);
      for (const scope of [...organizations, ...spaces]) expect(scope).not.toHaveProperty("member_count");
    }
  });

  it("a single organization or space answers without it (lists only)", async () => {
    const space = await get<Listed>(`/v2/spaces/${enc(d.spaceIds.Production)}`);
    expect(space).not.toHaveProperty("member_count");
  });
});
