import type { Locator, Page } from "@playwright/test";
import { expect, sessionToken, signedInAs, test, uniqueName, type KeysApi } from "./fixtures";
import type { ApiKeysPage } from "./pages/api-keys-page";

// Layout at a phone's width (390×844) and a laptop's (1280×800): the page never scrolls sideways,
// every dialog fits the viewport with its buttons reachable, and at 1280 the tables show every
// column header with rows one or two lines tall.
signedInAs("admin");

/** The page scrolls only vertically. */
async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
  }));
  expect(
    scrollWidth,
    `${where}: page width ${scrollWidth} in a ${innerWidth}px viewport`,
  ).toBeLessThanOrEqual(innerWidth);
}

/** Wholly inside the viewport, without scrolling, and not covered by anything: a click lands on it. */
async function expectReachable(control: Locator) {
  await expect(control).toBeInViewport({ ratio: 1 });
  const onTop = await control.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
  expect(onTop, `${control.toString()} is covered`).toBe(true);
}

/** The dialog fits inside the viewport (it scrolls inside itself when its content is taller). */
async function expectDialogFits(page: Page, dialog: Locator, buttons: string[]) {
  await expect(dialog).toBeVisible();
  const box = await dialog.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error("no dialog box or viewport");
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  for (const name of buttons) await expectReachable(dialog.getByRole("button", { name, exact: true }));
  await expectNoSidewaysScroll(page, `with ${await dialog.getAttribute("aria-labelledby")} open`);
}

/** Keys that fill the table: a user key with a long description, and service keys in two spaces. */
async function arrange(api: KeysApi) {
  const userKey = uniqueName("layout user");
  await api.createKey("admin", {
    name: userKey,
    description: "Nightly evaluation jobs on the shared GPU box, with a description long enough to wrap",
    key_type: "user",
    expires_at: new Date(Date.now() + 40 * 86_400_000).toISOString(),
  });
  const serviceKey = uniqueName("layout service");
  await api.createKey("admin", {
    name: serviceKey,
    description: "Writes traces from the ingest workers",
    key_type: "service",
    space_id: await api.spaceId("admin", "Production"),
    roles: { space_role: "admin", org_role: "member", account_role: "member" },
  });
  const graceKey = await api.createKey("admin", {
    name: uniqueName("layout grace"),
    key_type: "service",
    space_id: await api.spaceId("admin", "Staging"),
  });
  // A refreshed key whose previous secret is still in its grace period (one more line in Expires).
  const refreshed = await api.call("POST", `/v2/api-keys/${encodeURIComponent(graceKey.id)}/refresh`, {
    token: sessionToken("admin"),
    body: { grace_period_seconds: 3600 },
  });
  expect(refreshed.status).toBe(200);
  return { userKey, serviceKey };
}

