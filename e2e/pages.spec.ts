import AxeBuilder from "@axe-core/playwright";
import { expect, signedInAs, test } from "./fixtures";

test.describe("signed out", () => {
  test("[signed out] the favicon and the app icon are served from public/ and linked from every page", async ({
    page,
    request,
  }) => {
    for (const [path, type] of [
      ["/favicon.ico", /image\/(x-icon|vnd\.microsoft\.icon)/],
      ["/icon.svg", /image\/svg\+xml/],
      ["/apple-icon.png", /image\/png/],
    ] as const) {
      const res = await request.get(path);
      expect(res.status(), path).toBe(200);
      expect(res.headers()["content-type"], path).toMatch(type);
    }
    await page.goto("/login");
    await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
    await expect(page.locator('link[rel="apple-touch-icon"][href^="/apple-icon.png"]')).toHaveCount(1);
  });

  test("[signed out] an unknown address shows a styled 404 with a way back", async ({ page }) => {
    const res = await page.goto("/no-such-page");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    const back = page.getByRole("link", { name: "Back to API Keys" });
    await expect(back).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    // Signed out, the way back leads through sign-in.
    await back.click();
    await expect(page).toHaveURL(
      (url) => url.pathname === "/login" && url.searchParams.get("next") === "/settings/api-keys",
    );
  });

  test("[signed out] / offers Sign in", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  });
});

test.describe("signed in", () => {
  signedInAs("member");

  test("[member] / goes straight to the dashboard", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
  });
});
