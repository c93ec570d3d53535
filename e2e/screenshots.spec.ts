import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, signedInAs, test } from "./fixtures";
import { DirectoryPages } from "./pages/directory-pages";
import { KeyPage } from "./pages/key-page";

// Documentation screenshots, tracked in git. Every run walks the same scenes and checks that each one
// shows what its picture is meant to show; only `UPDATE_SCREENSHOTS=1` writes the files, so ordinary
// (CI) runs never touch tracked files. Regenerate on a fresh server with this file alone, so the page
// shows only the keys made here:
//   UPDATE_SCREENSHOTS=1 npx playwright test -c e2e/playwright.config.ts screenshots
const update = process.env.UPDATE_SCREENSHOTS === "1";
const dir = path.join(import.meta.dirname, "screenshots");
const FILES = [
  "api-keys-page.png",
  "new-service-key-dialog.png",
  "reveal-dialog.png",
  "members-page.png",
  "space-page.png",
  "audit-log-page.png",
  "key-page.png",
] as const;
type File = (typeof FILES)[number];

/** Takes the picture; writes it only when regenerating. */
async function shoot(page: Page, file: File, options: Parameters<Page["screenshot"]>[0] = {}) {
  const image = await page.screenshot({
    animations: "disabled",
    ...options,
    ...(update ? { path: path.join(dir, file) } : {}),
  });
  expect(image.subarray(1, 4).toString("latin1")).toBe("PNG");
}

test("committed screenshots exist and are PNG images", () => {
  for (const file of FILES) {
    const bytes = readFileSync(path.join(dir, file));
    expect(bytes.subarray(1, 4).toString("latin1"), file).toBe("PNG");
    expect(bytes.length, file).toBeGreaterThan(10_000);
  }
});

test.describe("scenes", () => {
  test.use({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });

  test.describe("as Ada", () => {
    signedInAs("admin");

    test("[admin] the API Keys page with a few keys, and the reveal dialog", async ({
      apiKeysPage,
      api,
      page,
    }) => {
      const names = ["Local development", "Notebook experiments", "CI evaluation runs"];
      const descriptions = ["My laptop", "Jupyter on the shared GPU box", "GitHub Actions, nightly evals"];
      for (const [i, name] of names.entries()) {
        await api.createKey("admin", { name, description: descriptions[i], key_type: "user" });
      }
      await apiKeysPage.goto();
      await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
      await expect(apiKeysPage.tab("User Keys")).toHaveAttribute("aria-selected", "true");
      for (const [i, name] of names.entries()) {
        await expect(apiKeysPage.row(name).first()).toContainText(descriptions[i] ?? "");
      }
      await expect(page.getByRole("button", { name: "New API Key" })).toBeEnabled();
      await shoot(page, "api-keys-page.png", { fullPage: true });

      await apiKeysPage.createUserKey({ name: "Data pipeline" });
      await expect(apiKeysPage.revealDialog.getByText("This key will not be shown again")).toBeVisible();
      await expect(apiKeysPage.revealDialog.getByRole("button", { name: "Copy", exact: true })).toBeVisible();
      await expect(apiKeysPage.revealDialog.getByRole("button", { name: "Done" })).toBeVisible();
      // The key is generated at run time on a throwaway database; it is masked anyway so the tracked
      // image never carries anything key-shaped.
      await shoot(page, "reveal-dialog.png", {
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
      await expect(page.getByRole("button", { name: "Invite member" })).toBeEnabled();
      await shoot(page, "members-page.png", { fullPage: true });

      await directory.openScope("Production");
      await expect(directory.row("Max Member")).toBeVisible();
      await expect(page.getByRole("button", { name: "Add member" })).toBeEnabled();
      await shoot(page, "space-page.png", { fullPage: true });
    });
  });

  test.describe("as Ada, the audit log", () => {
    signedInAs("admin");

    test("[admin] the Audit log page", async ({ page, api }) => {
      await api.createKey("admin", { name: "Nightly export", description: "Audit log example" });
      await page.goto("/settings/audit-log");
      await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
      await expect(
        page.getByRole("table").getByRole("row").filter({ hasText: "Nightly export" }),
      ).toBeVisible();
      await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
      await shoot(page, "audit-log-page.png");
    });

    test("[admin] a key's own page", async ({ page, api }) => {
      const key = await api.createKey("admin", {
        name: "Evaluation worker",
        description: "Runs the nightly evaluation suite",
      });
      await new KeyPage(page).goto(key.id, "Evaluation worker");
      await expect(page.getByText("Runs the nightly evaluation suite").first()).toBeVisible();
      await shoot(page, "key-page.png", { fullPage: true });
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
      const dialog = apiKeysPage.newKeyDialog;
      await dialog.getByLabel("Description").fill("Writes traces from the ingest workers");
      await expect(dialog.getByRole("radio", { name: "Service Key" })).toBeChecked();
      await expect(apiKeysPage.roleSelect("Account Role")).toBeVisible();
      await expect(dialog.getByText("Limited to your account role: Member")).toBeVisible();
      await expect(dialog.getByText("Limited to your role in Production: Member")).toBeVisible();
      await expect(apiKeysPage.createKeyButton).toBeInViewport({ ratio: 1 });
      await shoot(page, "new-service-key-dialog.png");
    });
  });
});
