import { expect, type Locator, type Page } from "@playwright/test";

/** Settings → API Keys → one key, in the words a person would use. */
export class KeyPage {
  constructor(readonly page: Page) {}

  async goto(id: string, name: string) {
    await this.page.goto(`/settings/api-keys/${encodeURIComponent(id)}`);
    await this.expectOpen(name);
  }

  async expectOpen(name: string) {
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  get details(): Locator {
    return this.page.getByRole("region", { name: "Details" });
  }

  get activity(): Locator {
    return this.page.getByRole("region", { name: "Activity" });
  }

  get history(): Locator {
    return this.page.getByRole("region", { name: "History" });
  }

  get addresses(): Locator {
    return this.activity.getByRole("table", { name: "Addresses" });
  }

  get refreshButton(): Locator {
    return this.page.getByRole("button", { name: "Refresh", exact: true });
  }

  get revokeButton(): Locator {
    return this.page.getByRole("button", { name: "Revoke", exact: true });
  }

  get revealDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Save your API key" });
  }

  get revokedNote(): Locator {
    return this.page.getByRole("note").filter({ hasText: "Revoked" });
  }

  /**
   * Loads the page again until `check` passes: what a key's clients did is written in batches, a few
   * seconds apart, so it shows on a later load.
   */
  async reloadUntil(check: () => Promise<void>) {
    await expect(async () => {
      await this.page.reload();
      await check();
    }).toPass({ timeout: 40_000, intervals: [1_000, 2_000, 3_000] });
  }

  /** Refreshes the key from its page; returns the new raw key (reveal dialog left open). */
  async refresh({ grace }: { grace?: "5 minutes" | "1 hour" | "24 hours" } = {}): Promise<string> {
    await this.refreshButton.click();
    const dialog = this.page.getByRole("dialog", { name: "Refresh API Key" });
    await expect(dialog).toBeVisible();
    if (grace) await dialog.getByLabel("Grace period").selectOption({ label: grace });
    await dialog.getByRole("button", { name: "Refresh Key" }).click();
    await expect(this.revealDialog).toBeVisible();
    const key = await this.revealDialog.getByRole("textbox", { name: "API key" }).inputValue();
    expect(key).toMatch(/^ak-/);
    return key;
  }

  /** Copies the key (the dialog asks before closing on an uncopied key), then Done. */
  async copyAndCloseReveal() {
    await this.revealDialog.getByRole("button", { name: "Copy", exact: true }).click();
    await expect(this.revealDialog.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
    await this.revealDialog.getByRole("button", { name: "Done" }).click();
    await expect(this.revealDialog).toBeHidden();
  }

  async revoke() {
    await this.revokeButton.click();
    const dialog = this.page.getByRole("alertdialog", { name: "Revoke API Key" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Revoke Key" }).click();
    await expect(dialog).toBeHidden();
  }
}
