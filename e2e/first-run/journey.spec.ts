import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ApiKeysPage } from "../pages/api-keys-page";
import { DirectoryPages, signIn } from "../pages/directory-pages";
import { emptyBaseURL, emptyServerLog } from "../playwright.config";

// A deployment's first run, on a server started with KEYDESK_DEMO=0 on an empty database: everything a
// person who has never seen Keydesk does, in the browser only, from the setup link in the server log to
// a working service key for a colleague's new private space.
test.describe.configure({ mode: "serial" });

const ADMIN = { name: "Ada Lovelace", email: "ada@analytical.example", password: "engine-1843-notes" };
const GRACE = { name: "Grace Hopper", email: "grace@analytical.example", password: "cobol-1959-compiler" };
const ACCOUNT = "Analytical Engines";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

/** The setup link as the server printed it at start. */
function setupLinkFromLog(): string {
  const match = readFileSync(emptyServerLog, "utf8").match(/Set up Keydesk: ([^\s"]+)/);
  if (!match?.[1]) throw new Error(`no "Set up Keydesk:" line in ${emptyServerLog}`);
  return match[1];
}

async function statusOf(page: Page, credential: string): Promise<number> {
  const res = await page.request.get("/v2/me", { headers: { authorization: `Bearer ${credential}` } });
  return res.status();
}

async function newPerson(browser: Browser) {
  const context = await browser.newContext({ baseURL: emptyBaseURL });
  return { context, page: await context.newPage() };
}

test("[first run] setup → organization → private space → invite by temporary password → the person changes password and creates a service key → blocked, they cannot sign in", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const directory = new DirectoryPages(page);

  await test.step("/ on the empty deployment says where the setup link is", async () => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Set up Keydesk" })).toBeVisible();
    await expect(page.getByText("Open the setup link printed in the server log")).toBeVisible();
    expect(await seriousViolations(page), "/ before setup").toEqual([]);
    await page.goto("/setup");
    await expect(page.getByText("Open the setup link printed in the server log")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);
  });

  await test.step("the setup link from the server log creates the account and its first admin", async () => {
    const link = new URL(setupLinkFromLog());
    await page.goto(`${link.pathname}${link.search}`);
    await expect(page.getByRole("heading", { level: 1, name: "Set up Keydesk" })).toBeVisible();
    expect(await seriousViolations(page), "/setup").toEqual([]);
    await page.getByLabel("Account name").fill(ACCOUNT);
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/settings\/spaces$/);
    await expect(page.getByRole("heading", { level: 1, name: "Organizations & Spaces" })).toBeVisible();
    await expect(page.getByTestId("viewer-name")).toHaveText(ADMIN.name);
    // Spent: the link and /setup are gone once an account exists.
    expect((await page.request.get(`${link.pathname}${link.search}`)).status()).toBe(404);
  });

  await test.step("an admin with no spaces is told so on the API Keys page, with a way to create one", async () => {
    await page.goto("/settings/api-keys?tab=service");
    await expect(page.getByRole("tabpanel").getByText("No spaces yet")).toBeVisible();
    await page.getByRole("link", { name: "Create a space" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Organizations & Spaces" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Organizations & Spaces" })).toHaveAttribute(
      "aria-current",
      "page",
    );
  });

  await test.step("New organization, then a private New space in it", async () => {
    await directory.createOrganization("Payments", "Money in, money out");
    await directory.createSpace({ organization: "Payments", name: "Checkout", isPrivate: true });
    const checkout = page
      .getByRole("list", { name: "Spaces in Payments" })
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: "Checkout" }) });
    await expect(checkout.getByText("Private", { exact: true })).toBeVisible();
    await expect(checkout.getByText("Your role: Admin")).toBeVisible();
    expect(await seriousViolations(page), "Organizations & Spaces").toEqual([]);
  });

  let temporaryPassword = "";
  await test.step("Invite member with a temporary password, shown once in Share the invitation", async () => {
    await directory.gotoMembers();
    await expect(page.getByRole("link", { name: "Members" })).toHaveAttribute("aria-current", "page");
    temporaryPassword = await directory.invite({
      name: GRACE.name,
      email: GRACE.email,
      with: "Temporary password",
    });
    await expect(directory.row(GRACE.name).getByText("Invited", { exact: true })).toBeVisible();
    // Nothing on the page shows it again.
    await page.reload();
    await expect(directory.row(GRACE.name)).toBeVisible();
    await expect(page.getByText(temporaryPassword)).toHaveCount(0);
    expect(await page.content()).not.toContain(temporaryPassword);
  });

  await test.step("Add member: Grace joins the private space as Member (and its organization as Read-Only)", async () => {
    await directory.openScope("Checkout");
    await directory.addMember({ person: GRACE.name, search: "grace", role: "Member" });
    await directory.openScope("Payments");
    await expect(
      directory.row(GRACE.name).getByRole("cell", { name: "Read-Only", exact: true }),
    ).toBeVisible();
    // The tree counts her in both, from the lists' [ext] member_count.
    await directory.gotoSpaces();
    await expect(page.getByText("1 member · Your role: Admin", { exact: true })).toHaveCount(2);
  });

  const grace = await newPerson(browser);
  let serviceKey = "";
  await test.step("Grace signs in with the temporary password and must choose a new one before anything else", async () => {
    await signIn(grace.page, GRACE.email, temporaryPassword);
    await expect(grace.page).toHaveURL(/\/change-password$/);
    await expect(grace.page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
    expect(await seriousViolations(grace.page), "/change-password").toEqual([]);
    // Every other page leads back here until it is done.
    await grace.page.goto("/settings/api-keys");
    await expect(grace.page).toHaveURL(/\/change-password$/);
    // After a reload the page asks for the temporary password too (it is kept in memory only).
    await grace.page.getByLabel("Temporary password").fill(temporaryPassword);
    await grace.page.getByLabel("New password").fill(GRACE.password);
    await grace.page.getByLabel("Confirm password").fill(GRACE.password);
    await grace.page.getByRole("button", { name: "Save password" }).click();
    await expect(grace.page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
    await expect(grace.page.getByTestId("viewer-name")).toHaveText(GRACE.name);
  });

  await test.step("Grace creates a service key in the private space, and it works", async () => {
    const keys = new ApiKeysPage(grace.page);
    await keys.openTab("Service Keys");
    serviceKey = await keys.createServiceKey({ name: "Checkout webhooks", space: "Checkout" });
    await keys.copyAndClose();
    await expect(keys.row("Checkout webhooks")).toBeVisible();
    expect(await statusOf(grace.page, serviceKey)).toBe(200);
  });

  await test.step("the admin sees Grace active, then blocks her", async () => {
    await directory.gotoMembers();
    await expect(directory.row(GRACE.name).getByText("Active", { exact: true })).toBeVisible();
    await directory.block(GRACE.name);
  });

  await test.step("Grace is signed out and cannot sign in; her service key keeps working", async () => {
    await grace.page.goto("/settings/api-keys");
    await expect(grace.page).toHaveURL(/\/login/);
    await signIn(grace.page, GRACE.email, GRACE.password);
    await expect(
      grace.page.getByRole("alert").filter({ hasText: "Invalid email or password" }),
    ).toBeVisible();
    expect(await statusOf(grace.page, serviceKey)).toBe(200);
  });
  await grace.context.close();
});

