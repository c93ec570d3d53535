import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "@playwright/test";
import { expect, signedInAs, test } from "./fixtures";
import { baseURL } from "./playwright.config";

/**
 * `/docs/api`: the keys API's reference, rendered from `/v2/openapi.json` by Redoc served from the
 * app itself. Every request outside the app's origin is aborted and recorded: there must be none
 * (no CDN, no web font), as on a machine without internet.
 */
async function offline(context: BrowserContext): Promise<string[]> {
  const foreign: string[] = [];
  const origin = new URL(baseURL).origin;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) {
      return route.continue();
    }
    foreign.push(url);
    return route.abort("internetdisconnected");
  });
  return foreign;
}

/**
 * An operation's heading. Redoc puts an anchor link inside each heading whose label is the operation's
 * path in the page (`tag/API-keys/paths/~1v2~1api-keys/post`), so the heading's accessible name ends
 * with the summary rather than equalling it.
 */
function operation(page: Page, summary: string) {
  const escaped = summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return page.getByRole("heading", { level: 2, name: new RegExp(`(^|\\s)${escaped}$`) });
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("/docs/api renders every operation from the OpenAPI document, offline", async ({ page, context }) => {
    const foreign = await offline(context);
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto("/docs/api");
    await expect(page).toHaveTitle("API reference · Keydesk");
    // Redoc parses the document and renders in the browser: slow on a busy machine, so a longer wait.
    await expect(operation(page, "Create an API key")).toBeVisible({ timeout: 30_000 });
    await expect(operation(page, "Refresh (rotate) an API key")).toBeVisible();
    const doc = (await (await page.request.get("/v2/openapi.json")).json()) as {
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    const summaries = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.summary));
    expect(summaries.length).toBeGreaterThan(60);
    // Every operation has its heading (read at once: a role query per heading is slow on this page).
    const headings = new Set((await page.locator("h2").allTextContents()).map((text) => text.trim()));
    const missing = summaries.filter((summary) => !summary || !headings.has(summary));
    expect(missing).toEqual([]);
    // The texts stand alone: no "see directory.md" left for a reader who has no repository.
    expect(await page.locator("body").innerText()).not.toMatch(/\b[\w-]+\.md\b/);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("/docs/api passes axe, but for Redoc's heading levels", async ({ page, context }) => {
    // axe walks every operation of the document: 1 to 2.5 minutes on a busy 2-core machine.
    test.setTimeout(300_000);
    const foreign = await offline(context);
    await page.goto("/docs/api");
    await expect(page.getByRole("heading", { level: 1, name: "Keydesk API reference" })).toBeVisible();
    await expect(operation(page, "Create an API key")).toBeVisible({ timeout: 30_000 });
    // Redoc 2.5 puts each operation's "Request Body schema" and "Authorizations" in h5 under an h2:
    // its own markup, which this page cannot change. Every other rule holds.
    const results = await new AxeBuilder({ page }).disableRules(["heading-order"]).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test("/docs/api is usable at 390 px wide", async ({ page, context }) => {
    const foreign = await offline(context);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/docs/api");
    const heading = operation(page, "Create an API key");
    await expect(heading).toBeAttached({ timeout: 30_000 });
    await heading.scrollIntoViewIfNeeded();
    await expect(heading).toBeInViewport();
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(foreign).toEqual([]);
  });
});

test.describe("signed in", () => {
  signedInAs("member");

  test("[member] the header's API reference link opens it", async ({ page, context }) => {
    const foreign = await offline(context);
    await page.goto("/settings/api-keys");
    await page.getByRole("banner").getByRole("link", { name: "API reference" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/docs/api");
    await expect(operation(page, "Create an API key")).toBeVisible({ timeout: 30_000 });
    // And back.
    await page.getByRole("link", { name: "Back to the dashboard" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/settings/api-keys");
    expect(foreign).toEqual([]);
  });
});
