import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { DirectoryPages } from "./pages/directory-pages";

// Members, Organizations & Spaces and a scope's page for the three demo people: what each sees
// enabled, disabled with which reason, or not at all; axe on every page and dialog.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`),
    }));
}

test.describe("as an account admin", () => {
  signedInAs("admin");

  test("[admin] Members: Invite member, every row action, Block disabled on their own row; dialogs pass axe", async ({
    page,
  }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    await expect(
      page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" }),
    ).toHaveAttribute("aria-current", "page");
    for (const header of ["Name", "Email", "Account role", "Status", "Joined"])
      await expect(page.getByRole("columnheader", { name: header })).toBeVisible();
    await expect(
      directory.row("Max Member").getByRole("cell", { name: "Member", exact: true }),
    ).toBeVisible();
    await expect(directory.row("Ada Admin").getByRole("cell", { name: "Admin", exact: true })).toBeVisible();
    await expect(directory.row("Max Member").getByText("Active", { exact: true })).toBeVisible();
    expect(await seriousViolations(page), "Members").toEqual([]);

    await directory.openRowActions("Max Member");
    for (const item of ["Change account role", "Reset password", "Block"])
      await expect(page.getByRole("menuitem", { name: item })).toBeEnabled();
    // Active people have no invitation to resend.
    await expect(page.getByRole("menuitem", { name: "Resend invitation" })).toHaveCount(0);
    await page.getByRole("menuitem", { name: "Change account role" }).click();
    const roleDialog = page.getByRole("dialog", { name: "Change account role" });
    await expect(roleDialog.getByLabel("Account role")).toHaveValue("member");
    expect(await seriousViolations(page), "Change account role").toEqual([]);
    await roleDialog.getByRole("button", { name: "Cancel" }).click();

    await directory.openRowActions("Riley Reader");
    await page.getByRole("menuitem", { name: "Block" }).click();
    const block = page.getByRole("alertdialog", { name: "Block member" });
    await expect(block).toContainText("Riley Reader");
    await expect(block).toContainText("can no longer sign in");
    expect(await seriousViolations(page), "Block member").toEqual([]);
    await block.getByRole("button", { name: "Cancel" }).click();
    await expect(block).toBeHidden();

    await directory.openRowActions("Ada Admin");
    await expect(page.getByRole("menuitem", { name: /^Block/ })).toBeDisabled();
    await expect(page.getByRole("menuitem", { name: /^Block/ })).toContainText("You can't block yourself");
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: "Invite member" }).click();
    const invite = page.getByRole("dialog", { name: "Invite member" });
    await expect(invite.getByRole("radio", { name: "Temporary password" })).toBeChecked();
    await expect(invite.getByRole("radio", { name: "Invite link" })).not.toBeChecked();
    await invite.getByRole("button", { name: "Invite" }).click();
    await expect(invite.getByRole("textbox", { name: "Email" })).toHaveAttribute("aria-invalid", "true");
    expect(await seriousViolations(page), "Invite member").toEqual([]);
    await invite.getByRole("button", { name: "Cancel" }).click();
  });

  test("[admin] Members: inviting shows the secret once, with a close guard; Resend invitation makes a new one", async ({
    page,
  }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    const name = uniqueName("Invitee");
    const email = `${name.replace(/\W+/g, ".").toLowerCase()}@example.com`;
    await page.getByRole("button", { name: "Invite member" }).click();
    const invite = page.getByRole("dialog", { name: "Invite member" });
    await invite.getByRole("textbox", { name: "Name" }).fill(name);
    await invite.getByRole("textbox", { name: "Email" }).fill(email);
    await invite.getByRole("radio", { name: "Invite link" }).check();
    await invite.getByRole("button", { name: "Invite" }).click();
    const share = directory.shareDialog;
    const link = await share.getByRole("textbox", { name: "Invitation link" }).inputValue();
    expect(link).toMatch(/^http:\/\/localhost:\d+\/invite\/[\w-]+$/);
    expect(await seriousViolations(page), "Share the invitation").toEqual([]);
    await share.getByRole("button", { name: "Done" }).click();
    await expect(share.getByText("Close without copying?")).toBeVisible();
    expect(await seriousViolations(page), "Close without copying?").toEqual([]);
    await share.getByRole("button", { name: "Close anyway" }).click();
    await expect(share).toBeHidden();
    await expect(directory.row(name).getByText("Invited", { exact: true })).toBeVisible();
    expect(await page.content()).not.toContain(link);

    await directory.openRowActions(name);
    await expect(page.getByRole("menuitem", { name: /^Reset password/ })).toBeDisabled();
    await page.getByRole("menuitem", { name: "Resend invitation" }).click();
    await page
      .getByRole("alertdialog", { name: "Resend invitation" })
      .getByRole("button", { name: "Resend invitation" })
      .click();
    const again = await share.getByRole("textbox", { name: "Invitation link" }).inputValue();
    expect(again).not.toBe(link);
    await share.getByRole("button", { name: "Copy" }).click();
    await share.getByRole("button", { name: "Done" }).click();
    await expect(share).toBeHidden();
    // The first link stopped working.
    await page.goto(new URL(link).pathname);
    await expect(page.getByRole("heading", { level: 1, name: "This link no longer works" })).toBeVisible();
  });

  test("[admin] Members: search and paging live in the URL", async ({ page }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    await page.getByRole("searchbox", { name: "Search members" }).fill("readonly@");
    await expect(page).toHaveURL(/[?&]q=readonly%40/);
    await expect(directory.row("Riley Reader")).toBeVisible();
    await expect(directory.row("Max Member")).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("searchbox", { name: "Search members" })).toHaveValue("readonly@");
    await expect(directory.row("Riley Reader")).toBeVisible();
    await expect(directory.row("Max Member")).toHaveCount(0);
    // Clearing the search shows everyone again, and the URL follows.
    await page.getByRole("searchbox", { name: "Search members" }).fill("");
    await expect(page).not.toHaveURL(/[?&]q=/);
    await expect(directory.row("Max Member")).toBeVisible();
  });

  test("[admin] Organizations & Spaces: both New buttons, every scope with the admin role; space page with Add member, Rename, Delete", async ({
    page,
    api,
  }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoSpaces();
    await expect(page.getByRole("button", { name: "New organization" })).toBeEnabled();
    await expect(page.getByRole("button", { name: "New space" })).toBeEnabled();
    for (const name of ["Platform", "Research", "Production", "Staging", "Experiments"])
      await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
    await expect(page.getByText("Your role: Read-Only")).toHaveCount(0);
    expect(await seriousViolations(page), "Organizations & Spaces").toEqual([]);

    await page.getByRole("button", { name: "New space" }).click();
    const newSpace = page.getByRole("dialog", { name: "New space" });
    await expect(newSpace.getByRole("checkbox", { name: "Private" })).not.toBeChecked();
    expect(await seriousViolations(page), "New space").toEqual([]);
    await newSpace.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "New organization" }).click();
    const newOrg = page.getByRole("dialog", { name: "New organization" });
    expect(await seriousViolations(page), "New organization").toEqual([]);
    await newOrg.getByRole("button", { name: "Cancel" }).click();

    const keyName = uniqueName("production ingest");
    await api.createKey("admin", {
      name: keyName,
      key_type: "service",
      space_id: await api.spaceId("admin", "Production"),
    });
    await directory.openScope("Production");
    // The members table (the page also lists the space's service keys in a table of their own).
    const members = page.getByRole("table", { name: "Members" });
    for (const header of ["Name", "Email", "Role"])
      await expect(members.getByRole("columnheader", { name: header })).toBeVisible();
    await expect(
      directory.row("Max Member").getByRole("cell", { name: "Member", exact: true }),
    ).toBeVisible();
    for (const button of ["Add member", "Rename", "Delete"])
      await expect(page.getByRole("button", { name: button })).toBeEnabled();
    await expect(page.getByRole("button", { name: "Actions for Max Member" })).toBeVisible();
    expect(await seriousViolations(page), "Production").toEqual([]);

    await page.getByRole("button", { name: "Add member" }).click();
    const add = page.getByRole("dialog", { name: "Add member" });
    await add.getByRole("combobox", { name: "Person" }).click();
    await expect(add.getByRole("option").first()).toBeVisible();
    // Members already here are not offered.
    await expect(add.getByRole("option", { name: /^Max Member/ })).toHaveCount(0);
    for (const role of ["Admin", "Member", "Read-Only"])
      await expect(add.getByLabel("Role").getByRole("option", { name: role, exact: true })).toBeEnabled();
    expect(await seriousViolations(page), "Add member").toEqual([]);
    // Leaving the Person box closes its list, which may be long enough (people other specs invite) to
    // cover Cancel.
    await add.getByRole("combobox", { name: "Person" }).blur();
    await expect(add.getByRole("listbox")).toBeHidden();
    await add.getByRole("button", { name: "Cancel" }).click();

    await page.getByRole("button", { name: "Delete" }).click();
    const del = page.getByRole("alertdialog", { name: "Delete space" });
    await expect(del.getByText(keyName)).toBeVisible();
    await expect(del.getByRole("button", { name: "Delete" })).toBeDisabled();
    await del.getByRole("textbox", { name: "Type the name to confirm" }).fill("Productio");
    await expect(del.getByRole("button", { name: "Delete" })).toBeDisabled();
    expect(await seriousViolations(page), "Delete space").toEqual([]);
    await del.getByRole("button", { name: "Cancel" }).click();
    await expect(del).toBeHidden();
  });

  test("[admin] a new space: the API Keys page offers it at once; Rename; Delete revokes its service keys after the name is typed", async ({
    page,
    api,
  }) => {
    const directory = new DirectoryPages(page);
    const name = uniqueName("Ledger");
    await directory.gotoSpaces();
    await directory.createSpace({ organization: "Research", name, description: "Bookkeeping jobs" });
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API Keys" }).click();
    await page.getByRole("tab", { name: "Service Keys" }).click();
    await expect(
      page.getByLabel("Space", { exact: true }).locator("option", { hasText: `${name} (Research)` }),
    ).toHaveCount(1);

    const key = await api.createKey("admin", {
      name: "ledger sync",
      key_type: "service",
      space_id: await api.spaceId("admin", name),
    });
    await directory.openScope(name);
    await page.getByRole("button", { name: "Rename" }).click();
    const rename = page.getByRole("dialog", { name: "Rename space" });
    await rename.getByLabel("Name").fill(`${name} 2`);
    await rename.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `${name} 2` })).toBeVisible();

    await page.getByRole("button", { name: "Delete" }).click();
    const del = page.getByRole("alertdialog", { name: "Delete space" });
    await expect(del.getByText("ledger sync", { exact: true })).toBeVisible();
    await del.getByRole("textbox", { name: "Type the name to confirm" }).fill(`${name} 2`);
    await del.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Organizations & Spaces" })).toBeVisible();
    await expect(page.getByRole("link", { name: `${name} 2` })).toHaveCount(0);
    expect(await api.meStatus(key.key)).toBe(401);
  });

  test("[admin] a private space's heading is its name alone; the Private badge shows beside it", async ({
    page,
  }) => {
    const directory = new DirectoryPages(page);
    const name = uniqueName("Vault");
    await directory.gotoSpaces();
    await directory.createSpace({ organization: "Research", name, isPrivate: true });
    await page.getByRole("link", { name, exact: true }).click();
    // directory.md: a space's page has heading = its name (not "<name> Private").
    const heading = page.getByRole("heading", { level: 1, name, exact: true });
    await expect(heading).toBeVisible();
    await expect(heading).toHaveText(name);
    const badge = page.getByText("Private", { exact: true });
    await expect(badge).toBeVisible();
    expect(await badge.evaluate((el) => el.closest("h1,h2,h3,h4,h5,h6,[role=heading]") === null)).toBe(true);
  });
});

