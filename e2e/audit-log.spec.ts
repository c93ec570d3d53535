import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { expect, signedInAs, test, uniqueName } from "./fixtures";

// Settings → Audit log (lifecycle.md §2): account admins read every change, filter it by actor, action
// and dates (all in the URL), page through it, and export the filtered rows as one CSV file.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

const COLUMNS = ["Time", "Actor", "Action", "Target", "Address"];

test.describe("as an account admin", () => {
  signedInAs("admin");

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    test(`[admin] filters by actor and action in the URL, and exports the rows as CSV (${viewport.width} px)`, async ({
      page,
      api,
    }) => {
      await page.setViewportSize(viewport);
      const name = uniqueName("audit key");
      await api.createKey("admin", { name });

      await page.goto("/settings/api-keys");
      await page
        .getByRole("navigation", { name: "Settings" })
        .getByRole("link", { name: "Audit log" })
        .click();
      await expect(page).toHaveURL(/\/settings\/audit-log$/);
      await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
      const table = page.getByRole("table");
      for (const column of COLUMNS)
        await expect(table.getByRole("columnheader", { name: column })).toBeVisible();
      await expect(table.getByRole("row").filter({ hasText: name })).toBeVisible();

      // Actor: a combobox of the people and bots that have made changes.
      const actor = page.getByRole("combobox", { name: "Actor" });
      await actor.fill("Ada");
      await page.getByRole("option", { name: /Ada Admin/ }).click();
      await expect(page).toHaveURL(/[?&]actor=/);
      await page.getByLabel("Action").selectOption({ label: "API key created" });
      await expect(page).toHaveURL(/[?&]action=create_api_key/);
      const row = table.getByRole("row").filter({ hasText: name });
      await expect(row).toContainText("Ada Admin");
      await expect(row).toContainText("API key created");
      // Only Ada's key creations are left.
      await expect(table.locator("tbody tr").filter({ hasNotText: "API key created" })).toHaveCount(0);
      await expect(table.locator("tbody tr").filter({ hasNotText: "Ada Admin" })).toHaveCount(0);

      // The filters survive a reload: they are the URL.
      await page.reload();
      await expect(page.getByLabel("Action")).toHaveValue("create_api_key");
      await expect(page.getByRole("combobox", { name: "Actor" })).toHaveValue("Ada Admin");
      await expect(page.getByRole("table").getByRole("row").filter({ hasText: name })).toBeVisible();

      expect(await seriousViolations(page)).toEqual([]);
      await expectNoSidewaysScroll(page);

      // Export CSV: one file with the header and the filtered rows.
      const downloading = page.waitForEvent("download");
      await page.getByRole("link", { name: "Export CSV" }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
      const lines = csv.trim().split(/\r?\n/);
      expect(lines[0]).toBe("Time,Actor,Actor email,Action,Operation,Target type,Target,Target ID,Address");
      const line = lines.find((l) => l.includes(name));
      expect(line).toContain("Ada Admin");
      expect(line).toContain("API key created");
      expect(lines.slice(1).every((l) => l.includes("create_api_key"))).toBe(true);
    });
  }

  test("[admin] From and To narrow the log, and a day with nothing shows the empty state", async ({
    page,
  }) => {
    await page.goto("/settings/audit-log");
    // A date typed before the page has hydrated changes the box but reaches no handler: type it again
    // until the URL takes it.
    await expect(async () => {
      await page.getByLabel("From", { exact: true }).fill("2001-01-01");
      await expect(page).toHaveURL(/from=2001-01-01/, { timeout: 2_000 });
    }).toPass();
    await page.getByLabel("To", { exact: true }).fill("2001-01-02");
    await expect(page).toHaveURL(/from=2001-01-01/);
    await expect(page).toHaveURL(/to=2001-01-02/);
    await expect(page.getByText("No changes match these filters.")).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/settings\/audit-log$/);
    await expect(page.getByRole("table")).toBeVisible();
  });

  test("[admin] Load more brings the next page of a long log", async ({ page, request }) => {
    // 55 sign-ins by Ada: more than one page (50) of "Signed in".
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          const res = await request.post("/v2/sessions", {
            data: { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD },
          });
          expect(res.status()).toBe(201);
        }),
      );
    }
    await page.goto("/settings/audit-log?action=create_session");
    const rows = page.getByRole("table").locator("tbody tr");
    await expect(rows).toHaveCount(50);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(55 - 1);
    await expect(rows.filter({ hasNotText: "Signed in" })).toHaveCount(0);
  });

  test("[admin] a failed sign-in shows as Unknown, with the email tried as its target", async ({
    page,
    request,
  }) => {
    // Someone tries Max's email with a wrong password: the row must not say Max did it.
    const email = DEMO_USERS.member.email;
    const res = await request.post("/v2/sessions", { data: { email, password: "not the password" } });
    expect(res.status()).toBe(401);
    await page.goto("/settings/audit-log?action=session.sign_in_failed");
    const row = page.getByRole("table").getByRole("row").filter({ hasText: email });
    await expect(row.first()).toContainText("Sign-in failed");
    await expect(row.first()).toContainText("Unknown");
    await expect(row.filter({ hasText: "Max Member" })).toHaveCount(0);
  });
});

test.describe("as a member", () => {
  signedInAs("member");

  test("[member] gets the 404 page and has no Audit log navigation item", async ({ page, request }) => {
    await page.goto("/settings/api-keys");
    const nav = page.getByRole("navigation", { name: "Settings" });
    await expect(nav.getByRole("link", { name: "Members" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);

    const response = await page.goto("/settings/audit-log");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);

    const exported = await page.request.get("/settings/audit-log/export");
    expect(exported.status()).toBe(404);
    expect(await exported.text()).not.toContain("Time,Actor");
    // The API itself refuses too (the page is not the only guard).
    expect((await request.get("/v2/audit-logs/export.csv")).status()).toBe(401);
  });
});
