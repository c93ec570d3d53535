import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signedInAs, test, uniqueName } from "./fixtures";

/** Serious and critical axe violations on the page as it is now, in a form that reads well in a failure. */
async function seriousViolations(page: Page) {
  // Every rule axe has (WCAG 2.x A/AA and best practices); only the serious and critical ones fail.
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
}

test.describe("as an account admin", () => {
  signedInAs("admin");

  test("[admin] the API Keys page and its dialogs have no serious accessibility violations", async ({
    apiKeysPage,
    api,
    page,
  }) => {
    // Nine full axe scans: on a loaded machine that is more than the default minute.
    test.slow();
    // A row to act on, so the table and its menus are there to check.
    const name = uniqueName("a11y");
    await api.createKey("admin", { name, key_type: "user" });
    const serviceKey = uniqueName("a11y service");
    const production = await api.spaceId("admin", "Production");
    await api.createKey("admin", { name: serviceKey, key_type: "service", space_id: production });

    await apiKeysPage.goto();
    await expect(apiKeysPage.row(name)).toBeVisible();
    expect(await seriousViolations(page), "page").toEqual([]);

    await apiKeysPage.openTab("Service Keys");
    await expect(apiKeysPage.row(serviceKey)).toBeVisible();
    expect(await seriousViolations(page), "Service Keys tab, all spaces").toEqual([]);
    await apiKeysPage.selectSpace("Production");
    await expect(apiKeysPage.row(serviceKey)).toBeVisible();
    expect(await seriousViolations(page), "Service Keys tab").toEqual([]);
    await apiKeysPage.openTab("User Keys");

    // New API Key, service key, Advanced open.
    await apiKeysPage.fillServiceKey({ space: "Production", advanced: true });
    await expect(apiKeysPage.roleSelect("Account Role")).toBeVisible();
    expect(await seriousViolations(page), "New API Key dialog").toEqual([]);
    await apiKeysPage.newKeyDialog.getByRole("button", { name: "Cancel" }).click();
    await expect(apiKeysPage.newKeyDialog).toBeHidden();

    // Refresh API Key.
    await apiKeysPage.openRowActions(name);
    await page.getByRole("menuitem", { name: "Refresh" }).click();
    const refresh = page.getByRole("dialog", { name: "Refresh API Key" });
    await expect(refresh.getByLabel("Grace period")).toBeVisible();
    expect(await seriousViolations(page), "Refresh API Key dialog").toEqual([]);
    await refresh.getByLabel("Expiration", { exact: true }).selectOption({ label: "30 days" });
    await expect(refresh.getByText(/^This shortens the key's life/)).toBeVisible();
    expect(await seriousViolations(page), "Refresh API Key dialog, with a change of expiry").toEqual([]);
    await refresh.getByRole("button", { name: "Cancel" }).click();
    await expect(refresh).toBeHidden();

    // Revoke API Key.
    await apiKeysPage.openRowActions(name);
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    const revoke = page.getByRole("alertdialog", { name: "Revoke API Key" });
    await expect(revoke.getByRole("button", { name: "Revoke Key" })).toBeVisible();
    expect(await seriousViolations(page), "Revoke API Key dialog").toEqual([]);
    await revoke.getByRole("button", { name: "Cancel" }).click();
    await expect(revoke).toBeHidden();

    // Save your API key, and its close guard.
    await apiKeysPage.createUserKey({ name: uniqueName("a11y reveal") });
    expect(await seriousViolations(page), "Save your API key dialog").toEqual([]);
    await apiKeysPage.revealDialog.getByRole("button", { name: "Done" }).click();
    await expect(apiKeysPage.revealDialog.getByText("Close without copying?")).toBeVisible();
    expect(await seriousViolations(page), "Close without copying?").toEqual([]);
    await apiKeysPage.revealDialog.getByRole("button", { name: "Close anyway" }).click();
  });
});

test.describe("at a phone's width", () => {
  signedInAs("admin");
  test.use({ viewport: { width: 390, height: 844 } });

  test("[admin] the stacked rows and the New API Key dialog at 390 px have no serious accessibility violations", async ({
    apiKeysPage,
    api,
    page,
  }) => {
    const name = uniqueName("a11y phone");
    await api.createKey("admin", {
      name,
      key_type: "service",
      space_id: await api.spaceId("admin", "Staging"),
    });
    await apiKeysPage.goto("?tab=service");
    await expect(apiKeysPage.row(name)).toBeVisible();
    expect(await seriousViolations(page), "Service Keys, stacked rows").toEqual([]);
    await apiKeysPage.fillServiceKey({ space: "Staging", advanced: true });
    expect(await seriousViolations(page), "New API Key dialog at 390 px").toEqual([]);
  });
});

test.describe("as a member with capped roles", () => {
  signedInAs("member");

  test("[member] the New API Key dialog with clamped roles has no serious accessibility violations", async ({
    apiKeysPage,
    page,
  }) => {
    await apiKeysPage.goto();
    await apiKeysPage.fillServiceKey({ space: "Production", advanced: true });
    await expect(apiKeysPage.newKeyDialog.getByText("Limited to your account role: Member")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe("as a read-only member", () => {
  signedInAs("readOnly");

  test("[read-only] the Service Keys tab with a disabled New API Key has no serious accessibility violations", async ({
    apiKeysPage,
    page,
  }) => {
    await apiKeysPage.goto("?tab=service");
    await expect(apiKeysPage.newKeyButton).toBeDisabled();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe("signed out", () => {
  test("[signed out] the sign-in page, also with its errors showing, has no serious accessibility violations", async ({
    page,
  }) => {
    await page.goto("/login");
    const signIn = page.getByRole("button", { name: "Sign in" });
    await expect(signIn).toBeVisible();
    expect(await seriousViolations(page), "sign-in page").toEqual([]);

    await signIn.click();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    expect(await seriousViolations(page), "sign-in with field errors").toEqual([]);

    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("not the password");
    await signIn.click();
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
    expect(await seriousViolations(page), "sign-in refused").toEqual([]);
  });
});