async function walkDialogs(keysPage: ApiKeysPage, page: Page, userKey: string) {
  // New API Key at its tallest: a service key with Advanced open.
  await keysPage.fillServiceKey({ space: "Production", advanced: true });
  await expectDialogFits(page, keysPage.newKeyDialog, ["Create Key", "Cancel"]);
  await page.screenshot({ path: test.info().outputPath("new-key-dialog.png") });
  await keysPage.newKeyDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(keysPage.newKeyDialog).toBeHidden();

  await keysPage.openTab("User Keys");
  await keysPage.openRowActions(userKey);
  await page.getByRole("menuitem", { name: "Refresh" }).click();
  const refresh = page.getByRole("dialog", { name: "Refresh API Key" });
  await expectDialogFits(page, refresh, ["Refresh Key", "Cancel"]);
  await refresh.getByRole("button", { name: "Cancel" }).click();
  await expect(refresh).toBeHidden();

  await keysPage.openRowActions(userKey);
  await page.getByRole("menuitem", { name: "Revoke" }).click();
  const revoke = page.getByRole("alertdialog", { name: "Revoke API Key" });
  await expectDialogFits(page, revoke, ["Revoke Key", "Cancel"]);
  await revoke.getByRole("button", { name: "Cancel" }).click();
  await expect(revoke).toBeHidden();

  await keysPage.createUserKey({ name: uniqueName("layout reveal") });
  await expectDialogFits(page, keysPage.revealDialog, ["Copy", "Done"]);
  // The whole key shows: its box neither clips nor scrolls it.
  const clipped = await keysPage.revealedKeyBox.evaluate(
    (el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
  );
  expect(clipped).toBe(false);
  await keysPage.revealDialog.getByRole("button", { name: "Done" }).click();
  await expectDialogFits(page, keysPage.revealDialog, ["Go back", "Close anyway"]);
  await keysPage.revealDialog.getByRole("button", { name: "Close anyway" }).click();
  await expect(keysPage.revealDialog).toBeHidden();
}

test.describe("at 390×844", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("[admin] no sideways scroll on either tab; rows stack; every dialog fits with its buttons reachable", async ({
    apiKeysPage,
    api,
    page,
  }) => {
    const { userKey, serviceKey } = await arrange(api);
    await apiKeysPage.goto();
    await expect(apiKeysPage.row(userKey)).toBeVisible();
    await expectNoSidewaysScroll(page, "User Keys");

    await apiKeysPage.openTab("Service Keys");
    await expect(apiKeysPage.row(serviceKey)).toBeVisible();
    await expectNoSidewaysScroll(page, "Service Keys, all spaces");
    await page.screenshot({ path: test.info().outputPath("service-keys-390.png"), fullPage: true });
    // Stacked: the row is as wide as the table, its values under each other, each one on screen.
    const row = apiKeysPage.row(serviceKey);
    for (const value of ["Production", "Ada Admin", "Space: Admin"]) {
      await row.getByText(value, { exact: true }).scrollIntoViewIfNeeded();
      await expect(row.getByText(value, { exact: true })).toBeInViewport({ ratio: 1 });
    }
    await expectReachable(page.getByRole("button", { name: `Actions for ${serviceKey}` }));

    await walkDialogs(apiKeysPage, page, userKey);
  });
});

test.describe("at 1280×800", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("[admin] every column header visible, rows one or two lines, dialogs fit", async ({
    apiKeysPage,
    api,
    page,
  }) => {
    const { userKey, serviceKey } = await arrange(api);
    const table = page.getByRole("table");

    const expectColumns = async (headers: string[]) => {
      await expectNoSidewaysScroll(page, headers.join(", "));
      const tableBox = await table.boundingBox();
      if (!tableBox) throw new Error("no table");
      for (const header of headers) {
        const cell = page.getByRole("columnheader", { name: header, exact: true });
        await expect(cell).toBeVisible();
        await expect(cell).toBeInViewport({ ratio: 1 });
        const box = await cell.boundingBox();
        expect(
          box && box.x + box.width <= tableBox.x + tableBox.width + 0.5,
          `${header} inside the table`,
        ).toBe(true);
      }
      // The table fits its frame: no sideways scroll inside it either, so every row's actions show.
      const frame = await table.evaluate((el) => {
        const parent = el.parentElement;
        return { scrollWidth: parent?.scrollWidth ?? 0, clientWidth: parent?.clientWidth ?? 0 };
      });
      expect(frame.scrollWidth, `${headers.join(", ")}: the table scrolls sideways`).toBeLessThanOrEqual(
        frame.clientWidth,
      );
      for (const actions of await page.getByRole("button", { name: /^Actions for / }).all()) {
        await expectReachable(actions);
      }
      // One or two lines of text (20px each) plus the cell padding (64px); a third line would pass
      // 84px. Small print (16px a line) may take three: a narrow Roles cell stacks its three roles.
      for (const row of await page.getByRole("row").all()) {
        const box = await row.boundingBox();
        expect(box?.height ?? 0, await row.innerText()).toBeLessThanOrEqual(80);
      }
    };

    // Only this spec's keys (their names start with "layout"): a table's columns are as wide as its
    // widest cells, and keys other specs make at the same time would decide the widths otherwise.
    await apiKeysPage.goto("?q=layout");
    await expect(apiKeysPage.row(userKey)).toBeVisible();
    await expectColumns(["Name", "Key", "Created", "Expires", "Last used", "Status"]);

    await apiKeysPage.openTab("Service Keys");
    await expect(apiKeysPage.row(serviceKey)).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("service-keys-1280.png"), fullPage: true });
    await expectColumns([
      "Name",
      "Space",
      "Key",
      "Roles",
      "Created by",
      "Created",
      "Expires",
      "Last used",
      "Status",
    ]);

    await walkDialogs(apiKeysPage, page, userKey);
  });
});
