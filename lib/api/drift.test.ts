/**
 * [ext] Drift: when a person's role drops below what a service key they created holds, the key keeps
 * working but GET /v2/api-keys marks it for callers who opt in (`include=exceeds_creator_role`);
 * without the opt-in the answer keeps its shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import type { ApiKeyJson } from "../schemas/api-keys";
import {
  createServiceKey,
  createUserKey,
  KEY_FIELDS,
  listKeys,
  meOf,
  meStatus,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

type Marked = ApiKeyJson & { exceeds_creator_role?: boolean };

describe.each(testDatabases())("service keys above their creator's role ($name)", (database) => {
  let d: Demo;
  beforeAll(async () => {
    d = await setupDemo(database);
  });
  afterAll(() => d.harness.close());

  const staging = () => encodeURIComponent(d.spaceIds.Staging);
  const listed = async (include: string) =>
    (await listKeys(d.harness, d.tokens.admin, `space_id=${staging()}&limit=100${include}`))
      .api_keys as Marked[];
  const setMaxInStaging = async (role: string) => {
    const res = await d.harness.request("POST", `/v2/spaces/${staging()}/users`, {
      token: d.tokens.admin,
      body: { user_id: d.userIds.member, role },
    });
    expect(res.status, await res.text()).toBe(200);
  };

  it("marks a key once its creator is demoted below it; the key keeps working; no field without the opt-in", async () => {
    // Max is admin of Staging: he may give a key admin there.
    const key = await createServiceKey(d.harness, d.tokens.member, d.spaceIds.Staging, {
      space_role: "admin",
    });
    const modest = await createServiceKey(d.harness, d.tokens.member, d.spaceIds.Staging, {
      space_role: "member",
    });
    const mark = async (id: string, include = "&include=exceeds_creator_role") =>
      (await listed(include)).find((k) => k.id === id)?.exceeds_creator_role;
    expect(await mark(key.id)).toBe(false);

    await setMaxInStaging("member");
    expect(await mark(key.id)).toBe(true);
    expect(await mark(modest.id)).toBe(false);
    expect(await meStatus(d.harness, key.key)).toBe(200);

    // Opt-ins combine; without one, exactly the contract's fields.
    const both = (await listed("&include=details,exceeds_creator_role")).find((k) => k.id === key.id);
    expect(both).toMatchObject({ exceeds_creator_role: true, roles: { space_role: "admin" } });
    for (const k of await listed("")) {
      expect(k).not.toHaveProperty("exceeds_creator_role");
      for (const field of Object.keys(k)) expect(KEY_FIELDS).toContain(field);
    }

    // Restored: no longer above.
    await setMaxInStaging("admin");
    expect(await mark(key.id)).toBe(false);
  });

  it("marks a key bound to several spaces when its creator drops below it in any of them, not only its first (issue 16)", async () => {
    const platform = (await meOf(d.harness, d.tokens.member)).organizations.find(
      (o) => o.name === "Platform",
    );
    if (!platform) throw new Error("demo organization Platform is missing");
    // Max through a generation-D client: Staging (his admin) first, Production (his member) second.
    const res = await d.harness.request("POST", "/v2/api-keys", {
      token: d.tokens.member,
      headers: { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" },
      body: {
        name: "two spaces",
        key_type: "SERVICE",
        organizations: [
          {
            org_id: platform.id,
            spaces: [
              { space_id: d.spaceIds.Staging, role: { type: "PREDEFINED", name: "ADMIN" } },
              { space_id: d.spaceIds.Production, role: { type: "PREDEFINED", name: "MEMBER" } },
            ],
          },
        ],
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const key = (await res.json()) as { id: string };
    const mark = async () =>
      (await listed("&include=exceeds_creator_role")).find((k) => k.id === key.id)?.exceeds_creator_role;
    expect(await mark()).toBe(false);
    const setMaxInProduction = async (role: string) => {
      const set = await d.harness.request(
        "POST",
        `/v2/spaces/${encodeURIComponent(d.spaceIds.Production)}/users`,
        {
          token: d.tokens.admin,
          body: { user_id: d.userIds.member, role },
        },
      );
      expect(set.status, await set.text()).toBe(200);
    };
    await setMaxInProduction("read-only");
    try {
      expect(await mark()).toBe(true);
    } finally {
      await setMaxInProduction("member");
    }
    expect(await mark()).toBe(false);
  });

  it("user keys never carry the mark; an unknown include value is a 400", async () => {
    await createUserKey(d.harness, d.tokens.admin);
    const own = (await listKeys(d.harness, d.tokens.admin, "include=exceeds_creator_role"))
      .api_keys as Marked[];
    expect(own.length).toBeGreaterThan(0);
    for (const k of own) expect(k).not.toHaveProperty("exceeds_creator_role");
    const res = await d.harness.request("GET", "/v2/api-keys?include=everything", { token: d.tokens.admin });
    expect(res.status).toBe(400);
  });
});
