import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { DirectoryPages } from "./pages/directory-pages";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { mailText, startSmtp, type SmtpInbox } from "../lib/testing/smtp-inbox";

// Issue 20, items 6, 7 and 12: Unblock, search by name, Forgot password (through a real SMTP inbox),
// and the sign-in page beside a temporary password in Share the invitation.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

async function noSidewaysScroll(page: Page) {
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  ).toBeLessThanOrEqual(0);
}

const NEW_PASSWORD = "a fresh passphrase for e2e 7";

test.describe("as an account admin", () => {
  signedInAs("admin");

  test("[admin] blocks a person, then Unblock: the confirmation says the keys stay revoked, they sign in again, their key stays revoked", async ({
    page,
    api,
  }) => {
    // Arrange through the API: a person who joined and made a user key.
    const name = uniqueName("Una Blocked");
    const email = `${name.replace(/\W+/g, "-").toLowerCase()}@example.com`;
    const created = await api.call("POST", "/v2/users", {
      token: sessionToken("admin"),
      body: { name, email, role: "member", invite_mode: "TEMPORARY_PASSWORD" },
    });
    expect(created.status).toBe(201);
    const temporary = created.body.temporary_password as string;
    const signIn = async (password: string) =>
      page.request.post("/v2/sessions", { data: { email, password } });
    const first = (await (await signIn(temporary)).json()) as { token: string };
    expect(
      (
        await api.call("POST", "/v2/me/password", {
          token: first.token,
          body: { current_password: temporary, new_password: NEW_PASSWORD },
        })
      ).status,
    ).toBe(204);
    const session = (await (await signIn(NEW_PASSWORD)).json()) as { token: string };
    const key = await api.call("POST", "/v2/api-keys", {
      token: session.token,
      body: { name: `${name} key` },
    });
    expect(key.status).toBe(201);
    const rawKey = key.body.key as string;
    expect(await api.meStatus(rawKey)).toBe(200);

    const directory = new DirectoryPages(page);
    await directory.gotoMembers(`?q=${encodeURIComponent(name)}`);
    await directory.block(name);
    expect(await api.meStatus(rawKey)).toBe(401);

    await directory.openRowActions(name);
    await expect(page.getByRole("menuitem")).toHaveText(["Unblock"]);
    await page.getByRole("menuitem", { name: "Unblock" }).click();
    const alert = page.getByRole("alertdialog", { name: "Unblock member" });
    await expect(alert).toContainText(name);
    await expect(alert).toContainText("Their API keys stay revoked");
    expect(await seriousViolations(page), "Unblock member").toEqual([]);
    await alert.getByRole("button", { name: "Unblock" }).click();
    await expect(alert).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: `${name} is unblocked.` })).toBeVisible();
    await expect(directory.row(name).getByText("Active", { exact: true })).toBeVisible();

    expect((await signIn(NEW_PASSWORD)).status()).toBe(201);
    expect(await api.meStatus(rawKey)).toBe(401);
  });

  test('[admin] search "Max" finds Max Member by name on Members, and a person by name in Add member', async ({
    page,
    api,
  }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    await page.getByRole("searchbox", { name: "Search members" }).fill("Max");
    await expect(page).toHaveURL(/[?&]q=Max/);
    await expect(directory.row("Max Member")).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Ada Admin" })).toHaveCount(0);

    // Someone whose email shares nothing with their name, found by name in Add member's Person box.
    const name = uniqueName("Quillon");
    const email = `q${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
    expect(
      (
        await api.call("POST", "/v2/users", {
          token: sessionToken("admin"),
          body: { name, email, role: "member", invite_mode: "EMAIL_LINK" },
        })
      ).status,
    ).toBe(201);
    await directory.openScope("Platform");
    await page.getByRole("button", { name: "Add member" }).click();
    const dialog = page.getByRole("dialog", { name: "Add member" });
    await dialog.getByRole("combobox", { name: "Person" }).fill(name.split(" ")[1] ?? name);
    await expect(dialog.getByRole("option", { name: new RegExp(`^${name}`) })).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  test("[admin] Share the invitation shows the sign-in page beside a temporary password; Copy copies both", async ({
    page,
    context,
    baseURL,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    const name = uniqueName("Tess Temp");
    const email = `${name.replace(/\W+/g, "-").toLowerCase()}@example.com`;
    await page.getByRole("button", { name: "Invite member" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite member" });
    await dialog.getByRole("textbox", { name: "Name" }).fill(name);
    await dialog.getByRole("textbox", { name: "Email" }).fill(email);
    await dialog.getByRole("radio", { name: "Temporary password" }).check();
    await dialog.getByRole("button", { name: "Invite" }).click();
    const share = directory.shareDialog;
    await expect(share.getByRole("textbox", { name: "Sign-in page" })).toHaveValue(`${baseURL}/login`);
    const password = await share.getByRole("textbox", { name: "Temporary password" }).inputValue();
    expect(await seriousViolations(page), "Share the invitation").toEqual([]);
    await share.getByRole("button", { name: "Copy" }).click();
    await expect(share.getByRole("button", { name: "Copied" })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`${baseURL}/login`);
    expect(copied).toContain(email);
    expect(copied).toContain(password);
    await share.getByRole("button", { name: "Done" }).click();
    await expect(share).toBeHidden();
  });
});

test.describe("signed out, without SMTP", () => {
  test("/login offers no Forgot password?, and /forgot-password says to ask an admin", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Forgot password?" })).toHaveCount(0);
    await page.goto("/forgot-password");
    await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
    await expect(page.getByText("Ask an account admin to reset your password")).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Email" })).toHaveCount(0);
  });
});

// A server of its own, with SMTP_URL set to a real SMTP receiver in this process (ports 3460+2…).
test.describe("Forgot password with SMTP", () => {
  test.describe.configure({ mode: "serial" });
  let smtp: SmtpInbox;
  let server: SpawnedServer;
  let dataDir: string;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    smtp = await startSmtp();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "keydesk-e2e-recovery-"));
    const port = Number(process.env.E2E_PORT ?? 3100) + 2;
    server = await spawnServer({
      env: {
        NODE_ENV: "production",
        PORT: String(port),
        DATABASE_URL: `pglite:${dataDir}`,
        KEYDESK_DEMO: "1",
        SMTP_URL: smtp.url,
      },
      timeoutMs: 170_000,
    });
  });
  test.afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const mailsTo = (email: string) => smtp.inbox.filter((m) => m.to.includes(email));

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ])
    test(`Forgot password? → email → reset link → new password → sign in (${viewport.width} px)`, async ({
      page,
    }) => {
      await page.setViewportSize(viewport);
      const email = viewport.width === 390 ? DEMO_USERS.readOnly.email : DEMO_USERS.member.email;
      const before = mailsTo(email).length;
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole("link", { name: "Forgot password?" }).click();
      await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
      expect(await seriousViolations(page), "/forgot-password").toEqual([]);
      await noSidewaysScroll(page);
      await page.getByRole("textbox", { name: "Email" }).fill(email);
      await page.getByRole("button", { name: "Send reset link" }).click();
      await expect(page.getByRole("status")).toHaveText(
        "If an account exists for that email, we sent a link.",
      );
      expect(await seriousViolations(page), "sent").toEqual([]);

      await expect.poll(() => mailsTo(email).length, { timeout: 15_000 }).toBe(before + 1);
      const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/.exec(
        mailText(mailsTo(email)[before]),
      )?.[0];
      expect(link?.startsWith(`${server.baseUrl}/reset-password/`)).toBe(true);

      await page.goto(link ?? "");
      await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
      await noSidewaysScroll(page);
      await page.getByLabel("Password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Save password" }).click();
      await expect(page).toHaveURL(/\/settings\//);

      // Signed out, the new password signs in; the old one does not.
      await page.context().clearCookies();
      await page.goto(`${server.baseUrl}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText("Invalid email or password")).toBeVisible();
      await page.getByLabel("Password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/settings\/api-keys/);

      // The link was single-use.
      await page.goto(link ?? "");
      await expect(page.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
    });

  test("an unknown address gets the same answer and no email", async ({ page }) => {
    const unknown = `nobody-${Date.now()}@example.com`;
    await page.goto(`${server.baseUrl}/forgot-password`);
    await page.getByRole("textbox", { name: "Email" }).fill(unknown);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toHaveText("If an account exists for that email, we sent a link.");
    // A request for a known address after it: when its email arrives, the unknown one's turn has passed.
    const known = DEMO_USERS.admin.email;
    const before = mailsTo(known).length;
    const res = await page.request.post(`${server.baseUrl}/v2/password-resets`, { data: { email: known } });
    expect(res.status()).toBe(202);
    await expect.poll(() => mailsTo(known).length, { timeout: 15_000 }).toBe(before + 1);
    expect(mailsTo(unknown)).toHaveLength(0);
  });
});