test("[first run] an invite link: Join <account>, then the spent link says so", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const directory = new DirectoryPages(page);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
  await directory.gotoMembers();
  const link = await directory.invite({
    name: "Alan Turing",
    email: "alan@analytical.example",
    with: "Invite link",
  });
  expect(link).toMatch(new RegExp(`^${emptyBaseURL}/invite/[A-Za-z0-9_-]+$`));

  const alan = await newPerson(browser);
  await alan.page.goto(new URL(link).pathname);
  await expect(alan.page.getByRole("heading", { level: 1, name: `Join ${ACCOUNT}` })).toBeVisible();
  await expect(alan.page.getByLabel("Your name")).toHaveValue("Alan Turing");
  expect(await seriousViolations(alan.page), "/invite/<token>").toEqual([]);
  await alan.page.getByLabel("Password").fill("enigma-1939-bombe");
  await alan.page.getByRole("button", { name: "Join" }).click();
  await expect(alan.page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
  await expect(alan.page.getByTestId("viewer-name")).toHaveText("Alan Turing");

  await alan.page.goto(new URL(link).pathname);
  await expect(alan.page.getByRole("heading", { level: 1, name: "This link no longer works" })).toBeVisible();
  await expect(alan.page.getByText("Resend invitation")).toBeVisible();
  await alan.context.close();

  await page.reload();
  await expect(directory.row("Alan Turing").getByText("Active", { exact: true })).toBeVisible();
});