test.describe("drift", () => {
  signedInAs("admin");

  test("[admin] Change role below a service key's roles: the key keeps working and the API Keys page marks it", async ({
    page,
    api,
  }) => {
    const admin = sessionToken("admin");
    const me = await api.call("GET", "/v2/me", { token: admin });
    const platform = (me.body.organizations as { id: string; name: string }[]).find(
      (o) => o.name === "Platform",
    );
    if (!platform) throw new Error("no Platform");
    const spaceName = uniqueName("Drift");
    const space = await api.call("POST", "/v2/spaces", {
      token: admin,
      body: { name: spaceName, organization_id: platform.id },
    });
    expect(space.status).toBe(201);
    const spaceId = String(space.body.id);
    const maxMe = await api.call("GET", "/v2/me", { token: sessionToken("member") });
    const maxId = (maxMe.body.user as { id: string }).id;
    expect(
      (
        await api.call("POST", `/v2/spaces/${spaceId}/users`, {
          token: admin,
          body: { user_id: maxId, role: "admin" },
        })
      ).status,
    ).toBe(200);
    const key = await api.createKey("member", {
      name: "drifting key",
      key_type: "service",
      space_id: spaceId,
      roles: { space_role: "admin", org_role: "read-only", account_role: "member" },
    });

    const directory = new DirectoryPages(page);
    await directory.openScope(spaceName);
    await directory.openRowActions("Max Member");
    await page.getByRole("menuitem", { name: "Change role" }).click();
    const dialog = page.getByRole("dialog", { name: "Change role" });
    await dialog.getByLabel("Role").selectOption({ label: "Member" });
    expect(await seriousViolations(page), "Change role").toEqual([]);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(
      directory.row("Max Member").getByRole("cell", { name: "Member", exact: true }),
    ).toBeVisible();

    expect(await api.meStatus(key.key)).toBe(200);
    await page.goto(`/settings/api-keys?tab=service&space=${encodeURIComponent(spaceId)}`);
    const row = page.getByRole("row").filter({ has: page.getByText("drifting key", { exact: true }) });
    await expect(row.getByText("Exceeds creator's role")).toBeVisible();
    await expect(row.getByText("It keeps working")).toBeVisible();
  });
});

