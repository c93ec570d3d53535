import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { jar } from "../testing/next-headers-stub";
import { testDatabases } from "../testing/test-databases";

// The actions run outside a Next.js request here: the cookie jar and the request headers are the
// only parts of Next stood in for; the keys API is the real one, over HTTP.
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => import("../testing/next-headers-stub"));

const { listApiKeysAction, createApiKeyAction, revokeApiKeyAction } = await import("./actions/api-keys");
const { signInAction, signOutAction } = await import("./actions/auth");
const { SESSION_COOKIE } = await import("./session");

const [pglite] = testDatabases();

describe("defineAction: every server action's session, input, client address and errors", () => {
  let harness: ApiHarness;
  let server: Server;
  /** Every request the keys API received, with the headers that matter here. */
  const seen: { path: string; clientAddress: string | null }[] = [];
  const env = { ...process.env };

  beforeAll(async () => {
    if (!pglite) throw new Error("no PGlite test database");
    harness = await createHarness(pglite, { config: { internalToken: "test-internal-token" } });
    const listener = getRequestListener((request) => {
      seen.push({
        path: new URL(request.url).pathname,
        clientAddress: request.headers.get("x-keydesk-client-address"),
      });
      return harness.app.fetch(request);
    });
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.KEYS_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.KEYDESK_INTERNAL_TOKEN = "test-internal-token";
  });
  afterAll(async () => {
    process.env = env;
    await new Promise((resolve) => server.close(resolve));
    await harness.close();
  });
  afterEach(() => {
    jar.clear();
    seen.length = 0;
  });

  const signIn = async (user: keyof typeof DEMO_USERS) => {
    const result = await signInAction({ email: DEMO_USERS[user].email, password: DEMO_PASSWORD });
    expect(result).toEqual({ ok: true, data: { redirectTo: "/settings/api-keys" } });
    expect(jar.get(SESSION_COOKIE)).toMatch(/^kds_/);
  };

  it("refuses without a session and never calls the keys API", async () => {
    const result = await listApiKeysAction({ tab: "user", status: "active" });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "authentication_required" }),
    });
    expect(seen).toEqual([]);
  });

  it("refuses input its schema rejects, naming the field, and never calls the keys API", async () => {
    await signIn("member");
    seen.length = 0;
    const result = await listApiKeysAction({ tab: "user", status: "nope" as "active" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_request");
    expect(Object.keys(result.error.fieldErrors ?? {})).toEqual(["status"]);
    expect(seen).toEqual([]);
  });

  it("calls the keys API as the viewer, passing the browser's address on", async () => {
    await signIn("member");
    const created = await createApiKeyAction({ name: "from an action" });
    expect(created.ok).toBe(true);
    const listed = await listApiKeysAction({ tab: "user", status: "active", search: "from an action" });
    expect(listed.ok && listed.data.api_keys.map((k) => k.name)).toEqual(["from an action"]);
    expect(seen.map((s) => s.clientAddress)).toEqual(seen.map(() => "203.0.113.9"));
    if (!created.ok) return;
    expect(await revokeApiKeyAction({ id: created.data.id })).toEqual({ ok: true, data: null });
  });

  it("passes the problem's code on, with each field's reason (a role above the viewer's own)", async () => {
    await signIn("member");
    const me = await harness.request("GET", "/v2/me", { token: jar.get(SESSION_COOKIE) });
    const { organizations } = (await me.json()) as {
      organizations: { spaces: { id: string; name: string }[] }[];
    };
    const production = organizations.flatMap((o) => o.spaces).find((s) => s.name === "Production");
    const result = await createApiKeyAction({
      name: "too high",
      key_type: "service",
      space_id: production?.id,
      roles: { space_role: "admin" },
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "role_above_cap",
        message: expect.stringContaining('space_role "admin" is above your own role in space Production'),
        fieldErrors: { "roles.space_role": "Limited to your role in Production: Member" },
      },
    });
    expect(await revokeApiKeyAction({ id: "QXBpS2V5Om5vbmU=" })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "not_found" }),
    });
  });

  it("says one thing for a wrong email or password, and sets no cookie", async () => {
    const result = await signInAction({ email: DEMO_USERS.member.email, password: "wrong password" });
    expect(result).toEqual({
      ok: false,
      error: { code: "authentication_required", message: "Invalid email or password" },
    });
    expect(jar.has(SESSION_COOKIE)).toBe(false);
  });

  it("signs out: ends the session at the API, drops the cookie and redirects (the redirect passes through)", async () => {
    await signIn("member");
    const token = jar.get(SESSION_COOKIE);
    await expect(signOutAction()).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login/),
    });
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    expect((await harness.request("GET", "/v2/me", { token })).status).toBe(401);
  });

  it("answers `unreachable` when the keys API does not answer", async () => {
    await signIn("member");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = process.env.KEYS_API_URL;
    process.env.KEYS_API_URL = `http://127.0.0.1:${port}`;
    try {
      const result = await listApiKeysAction({ tab: "user", status: "active" });
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "unreachable" }) });
    } finally {
      process.env.KEYS_API_URL = url;
    }
  });
});
