import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page, Response } from "@playwright/test";
import { expect, signedInAs, test, uniqueName } from "./fixtures";
import { KeyListPage } from "./pages/key-list";

// lifecycle.md §6, Check a key: API Keys → Check a key → paste a key → which key, whose, Revoke.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

/** The dialog, in the words a person uses. */
class CheckKeyDialog {
  readonly dialog: Locator;
  constructor(readonly page: Page) {
    this.dialog = page.getByRole("dialog", { name: "Check a key" });
  }

  async open() {
    await this.page.getByRole("button", { name: "Check a key" }).click();
    await expect(this.dialog).toBeVisible();
  }

  async check(pasted: string) {
    await this.dialog.getByRole("textbox", { name: "Key" }).fill(pasted);
    await this.dialog.getByRole("button", { name: "Check", exact: true }).click();
  }

  get result(): Locator {
    return this.dialog.getByRole("region");
  }

  get notFound(): Locator {
    return this.dialog.getByText("No key you can see matches.");
  }
}

/**
 * Every response body the page receives while `during` runs. The raw key may travel to the server in
 * a request body; it must never come back (in an action's answer, a page, a redirect).
 */
async function responsesDuring(page: Page, during: () => Promise<void>): Promise<string[]> {
  const bodies: Promise<string>[] = [];
  const onResponse = (res: Response) => {
    bodies.push(res.text().catch(() => ""));
  };
  page.on("response", onResponse);
  try {
    await during();
  } finally {
    page.off("response", onResponse);
  }
  return Promise.all(bodies);
}

test.describe("as the key's owner", () => {
  signedInAs("member");

  test("[member] pastes their key with spaces and a newline, sees it, revokes it from the dialog; the list shows it revoked", async ({
    page,
    api,
  }) => {
    const name = uniqueName("check key");
    const { id, key } = await api.createKey("member", { name });
    const list = new KeyListPage(page);
    await list.goto();
    const check = new CheckKeyDialog(page);

    const bodies = await responsesDuring(page, async () => {
      await check.open();
      await check.check(`  ${key}\n`);
      await expect(check.result.getByRole("link", { name })).toHaveAttribute(
        "href",
        `/settings/api-keys/${encodeURIComponent(id)}`,
      );
    });
    for (const body of bodies) expect(body).not.toContain(key);
    expect(page.url()).not.toContain(key);
    await expect(check.result).toContainText("User key");
    await expect(check.result).toContainText("Max Member");
    await expect(check.result).toContainText("Active");
    await expect(check.result).toContainText("Never");
    await expect(check.result).toContainText("Its current secret");
    expect(await seriousViolations(page), "Check a key with a result").toEqual([]);

    // Revoke, through the list's own confirmation.
    await check.result.getByRole("button", { name: "Revoke" }).click();
    await expect(list.revokeDialog).toBeVisible();
    await list.revokeDialog.getByRole("button", { name: "Revoke Key" }).click();
    await expect(list.revokeDialog).toBeHidden();
    await expect(check.result).toContainText("Revoked");
    await expect(check.result.getByRole("button", { name: "Revoke" })).toHaveCount(0);
    expect(await api.meStatus(key)).toBe(401);

    // Focus went back into the dialog; closing it, the list (every status) shows the key revoked.
    await check.dialog.getByRole("button", { name: "Close" }).click();
    await expect(check.dialog).toBeHidden();
    await list.goto(`?status=all&q=${encodeURIComponent(name)}`);
    await expect(list.row(name).getByText("Revoked")).toBeVisible();

    // The key's own page lists the check in its History.
    await list.row(name).getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(
      page.getByRole("listitem").filter({ hasText: "Checked (Check a key) by Max Member" }),
    ).toHaveCount(1);
  });

  test("[member] at 390 px: the dialog fits, the result reads, axe finds nothing serious", async ({
    page,
    api,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const name = uniqueName("check key narrow");
    const { key } = await api.createKey("member", { name });
    await new KeyListPage(page).goto();
    const check = new CheckKeyDialog(page);
    await check.open();
    await check.check(`\t${key}\r\n`);
    await expect(check.result.getByRole("link", { name })).toBeVisible();
    await expect(check.result.getByRole("button", { name: "Revoke" })).toBeVisible();
    const box = await check.dialog.boundingBox();
    expect(box?.width ?? 0).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page), "Check a key at 390 px").toEqual([]);
  });
});

test.describe("as another person", () => {
  signedInAs("readOnly");

  test("[read-only] checking someone else's real key says the same as a random string", async ({
    page,
    api,
  }) => {
    const { key } = await api.createKey("member", { name: uniqueName("check key other") });
    await new KeyListPage(page).goto();
    const check = new CheckKeyDialog(page);
    await check.open();
    await check.check(key);
    await expect(check.notFound).toBeVisible();
    await expect(check.result).toHaveCount(0);
    const realText = await check.dialog.innerText();

    await check.check("ak-not-a-real-key");
    await expect(check.notFound).toBeVisible();
    expect(await check.dialog.innerText()).toBe(realText);
    expect(await seriousViolations(page), "Check a key, not found").toEqual([]);
    // The key still works: checking it changed nothing.
    expect(await api.meStatus(key)).toBe(200);
  });
});
