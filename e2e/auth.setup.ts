import { test as setup, expect } from "@playwright/test";
import { baseURL } from "./playwright.config";
import { ALL_DEMO_USERS, DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { storageStatePath } from "./fixtures";

// Sign in once per demo user through the API and keep the session cookie as storage state.
for (const role of ALL_DEMO_USERS) {
  setup(`sign in as ${role}`, async ({ request, browser }) => {
    const res = await request.post("/v2/sessions", {
      data: { email: DEMO_USERS[role].email, password: DEMO_PASSWORD },
    });
    expect(res.status()).toBe(201);
    const { token, expires_at } = (await res.json()) as { token: string; expires_at: string };
    const context = await browser.newContext();
    await context.addCookies([
      {
        name: "keydesk_session",
        value: token,
        url: baseURL,
        httpOnly: true,
        sameSite: "Lax",
        expires: Math.floor(new Date(expires_at).getTime() / 1000),
      },
    ]);
    await context.storageState({ path: storageStatePath(role) });
    await context.close();
  });
}
