import { expect, type Locator, type Page } from "@playwright/test";

/** Settings → Members, Organizations & Spaces and a scope's page, in the words a person would use. */
export class DirectoryPages {
  constructor(readonly page: Page) {}

  async gotoMembers(query = "") {
    await this.page.goto(`/settings/members${query}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  }

  async gotoSpaces() {
    await this.page.goto("/settings/spaces");
    await expect(this.page.getByRole("heading", { level: 1, name: "Organizations & Spaces" })).toBeVisible();
  }

  /** Opens a space's (or organization's) page from the tree by its link. */
  async openScope(name: string) {
    await this.gotoSpaces();
    await this.page.getByRole("link", { name, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("cell", { name, exact: false }) });
  }

  async createOrganization(name: string, description = "") {
    await this.page.getByRole("button", { name: "New organization" }).click();
    const dialog = this.page.getByRole("dialog", { name: "New organization" });
    await dialog.getByLabel("Name").fill(name);
    if (description) await dialog.getByLabel("Description").fill(description);
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();
    await expect(this.page.getByRole("link", { name, exact: true })).toBeVisible();
  }

  async createSpace({
    organization,
    name,
    description = "",
    isPrivate = false,
  }: {
    organization: string;
    name: string;
    description?: string;
    isPrivate?: boolean;
  }) {
    await this.page.getByRole("button", { name: "New space" }).click();
    const dialog = this.page.getByRole("dialog", { name: "New space" });
    await dialog.getByLabel("Organization").selectOption({ label: organization });
    await dialog.getByLabel("Name").fill(name);
    if (description) await dialog.getByLabel("Description").fill(description);
    if (isPrivate) await dialog.getByRole("checkbox", { name: "Private" }).check();
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();
    await expect(this.page.getByRole("link", { name, exact: true })).toBeVisible();
  }

  get shareDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Share the invitation" });
  }

  /** Invites someone on the Members page; returns the one-time secret from Share the invitation (closed after). */
  async invite({
    name,
    email,
    accountRole = "Member",
    with: mode,
  }: {
    name: string;
    email: string;
    accountRole?: "Admin" | "Member";
    with: "Temporary password" | "Invite link";
  }): Promise<string> {
    await this.page.getByRole("button", { name: "Invite member" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Invite member" });
    await dialog.getByRole("textbox", { name: "Name" }).fill(name);
    await dialog.getByRole("textbox", { name: "Email" }).fill(email);
    await dialog.getByLabel("Account role").selectOption({ label: accountRole });
    await dialog.getByRole("radiogroup", { name: "Invite with" }).getByRole("radio", { name: mode }).check();
    await dialog.getByRole("button", { name: "Invite" }).click();
    await expect(this.shareDialog).toBeVisible();
    const box = this.shareDialog.getByRole("textbox", {
      name: mode === "Temporary password" ? "Temporary password" : "Invitation link",
    });
    const secret = await box.inputValue();
    expect(secret.length).toBeGreaterThan(11);
    await this.shareDialog.getByRole("button", { name: "Copy" }).click();
    await expect(this.shareDialog.getByRole("button", { name: "Copied" })).toBeVisible();
    await this.shareDialog.getByRole("button", { name: "Done" }).click();
    await expect(this.shareDialog).toBeHidden();
    return secret;
  }

  /** Add member on a scope's page: picks the person in the Person combobox by typing. */
  async addMember({
    person,
    search,
    role,
  }: {
    person: string;
    search: string;
    role: "Admin" | "Member" | "Read-Only";
  }) {
    await this.page.getByRole("button", { name: "Add member" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Add member" });
    const box = dialog.getByRole("combobox", { name: "Person" });
    await box.fill(search);
    await dialog.getByRole("option", { name: new RegExp(`^${person}`) }).click();
    await expect(box).toHaveValue(person);
    await dialog.getByLabel("Role").selectOption({ label: role });
    await dialog.getByRole("button", { name: "Add" }).click();
    await expect(dialog).toBeHidden();
    await expect(this.row(person).getByRole("cell", { name: role, exact: true })).toBeVisible();
  }

  async openRowActions(name: string) {
    await this.page.getByRole("button", { name: `Actions for ${name}` }).click();
  }

  async block(name: string) {
    await this.openRowActions(name);
    await this.page.getByRole("menuitem", { name: "Block" }).click();
    const alert = this.page.getByRole("alertdialog", { name: "Block member" });
    await expect(alert).toContainText(name);
    await alert.getByRole("button", { name: "Block" }).click();
    await expect(alert).toBeHidden();
    await expect(this.row(name).getByText("Blocked", { exact: true })).toBeVisible();
  }
}

/** Signs in through /login. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
