/**
 * The Delete alert of an organization names the active service keys its deletion revokes (issue 16,
 * item 2): each key once, though a generation-D key may be bound to several of its spaces — as many
 * names as the keys API counts. The action runs against the real keys API over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { jar } from "../testing/next-headers-stub";
import { serveOverHttp } from "../testing/serve-api";
import { testDatabases } from "../testing/test-databases";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => import("../testing/next-headers-stub"));

const { scopeServiceKeysAction } = await import("./actions/spaces");
const { signInAction } = await import("./actions/auth");

describe.each(testDatabases())("the Delete alert's service keys ($name)", (database) => {
  let harness: ApiHarness;
  let server: Awaited<ReturnType<typeof serveOverHttp>>;
  let ada: string;
  const env = { ...process.env };

  beforeAll(async () => {
    harness = await createHarness(database, { config: { internalToken: "test-internal-token" } });
    server = await serveOverHttp(harness.app);
    process.env.KEYS_API_URL = server.baseUrl;
    process.env.KEYDESK_INTERNAL_TOKEN = "test-internal-token";
    ada = await harness.signIn("admin");
    jar.clear();
    const signedIn = await signInAction({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD });
    expect(signedIn.ok).toBe(true);
  });
  afterAll(async () => {
    process.env = env;
    await server.close();
    await harness.close();
  });

  async function created(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await harness.request("POST", path, { token: ada, body, headers });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string };
  }

  it("names a key bound to two of the organization's spaces once, as many keys as the API counts", async () => {
    const org = await created("/v2/organizations", { name: "Annex" });
    const east = await created("/v2/spaces", { name: "East", organization_id: org.id });
    const west = await created("/v2/spaces", { name: "West", organization_id: org.id });
    await created(
      "/v2/api-keys",
      {
        name: "both sides",
        key_type: "SERVICE",
        organizations: [{ org_id: org.id, spaces: [{ space_id: east.id }, { space_id: west.id }] }],
      },
      { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" },
    );
    await created("/v2/api-keys", { name: "west only", key_type: "service", space_id: west.id });

    const listed = await scopeServiceKeysAction({ kind: "organization", id: org.id });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.data.map((k) => k.name).sort()).toEqual(["both sides", "west only"]);

    const refused = await harness.request("DELETE", `/v2/organizations/${encodeURIComponent(org.id)}`, {
      token: ada,
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/holds 2 active service keys/);
  });
});
