import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { KeyPage } from "./pages/key-page";
import { KeyListPage, redacted } from "./pages/key-list";

// lifecycle.md §1: a key's own page, reached from its name in the API Keys list.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

test.describe("as an admin", () => {
  signedInAs("admin");

  test("[admin] opens a key from the list: Details, Activity with its Addresses, History; refreshes and revokes it there", async ({
    page,
    api,
  }) => {
    const name = uniqueName("key page");
    const created = await api.createKey("admin", { name, key_type: "user", expires_at: inDays(30) });
    const oldKey = created.key;
    // Two verified calls from this machine: the page shows its address once the usage is written.
    expect(await api.meStatus(oldKey)).toBe(200);
    expect(await api.meStatus(oldKey)).toBe(200);

    const list = new KeyListPage(page);
    await list.goto(`?q=${encodeURIComponent(name)}`);
    await list.row(name).getByRole("link", { name }).click();
    const keyPage = new KeyPage(page);
    await keyPage.expectOpen(name);
    expect(page.url()).toContain(`/settings/api-keys/${encodeURIComponent(created.id)}`);

    await expect(keyPage.details).toContainText("User key");
    await expect(keyPage.details).toContainText("Ada Admin");
    await expect(keyPage.details).toContainText(/in 30 days|in 4 weeks|in 1 month/);
    await expect(keyPage.history.getByRole("listitem").first()).toContainText("Created by Ada Admin");

    // Usage is written in batches (every few seconds), so the row appears on a later load — and a batch
    // written between the two calls shows 1 until the next one: load again until both are counted.
    await keyPage.reloadUntil(async () => {
      await expect(keyPage.addresses.getByRole("row").nth(1)).toContainText(/127\.0\.0\.1|::1/);
      await expect(keyPage.addresses.getByRole("row").nth(1).getByRole("cell").last()).toHaveText("2");
    });
    await expect(keyPage.addresses.getByRole("columnheader")).toHaveText([
      "Address",
      "First seen",
      "Last seen",
      "Requests",
    ]);
    await expect(keyPage.addresses.getByRole("row").nth(1).getByRole("cell").last()).toHaveText("2");
    await expect(keyPage.activity).toContainText("Last used");

    // Refresh from the page, with a grace: the old secret keeps working and its use is reported.
    const newKey = await keyPage.refresh({ grace: "1 hour" });
    expect(newKey).not.toBe(oldKey);
    await keyPage.copyAndCloseReveal();
    await expect(page.getByText(redacted(newKey))).toBeVisible();
    await expect(keyPage.activity).toContainText("Previous secret not used since the refresh");
    await expect(keyPage.history.getByRole("listitem").first()).toContainText("Refreshed by Ada Admin");
    expect(await api.meStatus(oldKey)).toBe(200);
    await keyPage.reloadUntil(async () => {
      await expect(keyPage.activity).toContainText("Previous secret last used");
    });

    expect(await seriousViolations(page), "key page at 1280 px").toEqual([]);

    // Revoke from the page: it says when, by whom and why, and no longer when it would expire.
    await keyPage.revoke();
    await expect(keyPage.revokedNote).toContainText("by Ada Admin. Reason: Manual revoke.");
    await expect(keyPage.details).not.toContainText("Expires");
    await expect(page.getByText(/in 30 days|in 4 weeks|in 1 month/)).toHaveCount(0);
    await expect(keyPage.refreshButton).toHaveCount(0);
    await expect(keyPage.history.getByRole("listitem").first()).toContainText("Revoked by Ada Admin");
    expect(await api.meStatus(newKey)).toBe(401);
    expect(await api.meStatus(oldKey)).toBe(401);
    expect(await seriousViolations(page), "revoked key page").toEqual([]);
  });

  test("[admin] a service key's page names its bot, space and roles", async ({ page, api }) => {
    const name = uniqueName("service page");
    const spaceId = await api.spaceId("admin", "Staging");
    const created = await api.createKey("admin", {
      name,
      key_type: "service",
      space_id: spaceId,
      roles: { space_role: "read-only" },
    });
    const keyPage = new KeyPage(page);
    await keyPage.goto(created.id, name);
    await expect(keyPage.details).toContainText("Service key");
    await expect(keyPage.details).toContainText(`A bot user of its own, “${name}”`);
    await expect(keyPage.details).toContainText("Staging (Platform)");
    await expect(keyPage.details).toContainText("Space: Read-Only");
    await expect(keyPage.activity).toContainText("No requests recorded yet");
  });

  test.describe("at 390 px", () => {
    test.use({ viewport: { width: 390, height: 844 } });

    test("[admin] the key page fits a phone and has no serious accessibility violations", async ({
      page,
      api,
    }) => {
      const name = uniqueName("narrow key page");
      const created = await api.createKey("admin", { name, key_type: "user" });
      expect(await api.meStatus(created.key)).toBe(200);
      const keyPage = new KeyPage(page);
      await keyPage.goto(created.id, name);
      await keyPage.reloadUntil(async () => {
        await expect(keyPage.addresses).toBeVisible();
      });
      for (const section of [keyPage.details, keyPage.activity, keyPage.history])
        await expect(section).toBeVisible();
      // Nothing but the Addresses table (which scrolls in its own box) is wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(overflow).toBeLessThanOrEqual(390);
      await expect(keyPage.refreshButton).toBeVisible();
      expect(await seriousViolations(page), "key page at 390 px").toEqual([]);
    });
  });
});

test.describe("as someone who cannot see the key", () => {
  signedInAs("readOnly");

  test("[read-only] another person's key, and a key that does not exist, are the 404 page", async ({
    page,
    api,
  }) => {
    const name = uniqueName("not yours");
    const created = await api.call("POST", "/v2/api-keys", {
      token: sessionToken("admin"),
      body: { name, key_type: "user" },
    });
    expect(created.status).toBe(201);
    for (const id of [String(created.body.id), "QXBpS2V5Om5vdC1hLWtleQ"]) {
      await page.goto(`/settings/api-keys/${encodeURIComponent(id)}`);
      await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
      await expect(page.getByText(name)).toHaveCount(0);
    }
  });
});
