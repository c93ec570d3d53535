import type { Page, Request, Response } from "@playwright/test";
import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { KeyListPage } from "./pages/key-list";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";

signedInAs("admin");

// The page keeps loading things after a test's last step (the favicon and app icon, prefetches): let
// captureResponses' route drop those instead of failing on a closed page.
test.afterEach(async ({ page }) => {
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

/**
 * Records every response the page receives, with its body. Chromium does not keep the bodies of
 * streamed fetches (RSC, actions) for inspection, so same-origin requests go through a route that
 * fetches them itself, keeps the body, and hands the browser the same response.
 */
async function captureResponses(page: Page, origin: string) {
  const bodies = new Map<Request, string>();
  const responses: Response[] = [];
  await page.route(
    (url) => url.origin === origin,
    async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const body = await response.body();
      bodies.set(route.request(), body.toString("utf8"));
      await route.fulfill({ response, body });
    },
  );
  // A redirect the browser follows on its own skips the route: read that body from the browser.
  const direct = new Map<Request, Promise<string | null>>();
  page.on("response", (response) => {
    responses.push(response);
    direct.set(
      response.request(),
      response
        .body()
        .then((b) => b.toString("utf8"))
        .catch(() => null),
    );
  });
  const bodyOf = async (request: Request) => bodies.get(request) ?? (await direct.get(request)) ?? null;
  return { responses, bodyOf };
}

const isServerAction = (request: Request) =>
  request.method() === "POST" && request.headers()["next-action"] !== undefined;

/** The next server-action request whose body contains `marker`. */
function nextActionRequest(page: Page, marker: string): Promise<Request> {
  return page.waitForRequest((r) => isServerAction(r) && (r.postData() ?? "").includes(marker));
}

test("[admin] the raw key reaches the browser only in the create and refresh action responses", async ({
  page,
  baseURL,
}) => {
  const keys = new KeyListPage(page);
  const name = uniqueName("leak");
  const { responses, bodyOf } = await captureResponses(page, new URL(baseURL ?? "").origin);

  await keys.goto(`?q=${encodeURIComponent(name)}`);
  const createRequest = nextActionRequest(page, name);
  const key = await keys.createUserKey({ name });
  await keys.copyAndClose();
  const refreshRequest = nextActionRequest(page, "grace_period_seconds");
  const refreshed = await keys.refreshKey(name, { grace: "5 minutes" });
  await keys.copyAndClose();
  const allowed = new Set([await createRequest, await refreshRequest]);

  // Reload, client-side navigations (RSC) and back: none of them may bring a secret back.
  await page.reload();
  await expect(keys.row(name)).toBeVisible();
  await keys.openTab("Service Keys");
  await expect(keys.spaceFilter).toBeVisible();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API Keys" }).click();
  await expect(keys.tab("User Keys")).toHaveAttribute("aria-selected", "true");
  await page.goBack();
  await expect(keys.tab("Service Keys")).toHaveAttribute("aria-selected", "true");
  await page.goBack();
  await expect(keys.row(name)).toBeVisible();
  await page.goto("/login"); // signed in: redirected to the keys page
  await expect(keys.tab("User Keys")).toBeVisible();
  expect(await page.content()).not.toContain(key);
  expect(await page.content()).not.toContain(refreshed);

  const requests = responses.map((r) => r.request());
  const bodies = new Map<Request, string | null>();
  for (const request of requests) bodies.set(request, await bodyOf(request));
  // Every response was captured with its body (redirects have none): nothing escapes the check below.
  const redirect = (r: Request) =>
    responses.some((res) => res.request() === r && res.status() >= 300 && res.status() < 400);
  expect(requests.filter((r) => bodies.get(r) === null && !redirect(r)).map((r) => r.url())).toEqual([]);
  const leaks = requests
    .filter((request) => !allowed.has(request))
    .filter((request) => {
      const body = bodies.get(request) ?? "";
      return body.includes(key) || body.includes(refreshed);
    })
    .map((request) => `${request.method()} ${request.url()}`);
  expect(leaks).toEqual([]);

  // The capture saw what it had to: the two reveals, documents and RSC payloads.
  expect(bodies.get(await createRequest)).toContain(key);
  expect(bodies.get(await refreshRequest)).toContain(refreshed);
  expect(requests.filter((r) => r.resourceType() === "document").length).toBeGreaterThan(2);
  expect(requests.filter((r) => r.headers()["rsc"] === "1").length).toBeGreaterThan(0);
});

test("[admin] pages send security headers and a fresh CSP nonce that the page's scripts carry", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
  });
  const keys = new KeyListPage(page);
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await page.goto("/settings/api-keys");
    if (!response) throw new Error("no document response");
    await expect(keys.page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
    const headers = await response.allHeaders();
    const csp = headers["content-security-policy"] ?? "";
    const nonce = csp.match(/script-src [^;]*'nonce-([A-Za-z0-9+/=_-]+)'/)?.[1];
    expect(nonce, csp).toBeDefined();
    for (const directive of [
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    // The scripts Next inlines carry the same nonce, so they run under the policy.
    expect(await response.text()).toContain(`nonce="${nonce}"`);
    nonces.push(nonce ?? "");
  }
  expect(nonces[0]).not.toBe(nonces[1]);
  // The page hydrated under the policy: the tabs respond, and nothing was blocked.
  await keys.openTab("Service Keys");
  expect(violations).toEqual([]);
});

