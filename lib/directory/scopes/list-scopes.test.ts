/**
 * listScopes (GET /v2/organizations, GET /v2/spaces) over HTTP on the demo directory, on PGlite and
 * PostgreSQL: [ext] `member_count` on each listed scope, counted in the list's own query.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../../testing/test-databases";
import { createServiceKey, setupDemo, type Demo } from "../../testing/api-keys-test-kit";

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
