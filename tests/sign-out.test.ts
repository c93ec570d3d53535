/**
 * Sign out without JavaScript: the settings page's Sign out button is a plain form post, which a
 * browser sends with `Origin: null` (our pages say `Referrer-Policy: no-referrer`) and
 * `Sec-Fetch-Site: same-origin`. It must end the session; a cross-site post must not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

describe("sign out as a plain form post", { timeout: 240_000 }, () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    server = await spawnServer({ env: { DATABASE_URL: "pglite:memory" }, timeoutMs: 200_000 });
  }, 220_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function session(): Promise<string> {
    const res = await fetch(`${server.baseUrl}/v2/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: DEMO_USERS.member.email, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  }
  const me = async (token: string) =>
    (await fetch(`${server.baseUrl}/v2/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  /** What a browser sends when the Sign out form is submitted, as far as the server can tell. */
  const postSignOut = (token: string, headers: Record<string, string>) =>
    fetch(`${server.baseUrl}/sign-out`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: `keydesk_session=${token}`,
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body: "",
    });

  it("the settings page's Sign out is a form posting to /sign-out, needing no script", async () => {
    const token = await session();
    const page = await fetch(`${server.baseUrl}/settings/api-keys`, {
      headers: { cookie: `keydesk_session=${token}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form action="\/sign-out" method="post">/);
  });

  it("a same-origin post with Origin: null ends the session, clears the cookie and goes to /login", async () => {
    const token = await session();
    const res = await postSignOut(token, { origin: "null", "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
    expect(res.headers.get("set-cookie")).toMatch(/keydesk_session=;/);
    expect(await me(token)).toBe(401);
  });

  it("a post whose Origin names this host (no Sec-Fetch-Site) signs out too", async () => {
    const token = await session();
    const host = new URL(server.baseUrl).host;
    const res = await postSignOut(token, { origin: `http://${host}` });
    expect(res.status).toBe(303);
    expect(await me(token)).toBe(401);
  });

  it("a session opened with a temporary password (must change it first) is ended by Sign out too", async () => {
    const signIn = async (email: string, password: string) => {
      const res = await fetch(`${server.baseUrl}/v2/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { token: string; user: { id: string }; password_change_required?: true };
    };
    const riley = await signIn(DEMO_USERS.readOnly.email, DEMO_PASSWORD);
    const admin = await signIn(DEMO_USERS.admin.email, DEMO_PASSWORD);
    const reset = await fetch(
      `${server.baseUrl}/v2/users/${encodeURIComponent(riley.user.id)}/reset-password?mode=temporary_password`,
      { method: "POST", headers: { authorization: `Bearer ${admin.token}` } },
    );
    expect(reset.status).toBe(200);
    const { temporary_password } = (await reset.json()) as { temporary_password: string };
    const temporary = await signIn(DEMO_USERS.readOnly.email, temporary_password);
    expect(temporary.password_change_required).toBe(true);

    const res = await postSignOut(temporary.token, { origin: "null", "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/keydesk_session=;/);
    // Ended at the API, not only forgotten by the browser: the token is refused where it was 403 before.
    expect(await me(temporary.token)).toBe(401);
  });

  it.each([
    ["a cross-site post", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
    ["a cross-site post with Origin: null", { origin: "null", "sec-fetch-site": "cross-site" }],
    [
      "a same-site (sibling subdomain) post",
      { origin: "http://sub.localhost", "sec-fetch-site": "same-site" },
    ],
    ["a post from another origin, no Sec-Fetch-Site", { origin: "https://evil.example" }],
    ["a post with Origin: null and no Sec-Fetch-Site", { origin: "null" }],
  ])("%s is refused (403) and the session lives on", async (_name, headers) => {
    const token = await session();
    const res = await postSignOut(token, headers);
    expect(res.status).toBe(403);
    expect(await me(token)).toBe(200);
  });
});
