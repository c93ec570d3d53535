import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, sessionToken, signedInAs, test, uniqueName, type KeysApi } from "./fixtures";

// Settings → Key policy (lifecycle.md §3), and what New API Key makes of it. The policy is the demo
// account's own, which other files' keys share: each test puts it back as it found it, and the caps it
// sets are on service keys only, so user-key journeys running alongside are not touched.

const DEFAULTS = {
  max_lifetime_days: { user: null, service: null },
  default_lifetime_days: { user: null, service: null },
  warning_days: [30, 7, 1],
  leak_action: "revoke",
};

async function setPolicy(api: KeysApi, body: unknown) {
  const res = await api.call("PUT", "/v2/key-policy", { token: sessionToken("admin"), body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

/** The page's horizontal overflow in pixels (0: it never scrolls sideways). */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe.configure({ mode: "serial" });

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width} px`, () => {
    test.use({ viewport });

    test.describe("as an account admin", () => {
      signedInAs("admin");
      test.afterEach(async ({ api }) => setPolicy(api, DEFAULTS));

      test(`[admin] edits and saves the key policy (${viewport.width} px)`, async ({ page, api }) => {
        await page.goto("/settings/key-policy");
        await expect(page.getByRole("heading", { level: 1, name: "Key policy" })).toBeVisible();
        await expect(
          page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Key policy" }),
        ).toHaveAttribute("aria-current", "page");
        await expect(page.getByLabel("Warn before expiry (days)")).toHaveValue("30, 7, 1");
        expect(await seriousViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);

        // A default above the cap is refused on the spot, by its field.
        await page.getByLabel("Longest service key (days)").fill("60");
        await page.getByLabel("Default service key (days)").fill("90");
        await page.getByRole("button", { name: "Save" }).click();
        await expect(page.getByText("longer than the longest allowed (60 days)")).toBeVisible();

        await page.getByLabel("Default service key (days)").fill("30");
        await page.getByLabel("Warn before expiry (days)").fill("14, 2");
        await page.getByLabel("When a key leaks").selectOption({ label: "Notify only" });
        await page.getByRole("button", { name: "Save" }).click();
        await expect(page.getByText("Key policy saved.")).toBeVisible();

        const saved = await api.call("GET", "/v2/key-policy", { token: sessionToken("member") });
        expect(saved.body).toEqual({
          max_lifetime_days: { user: null, service: 60 },
          default_lifetime_days: { user: null, service: 30 },
          warning_days: [14, 2],
          leak_action: "notify",
        });
        await page.reload();
        await expect(page.getByLabel("Longest service key (days)")).toHaveValue("60");
        await expect(page.getByLabel("Warn before expiry (days)")).toHaveValue("14, 2");
      });

      test(`[admin] New API Key preselects the default lifetime and disables longer choices (${viewport.width} px)`, async ({
        page,
        api,
        apiKeysPage,
      }) => {
        await setPolicy(api, { max_lifetime_days: { service: 60 }, default_lifetime_days: { service: 30 } });
        await apiKeysPage.goto();
        await apiKeysPage.openNewKeyDialog();
        const dialog = apiKeysPage.newKeyDialog;
        const expiration = dialog.getByLabel("Expiration", { exact: true });
        // User keys have no cap and no default: every choice, 90 days preselected (never Never).
        await expect(expiration).toHaveValue("90");
        await expect(dialog.getByText("Your account allows at most 60 days")).toHaveCount(0);

        await dialog.getByRole("radio", { name: "Service Key" }).check();
        await expect(expiration).toHaveValue("30");
        for (const label of ["Never", "90 days"])
          await expect(expiration.getByRole("option", { name: label })).toBeDisabled();
        for (const label of ["30 days", "60 days", "Custom date"])
          await expect(expiration.getByRole("option", { name: label })).toBeEnabled();
        await expect(dialog.getByText("Your account allows at most 60 days")).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
      });

      test(`[admin] Refresh offers only a new expiry within the cap, with the reason (${viewport.width} px)`, async ({
        page,
        api,
        apiKeysPage,
      }) => {
        // Made before the cap: it never expires, and keeps that until it is refreshed.
        const name = uniqueName("capped refresh");
        const staging = await api.spaceId("admin", "Staging");
        const made = await api.createKey("admin", { name, key_type: "service", space_id: staging });
        await setPolicy(api, { max_lifetime_days: { service: 60 } });
        await apiKeysPage.goto();
        await apiKeysPage.openTab("Service Keys");
        await apiKeysPage.openRowActions(name);
        await page.getByRole("menuitem", { name: "Refresh" }).click();
        const dialog = page.getByRole("dialog", { name: "Refresh API Key" });
        const expiration = dialog.getByLabel("Expiration", { exact: true });
        await expect(expiration).toHaveValue("60");
        for (const label of ["Never", "90 days"])
          await expect(expiration.getByRole("option", { name: label })).toBeDisabled();
        await expect(dialog.getByText("Your account allows at most 60 days")).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
        await dialog.getByRole("button", { name: "Refresh Key" }).click();
        await expect(apiKeysPage.revealDialog).toBeVisible();
        const key = await api.call(
          "GET",
          `/v2/api-keys?space_id=${encodeURIComponent(staging)}&name=${encodeURIComponent(name)}`,
          {
            token: sessionToken("admin"),
          },
        );
        const [row] = key.body.api_keys as { id: string; expires_at?: string }[];
        expect(row?.id).toBe(made.id);
        const days = (new Date(row?.expires_at ?? 0).getTime() - Date.now()) / 86_400_000;
        expect(days).toBeGreaterThan(59);
        expect(days).toBeLessThanOrEqual(60);
      });
    });

    test.describe("as a member", () => {
      signedInAs("member");

      test(`[member] sees the key policy read-only, with the reason (${viewport.width} px)`, async ({
        page,
      }) => {
        await page.goto("/settings/key-policy");
        await expect(page.getByRole("heading", { level: 1, name: "Key policy" })).toBeVisible();
        await expect(page.getByText("Only account admins can change the key policy.")).toBeVisible();
        for (const label of [
          "Longest user key (days)",
          "Longest service key (days)",
          "Default user key (days)",
          "Default service key (days)",
          "Warn before expiry (days)",
          "When a key leaks",
        ])
          await expect(page.getByLabel(label)).toBeDisabled();
        await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
        expect(await seriousViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
      });
    });
  });
}
