import { expect, redacted, signedInAs, test, uniqueName } from "./fixtures";
import type { Page } from "@playwright/test";

signedInAs("admin");

/** Everything the page holds where a key could linger: the DOM, the URL and both storages. */
async function pageState(page: Page): Promise<string> {
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  return [await page.content(), page.url(), storage].join("\n");
}

test("[admin] creates a user key, copies it, and the page never shows it again", async ({
  apiKeysPage,
  api,
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await apiKeysPage.goto();
  const name = uniqueName("user key");
  const key = await apiKeysPage.createUserKey({ name });

  // The reveal dialog: the key, the warning, a ready-to-paste snippet.
  const reveal = apiKeysPage.revealDialog;
  expect(key).toMatch(/^ak-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[\w-]{32}$/);
  await expect(apiKeysPage.revealedKeyBox).toHaveAttribute("readonly", "");
  await expect(reveal.getByText("This key will not be shown again")).toBeVisible();
  await expect(reveal.getByText(`export ARIZE_API_KEY=${key}`)).toBeVisible();

  // Copy puts exactly the textbox's key on the clipboard.
  await reveal.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(reveal.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  expect(clipboard).toBe(await apiKeysPage.revealedKeyBox.inputValue());
  expect(clipboard).toBe(key);

  // Once copied, Done closes without asking.
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();

  // The key works as a credential.
  expect(await api.meStatus(key)).toBe(200);

  // The table shows the redacted form only, and nothing on the page holds the key any more.
  const row = apiKeysPage.row(name);
  await expect(row.getByRole("cell", { name: redacted(key), exact: true })).toBeVisible();
  const secretPart = key.slice("ak-".length);
  expect(await pageState(page)).not.toContain(secretPart);

  // Not after a reload…
  await page.reload();
  await expect(apiKeysPage.row(name)).toBeVisible();
  expect(await pageState(page)).not.toContain(secretPart);

  // …nor after leaving and coming back through history.
  await apiKeysPage.openTab("Service Keys");
  await page.goBack();
  await expect(apiKeysPage.tab("User Keys")).toHaveAttribute("aria-selected", "true");
  await expect(apiKeysPage.row(name)).toBeVisible();
  expect(await pageState(page)).not.toContain(secretPart);
});

test("[admin] closing the reveal before copying asks first: Go back keeps the key, Close anyway drops it", async ({
  apiKeysPage,
  api,
  page,
}) => {
  await apiKeysPage.goto();
  const name = uniqueName("uncopied");
  const key = await apiKeysPage.createUserKey({ name });
  const reveal = apiKeysPage.revealDialog;

  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal.getByText("Close without copying?")).toBeVisible();
  await expect(apiKeysPage.revealedKeyBox).toBeHidden();

  // Go back returns to the same key, still uncopied.
  await reveal.getByRole("button", { name: "Go back" }).click();
  await expect(apiKeysPage.revealedKeyBox).toHaveValue(key);
  await expect(reveal.getByRole("button", { name: "Copy", exact: true })).toBeVisible();

  // Escape asks too; Close anyway closes for good.
  await page.keyboard.press("Escape");
  await expect(reveal.getByText("Close without copying?")).toBeVisible();
  await reveal.getByRole("button", { name: "Close anyway" }).click();
  await expect(reveal).toBeHidden();
  await expect(apiKeysPage.row(name)).toBeVisible();
  expect(await page.content()).not.toContain(key.slice("ak-".length));
  // Not copied is not lost server-side: the key was issued and works.
  expect(await api.meStatus(key)).toBe(200);
});
