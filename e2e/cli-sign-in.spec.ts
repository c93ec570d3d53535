import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { baseURL } from "./playwright.config";
import { expect, signedInAs, test } from "./fixtures";

// The ax CLI's sign-in as the browser sees it (docs/ax-cli-sign-in.md): the approval page, the CLI's
// callback page after Approve and after Deny, and Settings → Signed-in apps with Revoke. A tiny
// loopback listener stands in for the CLI's (ax/auth/oauth_flow.py): it takes the code or the error
// and sends the browser to /auth/cli/callback as the CLI does.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The CLI's loopback listener: remembers what arrived, redirects like the CLI. */
function loopback(): Promise<{ server: Server; port: number; arrived: URLSearchParams[] }> {
  const arrived: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? "/", "http://127.0.0.1").searchParams;
    arrived.push(query);
    const error = query.get("error");
    const target = error
      ? `${baseURL}/auth/cli/callback?${new URLSearchParams({
          status: "error",
          reason: `${error}: ${query.get("error_description") ?? "no description provided"}`,
        })}`
      : `${baseURL}/auth/cli/callback?status=success`;
    res.writeHead(302, { location: target }).end();
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as AddressInfo).port, arrived }),
    ),
  );
}

function authorizeUrl(port: number): string {
  const verifier = randomBytes(32).toString("base64url");
  return `/oauth2/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: "arize-cli",
    redirect_uri: `http://127.0.0.1:${port}/callback`,
    state: randomBytes(8).toString("hex"),
    scope: "openid email",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  })}`;
}

test.describe.configure({ mode: "serial" });

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width} px`, () => {
    test.use({ viewport });
    signedInAs("member");

    test(`[member] approves the ax CLI, then revokes it under Signed-in apps (${viewport.width} px)`, async ({
      page,
    }) => {
      const cli = await loopback();
      try {
        await page.goto(authorizeUrl(cli.port));
        await expect(
          page.getByRole("heading", { level: 1, name: "Approve ax CLI on this computer?" }),
        ).toBeVisible();
        await expect(page.getByText(DEMO_USERS.member.name)).toBeVisible();
        await expect(page.getByText("with all your access, like a user key")).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);

        await page.getByRole("button", { name: "Approve" }).click();
        await expect(
          page.getByText("You are signed in to the ax CLI. You can close this tab."),
        ).toBeVisible();
        expect(cli.arrived.at(-1)?.get("code")).toBeTruthy();
        expect(await seriousViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
      } finally {
        cli.server.close();
      }

      await page.goto("/settings/signed-in-apps");
      await expect(page.getByRole("heading", { level: 1, name: "Signed-in apps" })).toBeVisible();
      await expect(
        page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Signed-in apps" }),
      ).toHaveAttribute("aria-current", "page");
      const revoke = page.getByRole("button", { name: /^Revoke ax CLI/ });
      await expect(revoke.first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBe(0);
      const before = await revoke.count();
      await revoke.first().click();
      await expect(revoke).toHaveCount(before - 1);
    });

    test(`[member] denies the ax CLI: the callback page says why, with a way back (${viewport.width} px)`, async ({
      page,
    }) => {
      const cli = await loopback();
      try {
        await page.goto(authorizeUrl(cli.port));
        await page.getByRole("button", { name: "Deny" }).click();
        await expect(
          page.getByRole("heading", { level: 1, name: "The ax CLI could not sign in" }),
        ).toBeVisible();
        await expect(page.getByText("Reason: access_denied: The person denied the sign-in.")).toBeVisible();
        await expect(page.getByRole("link", { name: "Back to Keydesk" })).toBeVisible();
        expect(cli.arrived.at(-1)?.get("code")).toBeNull();
        expect(await seriousViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
      } finally {
        cli.server.close();
      }
    });
  });
}

test("[signed out] a reason with markup is shown as text on the callback page", async ({ page }) => {
  await page.goto(
    `/auth/cli/callback?status=error&reason=${encodeURIComponent("<b>bold</b> & <script>x</script>")}`,
  );
  await expect(page.getByText("Reason: <b>bold</b> & <script>x</script>")).toBeVisible();
  expect(await page.locator("b", { hasText: "bold" }).count()).toBe(0);
});

test("[signed out] the approval page asks to sign in first and comes back", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const cli = await loopback();
  try {
    await page.goto(`${baseURL}${authorizeUrl(cli.port)}`);
    await expect(page).toHaveURL(/\/login\?next=%2Fcli%2Fauthorize%2F/);
    await page.getByLabel("Email").fill(DEMO_USERS.member.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByRole("heading", { level: 1, name: "Approve ax CLI on this computer?" }),
    ).toBeVisible();
  } finally {
    cli.server.close();
    await context.close();
  }
});
