import { expect, type Locator, type Page } from "@playwright/test";
import { ApiKeysPage } from "./api-keys-page";

/** The list side of Settings → API Keys: filters, search, paging, states and the revoke dialog. */
export class KeyListPage extends ApiKeysPage {
  constructor(page: Page) {
    super(page);
  }

  get statusFilter(): Locator {
    return this.page.getByLabel("Status", { exact: true });
  }

  get spaceFilter(): Locator {
    return this.page.getByLabel("Space", { exact: true });
  }

  get searchBox(): Locator {
    return this.page.getByRole("searchbox", { name: "Search keys" });
  }

  get loadMoreButton(): Locator {
    return this.page.getByRole("button", { name: "Load more" });
  }

  get retryButton(): Locator {
    return this.page.getByRole("button", { name: "Retry" });
  }

  get loadError(): Locator {
    return this.page.getByRole("alert").filter({ hasText: "The keys could not be loaded" });
  }

  get table(): Locator {
    return this.page.getByRole("table");
  }

  /** "No API keys yet" or, with a filter, "No keys match". */
  get emptyState(): Locator {
    return this.page.getByText(/^(No API keys yet|No keys match)$/);
  }

  get revokeDialog(): Locator {
    return this.page.getByRole("alertdialog", { name: "Revoke API Key" });
  }

  /** Data rows whose text contains `text` (the header row has no such text). */
  rowsContaining(text: string): Locator {
    return this.page.getByRole("row").filter({ hasText: text });
  }

  /** The `value` of a space's option in the Space filter, i.e. the id the URL carries. */
  async spaceValue(space: string): Promise<string> {
    const value = await this.spaceFilter.locator("option", { hasText: `${space} (` }).getAttribute("value");
    if (!value) throw new Error(`no space ${space}`);
    return value;
  }

  async filterStatus(status: "All" | "Active" | "Expired" | "Revoked") {
    await this.statusFilter.selectOption({ label: status });
    await expect(this.page).toHaveURL((url) =>
      status === "Active"
        ? !url.searchParams.has("status")
        : url.searchParams.get("status") === status.toLowerCase(),
    );
  }

  /** Types a search and waits until it reaches the URL (the box debounces). */
  async search(text: string) {
    await this.searchBox.fill(text);
    await expect(this.page).toHaveURL((url) => url.searchParams.get("q") === text.trim());
  }

  /** Opens the row's Revoke dialog and leaves it open. */
  async openRevokeDialog(name: string) {
    await this.openRowActions(name);
    await this.page.getByRole("menuitem", { name: "Revoke" }).click();
    await expect(this.revokeDialog).toBeVisible();
  }

  async confirmRevoke() {
    await this.revokeDialog.getByRole("button", { name: "Revoke Key" }).click();
    await expect(this.revokeDialog).toBeHidden();
  }
}

/** `ak-abc...xyz`: how the table shows a raw key. */
export function redacted(key: string): string {
  return `${key.slice(0, 6)}...${key.slice(-3)}`;
}
