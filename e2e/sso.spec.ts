import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { request, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { startOidcTestProvider, type OidcTestProvider } from "../lib/testing/oidc-test-provider";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";

// Issue 22: single sign-on by the button, against a real provider (oidc-provider on loopback), on a
// Keydesk of its own per database: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. Ports:
// E2E_PORT + 5 (PGlite), + 6 (PostgreSQL), + 9 (the provider); the config's servers are untouched.

const BASE_PORT = Number(process.env.E2E_PORT ?? 3100);
const PROVIDER_PORT = BASE_PORT + 9;
const DATABASES = [
  { name: "pglite", port: BASE_PORT + 5 },
  ...(process.env.TEST_DATABASE_URL ? [{ name: "postgres", port: BASE_PORT + 6 }] : []),
] as const;

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

let provider: OidcTestProvider;
test.beforeAll(async () => {
  provider = await startOidcTestProvider({
    port: PROVIDER_PORT,
    redirectUris: DATABASES.map((db) => `http://localhost:${db.port}/auth/oidc/callback`),
  });
});
test.afterAll(() => provider?.stop());

for (const database of DATABASES) {
  test.describe(`single sign-on (${database.name})`, () => {
    test.describe.configure({ mode: "serial" });
    let server: SpawnedServer;
    let scratch: TestDatabaseHandle | undefined;
    const base = `http://localhost:${database.port}`;

    test.beforeAll(async () => {
      test.setTimeout(180_000);
      scratch =
        database.name === "postgres"
          ? await openScratchPostgres(process.env.TEST_DATABASE_URL ?? "")
          : undefined;
      server = await spawnServer({
        env: {
          PORT: String(database.port),
          DATABASE_URL: scratch ? scratch.url : "pglite:memory",
          KEYDESK_DEMO: "1",
          OIDC_ISSUER: provider.issuer,
          OIDC_CLIENT_ID: provider.clientId,
          OIDC_CLIENT_SECRET: provider.clientSecret,
          OIDC_NAME: "Test SSO",
          // The PostgreSQL server is single sign-on only: passwords for admins on /login?password=1.
          ...(database.name === "postgres" ? { PASSWORD_SIGN_IN: "off" } : {}),
        },
      });
    });
    test.afterAll(async () => {
      await server?.stop();
      await scratch?.close();
    });

    /** Ada invites a person with invite_mode NONE (no password: single sign-on is their way in). */
    async function inviteWithoutPassword(email: string, name: string) {
      const api = await request.newContext({ baseURL: base });
      try {
        const session = await api.post("/v2/sessions", {
          data: { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD },
        });
        expect(session.status()).toBe(201);
        const { token } = (await session.json()) as { token: string };
        const invited = await api.post("/v2/users", {
          headers: { authorization: `Bearer ${token}` },
          data: { name, email, role: "member", invite_mode: "NONE" },
        });
        expect(invited.status()).toBe(201);
      } finally {
        await api.dispose();
      }
    }

    test(`[invited, NONE] signs in with the button and lands in the dashboard (${database.name})`, async ({
      page,
    }) => {
      const name = `Sam Sso ${randomUUID().slice(0, 8)}`;
      const email = `sam-${randomUUID()}@example.com`;
      await inviteWithoutPassword(email, name);
      const sub = `sub-${randomUUID()}`;
      provider.setAccount(sub, { email, email_verified: true, name });
      provider.nextLogin = sub;

      await page.goto(`${base}/login`);
      const button = page.getByRole("link", { name: "Sign in with Test SSO" });
      await expect(button).toBeVisible();
      if (database.name === "postgres") {
        // PASSWORD_SIGN_IN=off: the button only.
        await expect(page.getByLabel("Password")).toHaveCount(0);
        await expect(page.getByRole("button", { name: "Sign in" })).toHaveCount(0);
      } else {
        await expect(page.getByLabel("Password")).toBeVisible();
      }
      expect(await seriousViolations(page)).toEqual([]);

      // By keyboard: the button is reached with Tab (before the form's Email, which has the focus).
      if (database.name === "postgres") await page.keyboard.press("Tab");
      else {
        await expect(page.getByLabel("Email")).toBeFocused();
        await page.keyboard.press("Shift+Tab");
      }
      await expect(button).toBeFocused();
      await page.keyboard.press("Enter");
      await page.waitForURL(`${base}/settings/api-keys`);
      await expect(page.getByText(name).first()).toBeVisible();
      const cookies = await page.context().cookies(base);
      const session = cookies.find((c) => c.name === "keydesk_session");
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe("Lax");
      // Signed in for real: the dashboard's own pages answer with the person's data.
      await page.goto(`${base}/settings/spaces`);
      await expect(page).toHaveURL(`${base}/settings/spaces`);
    });

    test(`[unknown] an email Keydesk does not know is sent back with the sentence (${database.name})`, async ({
      page,
    }) => {
      const email = `stranger-${randomUUID()}@example.com`;
      const sub = `sub-${randomUUID()}`;
      provider.setAccount(sub, { email, email_verified: true });
      provider.nextLogin = sub;
      await page.goto(`${base}/login`);
      await page.getByRole("link", { name: "Sign in with Test SSO" }).click();
      await page.waitForURL(`${base}/login?error=sso_no_account`);
      await expect(page.getByRole("alert").filter({ hasText: "No Keydesk account" })).toHaveText(
        `No Keydesk account for ${email}. Ask an admin to invite you.`,
      );
      expect(page.url()).not.toContain(email);
      expect(await seriousViolations(page)).toEqual([]);
      // At 390 px the page still fits.
      await page.setViewportSize({ width: 390, height: 800 });
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
      await expect(page.getByRole("link", { name: "Sign in with Test SSO" })).toBeVisible();
    });

    if (database.name === "postgres") {
      test("[admin] break glass: /login?password=1 shows the form, and Ada signs in with her password", async ({
        page,
      }) => {
        await page.goto(`${base}/login?password=1`);
        await page.getByLabel("Email").fill(DEMO_USERS.admin.email);
        await page.getByLabel("Password").fill(DEMO_PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${base}/settings/api-keys`);
        await expect(page.getByText(DEMO_USERS.admin.name).first()).toBeVisible();
      });

      test("[member] break glass is for admins: Max's right password is refused on /login?password=1", async ({
        page,
      }) => {
        await page.goto(`${base}/login?password=1`);
        await page.getByLabel("Email").fill(DEMO_USERS.member.email);
        await page.getByLabel("Password").fill(DEMO_PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await expect(page.getByRole("alert").filter({ hasText: "Password sign-in" })).toHaveText(
          "Password sign-in is off: sign in with single sign-on.",
        );
        await expect(page).toHaveURL(`${base}/login?password=1`);
      });
    }
  });
}
