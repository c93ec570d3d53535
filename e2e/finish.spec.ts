import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect, sessionToken, signedInAs, storageStatePath, test, uniqueName } from "./fixtures";
import { DirectoryPages } from "./pages/directory-pages";

// The settings pages' finish (issue 20, item 11; docs/design.md): selects drawn like the inputs
// beside them yet native, disabled buttons that say why on hover and focus, destructive steps
// outlined until their confirmation, one button look, "Invited <date>" for people who have not
// joined, and page loads that leave the console quiet. At a phone's width and a laptop's.

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${locator.toString()} has no box`);
  return b;
}

/** The computed style properties that make a control look like a text input. */
function look(locator: Locator) {
  return locator.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      borderTopWidth: s.borderTopWidth,
      borderTopColor: s.borderTopColor,
      borderRadius: s.borderTopLeftRadius,
      fontSize: s.fontSize,
      backgroundColor: s.backgroundColor,
    };
  });
}

/** [r, g, b, alpha] (0–255, sRGB) of a control's computed colour: drawn on a canvas, since Chrome
 * reports Tailwind's colours as lab(…). */
function rgba(locator: Locator, property: "backgroundColor" | "color") {
  return locator.evaluate((el, prop) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d canvas");
    context.fillStyle = getComputedStyle(el)[prop];
    context.fillRect(0, 0, 1, 1);
    return [...context.getImageData(0, 0, 1, 1).data];
  }, property);
}

const isSolidRed = ([r = 0, g = 0, b = 0, a = 0]: number[]) => a > 240 && r > 150 && r - g > 80 && r - b > 80;
const isClearOrWhite = ([r = 0, g = 0, b = 0, a = 0]: number[]) =>
  a === 0 || (r === 255 && g === 255 && b === 255);

test.describe("as an account admin", () => {
  signedInAs("admin");

  for (const viewport of VIEWPORTS) {
    test(`[admin] a select has the box of the input beside it and is still a native select (${viewport.width} px)`, async ({
      apiKeysPage,
      page,
    }) => {
      await page.setViewportSize(viewport);
      await apiKeysPage.goto("?tab=service");
      const status = page.getByRole("combobox", { name: "Status" });
      const search = page.getByRole("searchbox", { name: "Search keys" });
      const space = page.getByRole("combobox", { name: "Space", exact: true });

      // Drawn like the input: same height, border, radius, text size and background; our chevron.
      const [statusBox, searchBox, spaceBox] = await Promise.all([box(status), box(search), box(space)]);
      expect(statusBox.height).toBe(searchBox.height);
      expect(spaceBox.height).toBe(searchBox.height);
      expect(await look(status)).toEqual(await look(search));
      const drawn = await status.evaluate((el) => {
        const s = getComputedStyle(el);
        return { appearance: s.appearance, chevron: s.backgroundImage };
      });
      expect(drawn.appearance).toBe("none");
      expect(drawn.chevron).toContain("data:image/svg+xml");

      // Native: the element itself, its options, and choosing by value as a phone's picker does.
      expect(await status.evaluate((el) => el.tagName)).toBe("SELECT");
      await status.selectOption("revoked");
      await expect(page).toHaveURL(/status=revoked/);
      await status.focus();
      await expect(status).toBeFocused();

      // Its focus ring is the input's.
      const ring = (el: Element) => getComputedStyle(el).boxShadow;
      await status.focus();
      const statusRing = await status.evaluate(ring);
      await search.focus();
      expect(await search.evaluate(ring)).toBe(statusRing);
      expect(statusRing).not.toBe("none");
    });
  }

  test("[admin] a space's header Delete is outlined, as tall as its neighbours; only the confirming Delete in its dialog is solid red", async ({
    page,
  }) => {
    const directory = new DirectoryPages(page);
    await directory.openScope("Production");
    const del = page.getByRole("button", { name: "Delete", exact: true });
    const headerBackground = await rgba(del, "backgroundColor");
    expect(isClearOrWhite(headerBackground), headerBackground.join()).toBe(true);
    // Still marked as destructive: red text.
    expect(isSolidRed(await rgba(del, "color"))).toBe(true);

    // One button look: outlined, secondary and primary buttons stand the same height.
    const heights = await Promise.all(
      [
        del,
        page.getByRole("button", { name: "Rename" }),
        page.getByRole("button", { name: "Add member" }),
      ].map(async (button) => (await box(button)).height),
    );
    expect(new Set(heights).size, heights.join()).toBe(1);

    await del.click();
    const dialog = page.getByRole("alertdialog", { name: "Delete space" });
    await dialog.getByRole("textbox", { name: "Type the name to confirm" }).fill("Production");
    const confirm = dialog.getByRole("button", { name: "Delete", exact: true });
    await expect(confirm).toBeEnabled();
    const confirmBackground = await rgba(confirm, "backgroundColor");
    expect(isSolidRed(confirmBackground), confirmBackground.join()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
  });

  test("[admin] an invited member's date says Invited until they join", async ({ page, api }) => {
    const name = uniqueName("Ivy Invited");
    const email = `${name.replace(/\W+/g, ".").toLowerCase()}@example.com`;
    const created = await api.call("POST", "/v2/users", {
      token: sessionToken("admin"),
      body: { name, email, role: "member", invite_mode: "EMAIL_LINK" },
    });
    expect(created.status).toBe(201);

    const directory = new DirectoryPages(page);
    await directory.gotoMembers();
    await page.getByRole("searchbox", { name: "Search members" }).fill(email);
    const row = directory.row(name);
    await expect(row.getByText("Invited", { exact: true })).toBeVisible();
    // The Joined column: the invitation's date, saying so.
    const joinedIndex = await page
      .getByRole("columnheader")
      .evaluateAll((headers) => headers.findIndex((h) => h.textContent?.trim() === "Joined"));
    expect(joinedIndex).toBeGreaterThan(-1);
    await expect(row.getByRole("cell").nth(joinedIndex)).toHaveText(/^Invited \w{3} \d{1,2}, \d{4}$/);
    // People who joined show the date alone (Max is listed again once the search is cleared).
    await page.getByRole("searchbox", { name: "Search members" }).fill("");
    await expect(directory.row("Max Member").getByRole("cell").nth(joinedIndex)).toHaveText(
      /^\w{3} \d{1,2}, \d{4}$/,
    );
  });

  test("[admin] page loads log no console warnings or errors, and preload only images they show", async ({
    page,
    api,
  }) => {
    test.slow();
    const logged: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "warning" || message.type() === "error")
        logged.push(`${page.url()}: [${message.type()}] ${message.text()}`);
    });
    page.on("pageerror", (error) => logged.push(`${page.url()}: [pageerror] ${error.message}`));

    const production = await api.spaceId("admin", "Production");
    const key = await api.createKey("admin", { name: uniqueName("console"), key_type: "user" });
    const pages = [
      ["/settings/api-keys", "API Keys"],
      ["/settings/api-keys?tab=service", "API Keys"],
      [`/settings/api-keys/${key.id}`, key.name],
      ["/settings/members", "Members"],
      ["/settings/spaces", "Organizations & Spaces"],
      [`/settings/spaces/${production}`, "Production"],
      ["/settings/key-policy", "Key policy"],
      ["/settings/webhooks", "Webhooks"],
      ["/settings/audit-log", "Audit log"],
    ] as const;
    for (const [url, heading] of pages) {
      await page.goto(url, { waitUntil: "load" });
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      // What Chrome warns about a few seconds later ("preloaded using link preload but not used"):
      // an image preloaded that no <img> on the page shows.
      const unused = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="image"]')]
          .map((link) => link.href)
          .filter((href) => ![...document.images].some((img) => img.currentSrc === href || img.src === href)),
      );
      expect(unused, url).toEqual([]);
    }
    expect(logged).toEqual([]);
  });
});

test.describe("as a read-only member", () => {
  signedInAs("readOnly");

  for (const viewport of VIEWPORTS) {
    test(`[read-only] the disabled New API Key says why: description, tooltip on hover and on focus (${viewport.width} px)`, async ({
      apiKeysPage,
      page,
    }) => {
      const reason = "Read-only members can't create service keys";
      await page.setViewportSize(viewport);
      await apiKeysPage.goto("?tab=service");
      const button = apiKeysPage.newKeyButton;
      await expect(button).toBeDisabled();
      await expect(button).toHaveAccessibleDescription(reason);
      // No caption under the button: the reason shows only when asked for.
      const tooltip = page.getByRole("tooltip", { name: reason });
      await expect(tooltip).toBeHidden();

      await button.hover();
      await expect(tooltip).toBeVisible();
      await expect(tooltip).toBeInViewport({ ratio: 1 });
      await page.mouse.move(0, 0);
      await expect(tooltip).toBeHidden();

      // Reachable by keyboard (a `disabled` button is not): focus shows it, Escape hides it.
      await button.focus();
      await expect(button).toBeFocused();
      await expect(tooltip).toBeVisible();
      await expect(tooltip).toBeInViewport({ ratio: 1 });
      await page.keyboard.press("Enter");
      await expect(apiKeysPage.newKeyDialog).toHaveCount(0);
      await page.keyboard.press("Escape");
      await expect(tooltip).toBeHidden();
      await button.click({ force: true });
      await expect(apiKeysPage.newKeyDialog).toHaveCount(0);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});

test.describe("signed out", () => {
  test("[signed out] the landing page's Sign in, the sign-in page's Sign in and the dashboard's primary button look the same; no console warnings", async ({
    page,
    browser,
  }) => {
    const logged: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "warning" || message.type() === "error")
        logged.push(`${page.url()}: [${message.type()}] ${message.text()}`);
    });
    const buttonLook = (locator: Locator) =>
      locator.evaluate((el) => {
        const s = getComputedStyle(el);
        return {
          backgroundColor: s.backgroundColor,
          color: s.color,
          borderRadius: s.borderTopLeftRadius,
          fontSize: s.fontSize,
          fontWeight: s.fontWeight,
          paddingTop: s.paddingTop,
          paddingLeft: s.paddingLeft,
          height: el.getBoundingClientRect().height,
        };
      });

    await page.goto("/");
    const landing = await buttonLook(page.getByRole("link", { name: "Sign in" }));
    await page.goto("/login");
    const signIn = await buttonLook(page.getByRole("button", { name: "Sign in" }));
    expect(landing).toEqual(signIn);

    const admin = await browser.newContext({
      storageState: storageStatePath("admin"),
      baseURL: test.info().project.use.baseURL,
    });
    const dashboard = await admin.newPage();
    await dashboard.goto("/settings/members");
    const invite = await buttonLook(dashboard.getByRole("button", { name: "Invite member" }));
    await admin.close();
    expect(invite).toEqual(signIn);
    expect(logged).toEqual([]);
  });
});