test.describe("at 390 px", () => {
  signedInAs("admin");
  test.use({ viewport: { width: 390, height: 844 } });

  test("[admin] a blocked person's row menu and the Unblock member confirmation fit a phone", async ({
    page,
    api,
  }) => {
    const name = uniqueName("Pia Phone");
    const created = await api.call("POST", "/v2/users", {
      token: sessionToken("admin"),
      body: {
        name,
        email: `${name.replace(/\W+/g, "-").toLowerCase()}@example.com`,
        role: "member",
        invite_mode: "NONE",
      },
    });
    expect(created.status).toBe(201);
    const id = encodeURIComponent(created.body.id as string);
    expect((await api.call("DELETE", `/v2/users/${id}`, { token: sessionToken("admin") })).status).toBe(204);

    const directory = new DirectoryPages(page);
    await directory.gotoMembers(`?q=${encodeURIComponent(name)}`);
    await expect(directory.row(name).getByText("Blocked", { exact: true })).toBeVisible();
    await noSidewaysScroll(page);
    await directory.openRowActions(name);
    await page.getByRole("menuitem", { name: "Unblock" }).click();
    const alert = page.getByRole("alertdialog", { name: "Unblock member" });
    await expect(alert.getByRole("button", { name: "Unblock" })).toBeInViewport();
    await expect(alert.getByRole("button", { name: "Cancel" })).toBeInViewport();
    await noSidewaysScroll(page);
    expect(await seriousViolations(page), "Unblock member at 390 px").toEqual([]);
    await alert.getByRole("button", { name: "Cancel" }).click();
    await expect(alert).toBeHidden();
    await expect(page.getByRole("button", { name: `Actions for ${name}` })).toBeFocused();
  });
});
