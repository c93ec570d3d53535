import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { readDumpFile } from "../lib/db/embedded-backup";
import { expect, signedInAs, test } from "./fixtures";

// Settings → Backup (docs/backups.md): an account admin downloads a copy of the embedded database by a
// plain form post (the session stays in its cookie); nobody else is shown the page.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

test.describe("as an account admin", () => {
  signedInAs("admin");

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    test(`[admin] downloads a backup of the database from Settings → Backup (${viewport.width} px)`, async ({
      page,
    }) => {
      await page.setViewportSize(viewport);
      await page.goto("/settings/api-keys");
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Backup" }).click();
      await expect(page).toHaveURL(/\/settings\/backup$/);
      await expect(page.getByRole("heading", { level: 1, name: "Backup" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);

      const urls: string[] = [];
      page.on("request", (request) => urls.push(request.url()));
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download backup" }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(
        /^keydesk-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.tar\.gz$/,
      );
      // The file is a backup the restore accepts: a gzip tarball of a PostgreSQL data directory.
      const dump = readDumpFile(readFileSync(await download.path()), download.suggestedFilename());
      expect(dump.postgresVersion).toMatch(/^\d+$/);
      // The session never travels in a URL.
      expect(urls.some((url) => url.includes("kds_"))).toBe(false);
      // The page stays, usable.
      await expect(page.getByRole("button", { name: "Download backup" })).toBeEnabled();
    });
  }

  test("[admin] the audit log names the download", async ({ page }) => {
    await page.goto("/settings/audit-log");
    await page.getByLabel("Action").selectOption({ label: "Backup downloaded" });
    await expect(page).toHaveURL(/[?&]action=backup\.create/);
    await expect(
      page.getByRole("table").getByRole("row").filter({ hasText: "Ada Admin" }).first(),
    ).toBeVisible();
  });
});

test.describe("as a member", () => {
  signedInAs("member");

  test("[member] is not offered Backup, and its address is the 404 page", async ({ page }) => {
    await page.goto("/settings/api-keys");
    const nav = page.getByRole("navigation", { name: "Settings" });
    await expect(nav.getByRole("link", { name: "API Keys" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Backup" })).toHaveCount(0);
    const res = await page.goto("/settings/backup");
    expect(res?.status()).toBe(404);
  });

  test("[member] a download posted anyway is a 404, and no file", async ({ page }) => {
    await page.goto("/settings/api-keys");
    const status = await page.evaluate(async () => {
      const res = await fetch("/settings/backup/download", { method: "POST" });
      return res.status;
    });
    expect(status).toBe(404);
  });
});
