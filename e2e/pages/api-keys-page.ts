import { expect, type Locator, type Page } from "@playwright/test";

type RoleLabel = "Admin" | "Member" | "Read-Only";

export interface ServiceKeyInput {
  name?: string;
  space?: string;
  spaceRole?: RoleLabel;
  orgRole?: RoleLabel;
  accountRole?: "Admin" | "Member";
}

/** Settings → API Keys, in the words a person would use. */
export class ApiKeysPage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/settings/api-keys${query}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
  }

  tab(name: "User Keys" | "Service Keys"): Locator {
    return this.page.getByRole("tab", { name });
  }

  async openTab(name: "User Keys" | "Service Keys") {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute("aria-selected", "true");
  }

  /** Chooses the space on the Service Keys tab and waits until the URL carries it. */
  async selectSpace(space: string) {
    const select = this.page.getByLabel("Space", { exact: true });
    const option = select.locator("option", { hasText: `${space} (` });
    const value = await option.getAttribute("value");
    if (!value) throw new Error(`no space ${space}`);
    await select.selectOption(value);
    await expect(this.page).toHaveURL(
      new RegExp(`space=${encodeURIComponent(value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
  }

  get newKeyButton(): Locator {
    return this.page.getByRole("button", { name: "New API Key" });
  }

  get newKeyDialog(): Locator {
    return this.page.getByRole("dialog", { name: "New API Key" });
  }

  get revealDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Save your API key" });
  }

  /** The table row of the key named `name` (the Name cell also shows the description, if any). */
  row(name: string): Locator {
    return this.page
      .getByRole("row")
      .filter({ has: this.page.getByRole("cell").getByText(name, { exact: true }) });
  }

  async openNewKeyDialog() {
    await this.newKeyButton.click();
    await expect(this.newKeyDialog).toBeVisible();
  }

  /** Fills and submits the New API Key dialog; returns the raw key from the reveal dialog (left open). */
  async createUserKey({ name, description }: { name: string; description?: string }): Promise<string> {
    await this.openNewKeyDialog();
    await this.newKeyDialog.getByRole("radio", { name: "User Key" }).check();
    await this.newKeyDialog.getByLabel("Key Name").fill(name);
    if (description) await this.newKeyDialog.getByLabel("Description").fill(description);
    await this.newKeyDialog.getByRole("button", { name: "Create Key" }).click();
    return this.readRevealedKey();
  }

  /** Opens New API Key and fills it as a service key, without submitting (the dialog stays open). */
  async fillServiceKey({
    name,
    space,
    spaceRole,
    orgRole,
    accountRole,
    advanced = Boolean(orgRole || accountRole),
  }: ServiceKeyInput & { advanced?: boolean }) {
    await this.openNewKeyDialog();
    const dialog = this.newKeyDialog;
    await dialog.getByRole("radio", { name: "Service Key" }).check();
    if (name !== undefined) await dialog.getByLabel("Key Name").fill(name);
    if (space) await this.chooseDialogSpace(space);
    if (spaceRole) await dialog.getByLabel("Space Role").selectOption({ label: spaceRole });
    if (advanced) {
      await this.advancedButton.click();
      await expect(this.advancedButton).toHaveAttribute("aria-expanded", "true");
      if (orgRole) await dialog.getByLabel("Org Role").selectOption({ label: orgRole });
      if (accountRole) await dialog.getByLabel("Account Role").selectOption({ label: accountRole });
    }
  }

  async createServiceKey(input: ServiceKeyInput & { name: string }): Promise<string> {
    await this.fillServiceKey(input);
    await this.createKeyButton.click();
    return this.readRevealedKey();
  }

  get createKeyButton(): Locator {
    return this.newKeyDialog.getByRole("button", { name: "Create Key" });
  }

  get advancedButton(): Locator {
    return this.newKeyDialog.getByRole("button", { name: "Advanced" });
  }

  /** A role select of the New API Key dialog. */
  roleSelect(label: "Space Role" | "Org Role" | "Account Role"): Locator {
    return this.newKeyDialog.getByLabel(label, { exact: true });
  }

  /** One option of a role select (an <option>, so it can be checked for disabled). */
  roleOption(label: "Space Role" | "Org Role" | "Account Role", role: RoleLabel): Locator {
    return this.roleSelect(label).getByRole("option", { name: role, exact: true });
  }

  /** Chooses the Space of the New API Key dialog by the space's name. */
  async chooseDialogSpace(space: string) {
    const select = this.newKeyDialog.getByLabel("Space", { exact: true });
    const value = await select.locator("option", { hasText: `${space} (` }).getAttribute("value");
    if (!value) throw new Error(`no space ${space} in the dialog`);
    await select.selectOption(value);
  }

  async readRevealedKey(): Promise<string> {
    await expect(this.revealDialog).toBeVisible();
    const key = await this.revealedKeyBox.inputValue();
    expect(key).toMatch(/^ak-/);
    return key;
  }

  get revealedKeyBox(): Locator {
    return this.revealDialog.getByRole("textbox", { name: "API key" });
  }

  /** Copies the key, then closes the reveal dialog with Done. */
  async copyAndClose() {
    await this.revealDialog.getByRole("button", { name: "Copy", exact: true }).click();
    await expect(this.revealDialog.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
    await this.revealDialog.getByRole("button", { name: "Done" }).click();
    await expect(this.revealDialog).toBeHidden();
  }

  async openRowActions(name: string) {
    await this.page.getByRole("button", { name: `Actions for ${name}` }).click();
  }

  /** Refreshes a key from its row menu; returns the new raw key (reveal dialog left open). */
  async refreshKey(
    name: string,
    { grace }: { grace?: "None — stop the old key now" | "5 minutes" | "1 hour" | "24 hours" } = {},
  ) {
    await this.openRowActions(name);
    await this.page.getByRole("menuitem", { name: "Refresh" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Refresh API Key" });
    await expect(dialog).toBeVisible();
    if (grace) await dialog.getByLabel("Grace period").selectOption({ label: grace });
    await dialog.getByRole("button", { name: "Refresh Key" }).click();
    return this.readRevealedKey();
  }

  async revokeKey(name: string) {
    await this.openRowActions(name);
    await this.page.getByRole("menuitem", { name: "Revoke" }).click();
    const dialog = this.page.getByRole("alertdialog", { name: "Revoke API Key" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Revoke Key" }).click();
    await expect(dialog).toBeHidden();
  }
}
