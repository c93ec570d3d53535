/**
 * `bot_user` on listed service keys (lib/api/listed-bot-users.ts): to Python ≥ 8.45 only, with the
 * bot's roles as they are now; none for Python 8.44 (its ApiKey refuses unknown fields), TypeScript,
 * Go, or the default dialect. Over HTTP in process, on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { testDatabases } from "../testing/test-databases";

const python = (version: string) => ({ "sdk-package-name": "arize", "sdk-version": version });

interface Listed {
  api_keys: { id: string; key_type: string; bot_user?: unknown }[];
}

describe.each(testDatabases())("bot_user on listed service keys ($name)", (database) => {
  let harness: ApiHarness;
  let token = "";
  let keyId = "";
  let botId = "";
  let production = "";
  let platform = "";

  beforeAll(async () => {
    harness = await createHarness(database);
    token = await harness.signIn("admin");
    const me = (await (await harness.request("GET", "/v2/me", { token })).json()) as {
      organizations: { id: string; name: string; spaces: { id: string; name: string }[] }[];
    };
    const org = me.organizations.find((o) => o.name === "Platform");
    platform = org?.id ?? "";
    production = org?.spaces.find((s) => s.name === "Production")?.id ?? "";
    const created = await harness.request("POST", "/v2/api-keys", {
      token,
      headers: python("8.61.0"),
      body: {
        name: "listed bot",
        key_type: "SERVICE",
        organizations: [
          {
            org_id: platform,
            role: { type: "PREDEFINED", name: "MEMBER" },
            spaces: [{ space_id: production, role: { type: "PREDEFINED", name: "ADMIN" } }],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; bot_user: { id: string } };
    keyId = body.id;
    botId = body.bot_user.id;
  });
  afterAll(async () => harness.close());

  const listed = async (headers: Record<string, string>, query = "key_type=service") => {
    const res = await harness.request("GET", `/v2/api-keys?${query}`, { token, headers });
    expect(res.status).toBe(200);
    return ((await res.json()) as Listed).api_keys.find((k) => k.id === keyId);
  };

  it("Python 8.61 gets each service key's bot user with its roles now, also in a list by space", async () => {
    const expected = {
      id: botId,
      name: "listed bot",
      account_role: { type: "PREDEFINED", name: "MEMBER" },
      organizations: [
        {
          org_id: platform,
          role: { type: "PREDEFINED", name: "MEMBER" },
          spaces: [{ space_id: production, role: { type: "PREDEFINED", name: "ADMIN" } }],
        },
      ],
    };
    expect((await listed(python("8.61.0")))?.bot_user).toEqual(expected);
    expect((await listed(python("8.45.0"), `space_id=${encodeURIComponent(production)}`))?.bot_user).toEqual(
      expected,
    );
  });

  it("Python 8.44, TypeScript 1.28, Go 0.22 and the default dialect get no bot_user in lists", async () => {
    const dialects: Record<string, string>[] = [
      python("8.44.0"),
      { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" },
      { "sdk-package-name": "arize", "sdk-version": "0.22.0", "sdk-language": "go" },
      {},
    ];
    for (const headers of dialects) {
      const key = await listed(headers);
      expect(key).toBeDefined();
      expect(key).not.toHaveProperty("bot_user");
    }
  });

  it("a revoked key still lists its bot user", async () => {
    const revoked = await harness.request("PUT", `/v2/api-keys/${encodeURIComponent(keyId)}/revoke`, {
      token,
      headers: python("8.61.0"),
    });
    expect(revoked.status).toBeLessThan(300);
    const key = await listed(python("8.61.0"), "key_type=service&status=REVOKED");
    expect(key?.bot_user).toMatchObject({ id: botId, name: "listed bot" });
  });
});