test("[admin] a server action sent with a foreign Origin fails and creates nothing", async ({
  page,
  request,
  api,
}) => {
  const keys = new KeyListPage(page);
  const name = uniqueName("origin");
  await keys.goto(`?q=${encodeURIComponent(name)}`);
  const captured = nextActionRequest(page, name);
  await keys.createUserKey({ name });
  await keys.copyAndClose();
  const original = await captured;
  const headers = await original.allHeaders();
  const body = original.postData() ?? "";
  const origin = headers["origin"] ?? new URL(original.url()).origin;

  const replay = (newName: string, originHeader: string) =>
    request.post(original.url(), {
      headers: {
        accept: headers["accept"] ?? "text/x-component",
        "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
        "next-action": headers["next-action"] ?? "",
        "next-router-state-tree": headers["next-router-state-tree"] ?? "",
        cookie: `keydesk_session=${sessionToken("admin")}`,
        origin: originHeader,
      },
      data: body.split(name).join(newName),
    });
  const keysNamed = async (n: string) => {
    const list = await api.call("GET", `/v2/api-keys?name=${encodeURIComponent(n)}`, {
      token: sessionToken("admin"),
    });
    return (list.body.api_keys as { name: string }[]).filter((k) => k.name === n).length;
  };

  // The replay is faithful: from the page's own origin it works.
  const sameOrigin = await replay(`${name} same`, origin);
  expect(sameOrigin.status()).toBe(200);
  expect(await sameOrigin.text()).toMatch(/ak-[0-9a-f-]{36}-/);
  expect(await keysNamed(`${name} same`)).toBe(1);

  const foreign = await replay(`${name} foreign`, "https://evil.example");
  expect(foreign.status()).not.toBe(200);
  expect(await foreign.text()).not.toMatch(/ak-[0-9a-f-]{36}-/);
  expect(await keysNamed(`${name} foreign`)).toBe(0);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("[member] a signed-out visit goes to sign-in and back; Sign out ends the session", async ({
    page,
    context,
    api,
  }) => {
    const keys = new KeyListPage(page);
    await page.goto("/settings/api-keys?tab=service");
    await expect(page).toHaveURL(
      (url) => url.pathname === "/login" && url.searchParams.get("next") === "/settings/api-keys?tab=service",
    );
    await page.getByRole("textbox", { name: "Email" }).fill(DEMO_USERS.member.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(
      (url) => url.pathname === "/settings/api-keys" && url.searchParams.get("tab") === "service",
    );
    await expect(keys.tab("Service Keys")).toHaveAttribute("aria-selected", "true");
    await expect(page.getByRole("banner").getByText(DEMO_USERS.member.name)).toBeVisible();

    const token = (await context.cookies()).find((c) => c.name === "keydesk_session")?.value ?? "";
    expect(await api.meStatus(token)).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/login");
    expect(await api.meStatus(token)).toBe(401);
    await page.goto("/settings/api-keys");
    await expect(page).toHaveURL((url) => url.pathname === "/login");
  });

  test("[read-only] a wrong password shows a generic error and stays signed out", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("textbox", { name: "Email" }).fill(DEMO_USERS.readOnly.email);
    await page.getByLabel("Password").fill(`${DEMO_PASSWORD}-wrong`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
    await expect(page).toHaveURL((url) => url.pathname === "/login");
    await page.goto("/settings/api-keys");
    await expect(page).toHaveURL((url) => url.pathname === "/login");
  });
});
