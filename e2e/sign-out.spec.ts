import { expect, test } from "./fixtures";
import { baseURL } from "./playwright.config";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";

// No JavaScript: the Sign out button is then a plain form post, which Chromium sends with
// `Origin: null` because our pages say `Referrer-Policy: no-referrer`.
test.use({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });

test("[member] Sign out works without JavaScript", async ({ page, context, request, api }) => {
  // A session of its own, so that the member's shared session lives on for the other tests.
  const res = await request.post("/v2/sessions", {
    data: { email: DEMO_USERS.member.email, password: DEMO_PASSWORD },
  });
  expect(res.status()).toBe(201);
  const { token } = (await res.json()) as { token: string };
  await context.addCookies([
    { name: "keydesk_session", value: token, url: baseURL, httpOnly: true, sameSite: "Lax" },
  ]);

  await page.goto("/settings/api-keys");
  await expect(page.getByRole("banner").getByText(DEMO_USERS.member.name)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/login");
  expect(await api.meStatus(token)).toBe(401);
  expect((await context.cookies()).find((c) => c.name === "keydesk_session")).toBeUndefined();
});
