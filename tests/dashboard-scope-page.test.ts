/**
 * A space's page asks /v2/me once (issue 17, item 3): the page has the viewer, and the scope's own
 * answer is one call; the viewer's roles there and above come from the viewer passed in. The page's
 * server half runs outside Next.js (only the cookie jar and the request headers are stood in for)
 * against the real keys API over HTTP, on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/directory/demo-seed";
import { createHarness, type ApiHarness } from "@/lib/testing/api-harness";
import { jar } from "@/lib/testing/next-headers-stub";
import { serveOverHttp } from "@/lib/testing/serve-api";
import { testDatabases } from "@/lib/testing/test-databases";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => import("@/lib/testing/next-headers-stub"));

const { ScopePage } = await import("@/app/settings/scope-page");
const { signInAction } = await import("@/lib/dashboard/actions/auth");

describe.each(testDatabases())("a space's page ($name)", (database) => {
  let harness: ApiHarness;
  let server: Awaited<ReturnType<typeof serveOverHttp>>;
  const calls: string[] = [];
  const env = { ...process.env };

  beforeAll(async () => {
    harness = await createHarness(database, { config: { internalToken: "test-internal-token" } });
    server = await serveOverHttp({
      fetch: (request) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return harness.app.fetch(request);
      },
    });
    process.env.KEYS_API_URL = server.baseUrl;
    process.env.KEYDESK_INTERNAL_TOKEN = "test-internal-token";
    jar.clear();
    const signedIn = await signInAction({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD });
    expect(signedIn.ok).toBe(true);
  });
  afterAll(async () => {
    process.env = env;
    await server.close();
    await harness.close();
  });

  it("asks /v2/me once and shows the viewer's roles there and in its organization", async () => {
    const ada = await harness.signIn("admin");
    const me = (await (await harness.request("GET", "/v2/me", { token: ada })).json()) as {
      organizations: { id: string; name: string; role: string; spaces: { id: string; role: string }[] }[];
    };
    const org = me.organizations.find((o) => o.spaces.length > 0);
    const space = org?.spaces[0];
    if (!org || !space) throw new Error("the demo directory has a space");

    calls.length = 0;
    const page = await ScopePage({ kind: "space", id: space.id });
    expect(calls.filter((c) => c === "GET /v2/me")).toHaveLength(1);
    expect(page.props.scope).toMatchObject({
      kind: "space",
      id: space.id,
      role: space.role,
      organization: { id: org.id, name: org.name, role: org.role },
    });
  });
});
