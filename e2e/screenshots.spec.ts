import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, signedInAs, test } from "./fixtures";
import { DirectoryPages } from "./pages/directory-pages";

// Documentation screenshots, tracked in git. Only `UPDATE_SCREENSHOTS=1` rewrites them, so ordinary
// (CI) runs never touch tracked files; then this spec only checks that they are there and are PNGs.
// Regenerate on a fresh server with this file alone, so the page shows only the keys made here:
//   UPDATE_SCREENSHOTS=1 npx playwright test -c e2e/playwright.config.ts screenshots
const update = process.env.UPDATE_SCREENSHOTS === "1";
const dir = path.join(import.meta.dirname, "screenshots");
const shot = (file: string) => path.join(dir, file);
const FILES = [
  "api-keys-page.png",
  "new-service-key-dialog.png",
  "reveal-dialog.png",
  "members-page.png",
  "space-page.png",
] as const;

const viewport = { width: 1280, height: 900 };

test.describe("committed screenshots", () => {
  test.skip(update, "being regenerated");

  test("exist and are PNG images", () => {
    for (const file of FILES) {
      const bytes = readFileSync(shot(file));
      expect(bytes.subarray(1, 4).toString("latin1"), file).toBe("PNG");
      expect(bytes.length, file).toBeGreaterThan(10_000);
    }
  });
});

test.describe("regenerate screenshots", () => {
  test.skip(!update, "set UPDATE_SCREENSHOTS=1 to regenerate");
  test.describe.configure({ mode: "serial" });
  test.use({ viewport, colorScheme: "light" });

  test.describe("as Ada", () => {
    signedInAs("admin");

    test("[admin] the API Keys page with a few keys, and the reveal dialog", async ({
      apiKeysPage,
      api,
      page,
    }) => {
      for (const [name, description] of [
        ["Local development", "My laptop"],
        ["Notebook experiments", "Jupyter on the shared GPU box"],
        ["CI evaluation runs", "GitHub Actions, nightly evals"],
      ]) {
        await api.createKey("admin", { name, description, key_type: "user" });
      }
      await apiKeysPage.goto();
      await expect(apiKeysPage.row("CI evaluation runs")).toBeVisible();
      await page.screenshot({ path: shot("api-keys-page.png"), fullPage: true, animations: "disabled" });

      await apiKeysPage.createUserKey({ name: "Data pipeline" });
      // The key is generated at run time on a throwaway database; it is masked anyway so the tracked
      // image never carries anything key-shaped.
      await page.screenshot({
        path: shot("reveal-dialog.png"),
        animations: "disabled",
        mask: [apiKeysPage.revealedKeyBox, apiKeysPage.revealDialog.getByText("export ARIZE_API_KEY=")],
        maskColor: "#cbd5e1",
      });
    });
  });

  test.describe("as Ada, the directory", () => {
    signedInAs("admin");

    test("[admin] the Members page and a space's page", async ({ page }) => {
      const directory = new DirectoryPages(page);
      await directory.gotoMembers();
      await expect(directory.row("Riley Reader")).toBeVisible();
      await page.screenshot({ path: shot("members-page.png"), fullPage: true, animations: "disabled" });

      await directory.openScope("Production");
      await expect(directory.row("Max Member")).toBeVisible();
      await page.screenshot({ path: shot("space-page.png"), fullPage: true, animations: "disabled" });
    });
  });

  test.describe("as Max", () => {
    signedInAs("member");
    // Tall enough for the whole dialog with Advanced open.
    test.use({ viewport: { width: 1280, height: 1150 } });

    test("[member] the New API Key dialog for a service key with Advanced open", async ({
      apiKeysPage,
      page,
    }) => {
      await apiKeysPage.goto("?tab=service");
      await apiKeysPage.fillServiceKey({ name: "Production ingest", space: "Production", advanced: true });
      await apiKeysPage.newKeyDialog.getByLabel("Description").fill("Writes traces from the ingest workers");
      await expect(apiKeysPage.newKeyDialog.getByText("Limited to your account role: Member")).toBeVisible();
      await page.screenshot({ path: shot("new-service-key-dialog.png"), animations: "disabled" });
    });
  });
});