test.describe("as a member", () => {
  signedInAs("member");

  test("[member] Members: Invite member disabled with the reason, no row actions", async ({ page }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    const invite = page.getByRole("button", { name: "Invite member" });
    await expect(invite).toBeDisabled();
    await expect(invite).toHaveAccessibleDescription("Only account admins can invite members");
    await invite.hover();
    await expect(page.getByRole("tooltip", { name: "Only account admins can invite members" })).toBeVisible();
    await expect(directory.row("Ada Admin")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("[member] Organizations & Spaces: both New buttons disabled with reasons; Add member only where space admin", async ({
    page,
  }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoSpaces();
    await expect(page.getByRole("button", { name: "New organization" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "New organization" })).toHaveAccessibleDescription(
      "Only account admins can create organizations",
    );
    await expect(page.getByRole("button", { name: "New space" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "New space" })).toHaveAccessibleDescription(
      "Only organization admins can create spaces",
    );
    const experiments = page
      .getByRole("list", { name: "Spaces in Research" })
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: "Experiments" }) });
    await expect(experiments.getByText("Your role: Read-Only")).toBeVisible();
    expect(await seriousViolations(page), "Organizations & Spaces").toEqual([]);

    // Space admin of Staging: manages its members; only organization admins rename or delete it.
    await directory.openScope("Staging");
    await expect(page.getByRole("button", { name: "Add member" })).toBeEnabled();
    await expect(page.getByRole("button", { name: "Rename" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Actions for Riley Reader" })).toBeVisible();
    expect(await seriousViolations(page), "Staging").toEqual([]);

    // Member of Production: reads its members, changes nothing.
    await directory.openScope("Production");
    await expect(
      page.getByRole("table", { name: "Members" }).getByRole("columnheader", { name: "Role" }),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: "Add member" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);
  });
});

test.describe("as a read-only member", () => {
  signedInAs("readOnly");

  test("[read-only] Members: Invite member disabled with the reason, no row actions", async ({ page }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    await expect(page.getByRole("button", { name: "Invite member" })).toHaveAccessibleDescription(
      "Only account admins can invite members",
    );
    await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);
  });

  test("[read-only] Organizations & Spaces: sees only Platform's spaces; Research's space is not found; nothing to manage", async ({
    page,
    api,
  }) => {
    const directory = new DirectoryPages(page);
    await directory.gotoSpaces();
    await expect(page.getByRole("link", { name: "Production", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Research", exact: true })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Experiments", exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "New space" })).toBeDisabled();

    const experiments = await api.spaceId("admin", "Experiments");
    const response = await page.goto(`/settings/spaces/${encodeURIComponent(experiments)}`);
    expect(response?.status()).toBe(404);

    await directory.openScope("Production");
    await expect(page.getByRole("button", { name: "Add member" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);
    expect(sessionToken("readOnly")).toBeTruthy();
  });
});

test.describe("at 390 px", () => {
  signedInAs("admin");
  test.use({ viewport: { width: 390, height: 844 } });

  test("[admin] the Settings navigation is usable on a phone and marks the current page", async ({
    page,
  }) => {
    await page.goto("/settings/api-keys");
    const nav = page.getByRole("navigation", { name: "Settings" });
    for (const name of ["API Keys", "Members", "Organizations & Spaces"])
      await expect(nav.getByRole("link", { name })).toBeVisible();
    await expect(nav.getByRole("link", { name: "API Keys" })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Members" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Members" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "API Keys" })).not.toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Organizations & Spaces" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Organizations & Spaces" })).toBeVisible();
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
