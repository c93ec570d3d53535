import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signedInAs, test, uniqueName, type KeysApi } from "./fixtures";

// API Keys → All Keys (lifecycle.md §4): every key in the account, for account admins only.

const DAY = 86_400_000;

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

/** Two of Max's user keys that expire in three days, and one of his that never expires. */
async function arrange(api: KeysApi) {
  const soon = new Date(Date.now() + 3 * DAY).toISOString();
  const first = await api.createKey("member", { name: uniqueName("inventory one"), expires_at: soon });
  const second = await api.createKey("member", { name: uniqueName("inventory two"), expires_at: soon });
  const lasting = await api.createKey("member", { name: uniqueName("inventory lasting") });
  return { first, second, lasting };
}

test.describe("as an account admin", () => {
  signedInAs("admin");

  test("[admin] filters by owner and expiry, selects two keys and revokes them after typing the count", async ({
    page,
    api,
  }) => {
    test.slow();
    const { first, second, lasting } = await arrange(api);
    await page.goto("/settings/api-keys");
    await page.getByRole("tab", { name: "All Keys" }).click();
    await expect(page).toHaveURL(/[?&]tab=all/);
    await expect(page.getByRole("tab", { name: "All Keys" })).toHaveAttribute("aria-selected", "true");
    for (const column of ["Name", "Type", "Owner", "Space", "Expires", "Last used", "Status"])
      await expect(page.getByRole("columnheader", { name: column, exact: true })).toBeVisible();

    // Owner: Max, by the combobox (searched by email), then Expiring within 7 days.
    const owner = page.getByRole("combobox", { name: "Owner" });
    await owner.fill("member@");
    await page.getByRole("option", { name: /Max Member/ }).click();
    await expect(page).toHaveURL(/[?&]owner=/);
    await page.getByLabel("Expiring within").selectOption({ label: "7 days" });
    await expect(page).toHaveURL(/[?&]expiring=7/);
    await expect(page.getByRole("checkbox", { name: `Select ${first.name}` })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: `Select ${second.name}` })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: `Select ${lasting.name}` })).toHaveCount(0);
    // Ada's own keys are not Max's.
    await expect(page.getByRole("cell", { name: "Ada Admin" })).toHaveCount(0);

    // A reload keeps the filters (they live in the URL).
    await page.reload();
    await expect(page.getByLabel("Expiring within")).toHaveValue("7");
    await expect(page.getByRole("checkbox", { name: `Select ${first.name}` })).toBeVisible();

    await expect(page.getByRole("button", { name: "Revoke selected" })).toHaveCount(0);
    // By keyboard: Space ticks a focused checkbox.
    await page.getByRole("checkbox", { name: `Select ${first.name}` }).focus();
    await page.keyboard.press("Space");
    await page.getByRole("checkbox", { name: `Select ${second.name}` }).check();
    await expect(page.getByText("2 selected")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Revoke selected" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Revoke 2 keys?" });
    await expect(dialog).toBeVisible();
    const confirm = dialog.getByRole("button", { name: "Revoke 2 keys" });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel("Type 2 to confirm").fill("3");
    await expect(confirm).toBeDisabled();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByLabel("Type 2 to confirm").fill("2");
    await confirm.click();

    await expect(page.getByText("Revoked 2 keys.")).toBeVisible();
    await expect(dialog).toHaveCount(0);
    // The list refreshed: the revoked keys left the active list, and they stopped working.
    await expect(page.getByRole("checkbox", { name: `Select ${first.name}` })).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: `Select ${second.name}` })).toHaveCount(0);
    expect(await api.meStatus(first.key)).toBe(401);
    expect(await api.meStatus(second.key)).toBe(401);
    expect(await api.meStatus(lasting.key)).toBe(200);
    await page
      .getByRole("tabpanel", { name: "All Keys" })
      .getByLabel("Status", { exact: true })
      .selectOption({ label: "Revoked" });
    await expect(page.getByRole("row").filter({ hasText: first.name })).toContainText("Revoked");
  });

  test("[admin] the arrow keys move between the three tabs", async ({ page }) => {
    await page.goto("/settings/api-keys");
    await page.getByRole("tab", { name: "User Keys" }).focus();
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByRole("tab", { name: "All Keys" })).toBeFocused();
    await expect(page).toHaveURL(/[?&]tab=all/);
    await expect(page.getByRole("tab", { name: "All Keys" })).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tab", { name: "User Keys" })).toHaveAttribute("aria-selected", "true");
  });

  test("[admin] an empty result says No keys match", async ({ page }) => {
    // A revoked service key that expires within 7 days and went unused for 90: none in the demo.
    await page.goto("/settings/api-keys?tab=all&type=service&status=revoked&expiring=7&unused=90");
    await expect(page.getByText("No keys match")).toBeVisible();
  });

  test("[admin] Exceeds policy is a checkbox kept in the URL", async ({ page }) => {
    await page.goto("/settings/api-keys?tab=all");
    // The tab's list loads in the browser: once it shows, the page is hydrated and the box is live.
    await expect(page.getByRole("table").or(page.getByText("No API keys yet")).first()).toBeVisible();
    const exceeds = page.getByRole("checkbox", { name: "Exceeds policy" });
    await expect(exceeds).not.toBeChecked();
    // A controlled box: it shows ticked once the URL says so (the router answers first).
    await exceeds.click();
    await expect(page).toHaveURL(/[?&]exceeds=1(&|$)/);
    await expect(exceeds).toBeChecked();
    await page.reload();
    await expect(page.getByRole("checkbox", { name: "Exceeds policy" })).toBeChecked();
  });

  for (const width of [1280, 390]) {
    test(`[admin] at ${width} px the tab fits without sideways scroll and the dialog is reachable`, async ({
      page,
      api,
    }) => {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      const { first } = await arrange(api);
      await page.goto("/settings/api-keys?tab=all&expiring=7");
      const box = page.getByRole("checkbox", { name: `Select ${first.name}` });
      await box.check();
      const scroll = await page.evaluate(() => ({
        width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        inner: window.innerWidth,
      }));
      expect(scroll.width).toBeLessThanOrEqual(scroll.inner);
      await page.getByRole("button", { name: "Revoke selected" }).click();
      const dialog = page.getByRole("alertdialog", { name: "Revoke 1 key?" });
      await expect(dialog.getByRole("button", { name: "Cancel" })).toBeInViewport({ ratio: 1 });
      await expect(dialog.getByRole("button", { name: "Revoke 1 key" })).toBeInViewport({ ratio: 1 });
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await expect(dialog).toHaveCount(0);
      // Focus goes back to the button that opened it.
      await expect(page.getByRole("button", { name: "Revoke selected" })).toBeFocused();
      expect(await api.meStatus(first.key)).toBe(200);
    });
  }
});

test.describe("as a member", () => {
  signedInAs("member");

  test("[member] sees no All Keys tab, and its URL shows User Keys", async ({ page }) => {
    await page.goto("/settings/api-keys");
    await expect(page.getByRole("tab", { name: "User Keys" })).toBeVisible();
    await expect(page.getByRole("tab", { name: "All Keys" })).toHaveCount(0);
    await page.goto("/settings/api-keys?tab=all");
    await expect(page.getByRole("tab", { name: "User Keys" })).toHaveAttribute("aria-selected", "true");
    await expect(page.getByRole("tab", { name: "All Keys" })).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: /^Select / })).toHaveCount(0);
  });
});
