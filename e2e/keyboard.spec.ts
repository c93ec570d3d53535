import type { Locator, Page } from "@playwright/test";
import { expect, redacted, signedInAs, test, uniqueName } from "./fixtures";

signedInAs("admin");

/** Presses Tab until `target` has focus (at most `limit` times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator, limit = 25) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `Tab never reached ${target.toString()}`).toBeFocused();
}

/** The focused control shows it: it matches :focus-visible and draws an outline or a ring. */
async function expectFocusVisible(target: Locator) {
  await expect(target).toBeFocused();
  const indicator = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== "none";
    return { focusVisible: el.matches(":focus-visible"), drawn: outline || ring };
  });
  expect(indicator).toEqual({ focusVisible: true, drawn: true });
}

test("[admin] creates a user key with the keyboard alone, with focus visible at every step", async ({
  apiKeysPage,
  api,
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await apiKeysPage.goto();
  const name = uniqueName("keyboard");

  await tabTo(page, apiKeysPage.newKeyButton);
  await expectFocusVisible(apiKeysPage.newKeyButton);
  await page.keyboard.press("Enter");
  await expect(apiKeysPage.newKeyDialog).toBeVisible();

  // Opened from the User Keys tab, the dialog starts on User Key; focus stays inside it.
  await expect(apiKeysPage.newKeyDialog.getByRole("radio", { name: "User Key" })).toBeChecked();
  const keyName = apiKeysPage.newKeyDialog.getByLabel("Key Name");
  await tabTo(page, keyName);
  await expectFocusVisible(keyName);
  await page.keyboard.type(name);
  await expect(keyName).toHaveValue(name);

  await tabTo(page, apiKeysPage.createKeyButton);
  await expectFocusVisible(apiKeysPage.createKeyButton);
  await page.keyboard.press("Enter");

  const reveal = apiKeysPage.revealDialog;
  await expect(reveal).toBeVisible();
  const key = await apiKeysPage.revealedKeyBox.inputValue();
  const copy = reveal.getByRole("button", { name: "Copy", exact: true });
  await tabTo(page, copy);
  await expectFocusVisible(copy);
  await page.keyboard.press("Space");
  await expect(reveal.getByRole("button", { name: "Copied", exact: true })).toBeFocused();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const done = reveal.getByRole("button", { name: "Done" });
  await tabTo(page, done);
  await expectFocusVisible(done);
  await page.keyboard.press("Enter");
  await expect(reveal).toBeHidden();

  await expect(apiKeysPage.row(name).getByRole("cell", { name: redacted(key), exact: true })).toBeVisible();
  expect(await api.meStatus(key)).toBe(200);
  // Focus goes back to where the keyboard user started, not to the top of the document.
  await expect(apiKeysPage.newKeyButton).toBeFocused();
});

test("[admin] a row's actions menu works from the keyboard, on its first opening and after", async ({
  apiKeysPage,
  api,
  page,
}) => {
  const name = uniqueName("menu-keys");
  await api.createKey("admin", { name, key_type: "user" });
  await page.goto(`/settings/api-keys?q=${encodeURIComponent(name)}`);
  const actions = page.getByRole("button", { name: `Actions for ${name}` });
  const menu = page.getByRole("menu");

  // The first opening (the menu loads on focus): Enter opens it on its first item, Escape gives focus back.
  await tabTo(page, actions);
  await expectFocusVisible(actions);
  await expect(actions).toHaveAttribute("aria-haspopup", "menu");
  await expect(actions).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await expect(menu).toBeVisible();
  await expect(menu.getByRole("menuitem", { name: "Refresh" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Revoke" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(actions).toBeFocused();
  await expect(actions).toHaveAttribute("aria-expanded", "false");

  // Again, with Arrow Down, then Revoke with Enter opens its dialog.
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Refresh" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  // Radix moves focus in a timeout after the key: wait for it, or Enter would still select Refresh.
  await expect(menu.getByRole("menuitem", { name: "Revoke" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(apiKeysPage.page.getByRole("alertdialog", { name: "Revoke API Key" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(apiKeysPage.page.getByRole("alertdialog", { name: "Revoke API Key" })).toBeHidden();
  // Focus goes back to the row's button the dialog was opened from.
  await expect(actions).toBeFocused();
});

test("[admin] Members from the keyboard: a row's menu and Invite member open focused", async ({ page }) => {
  await page.goto("/settings/members");
  const menu = page.getByRole("menu");

  // Arrow Down opens a row's menu on its first item, the first time (the menu loads on focus) as after.
  const actions = page.getByRole("button", { name: "Actions for Max Member" });
  await tabTo(page, actions);
  await page.keyboard.press("ArrowDown");
  await expect(menu).toBeVisible();
  await expect(menu.getByRole("menuitem", { name: "Change account role" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(actions).toBeFocused();

  const invite = page.getByRole("button", { name: "Invite member" });
  await tabTo(page, invite);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Invite member" });
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(invite).toBeFocused();
});
