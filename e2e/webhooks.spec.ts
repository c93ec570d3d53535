import { createHmac } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { startReceiver, type WebhookReceiver } from "../lib/testing/webhook-receiver";
import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";

// Settings → Webhooks (lifecycle.md §5): an organization admin creates a signed webhook, copies its
// secret from the one-time reveal, sends a test that a real receiver on loopback verifies, and sees
// a key event arrive among the webhook's recent deliveries.

let receiver: WebhookReceiver;
test.beforeEach(async () => {
  receiver = await startReceiver();
});
test.afterEach(async () => {
  await receiver.close();
});

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test.describe("as an organization admin", () => {
  signedInAs("admin");

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    test(`[admin] creates a signed webhook, saves its secret once, sends a test and sees key events (${viewport.width} px)`, async ({
      page,
      api,
    }) => {
      await page.setViewportSize(viewport);
      await page.goto("/settings/webhooks");
      await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
      await expect(
        page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }),
      ).toHaveAttribute("aria-current", "page");

      const name = uniqueName("e2e hook");
      await page.getByRole("button", { name: "New webhook" }).click();
      const dialog = page.getByRole("dialog", { name: "New webhook" });
      // Nothing filled: each field says what it needs.
      await dialog.getByRole("checkbox", { name: "Key created" }).uncheck();
      for (const event of ["Key revoked", "Key expiring soon", "Key leaked"])
        await dialog.getByRole("checkbox", { name: event }).uncheck();
      await dialog.getByRole("button", { name: "Create webhook" }).click();
      await expect(dialog.getByText("Give the webhook a name.")).toBeVisible();
      await expect(dialog.getByText("Choose at least one event.")).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);

      await dialog.getByLabel("Name").fill(name);
      await dialog.getByLabel("URL").fill(receiver.url);
      await dialog.getByLabel("Organization").selectOption({ label: "Platform" });
      await expect(dialog.getByLabel("Authentication")).toHaveValue("HMAC_SHA256");
      await dialog.getByRole("checkbox", { name: "Key created" }).check();
      await dialog.getByRole("button", { name: "Create webhook" }).click();

      const reveal = page.getByRole("dialog", { name: "Save your signing secret" });
      const secret = await reveal.getByLabel("Signing secret").inputValue();
      expect(secret).toMatch(/^whsec_/);
      await expect(reveal.getByText("This secret will not be shown again.")).toBeVisible();
      await expect(reveal.getByRole("tablist", { name: "Client" })).toHaveCount(0);
      await reveal.getByRole("button", { name: "Copy" }).click();
      await reveal.getByRole("button", { name: "Done" }).click();
      await expect(reveal).toBeHidden();

      const card = page.getByRole("region", { name });
      await expect(card.getByText(receiver.url)).toBeVisible();
      await expect(card.getByText(`HMAC signature (whsec_…${secret.slice(-4)})`)).toBeVisible();
      await expect(card.getByText("No deliveries yet.", { exact: false })).toBeVisible();
      await expectNoSidewaysScroll(page);

      await card.getByRole("button", { name: "Send test" }).click();
      await expect(card.getByText("Test delivered: the endpoint answered 200.")).toBeVisible();
      const test = receiver.received.find((d) => d.json.type === "WEBHOOK_TEST");
      const stamp = String(test?.headers["x-arize-webhook-timestamp"]);
      expect(test?.headers["x-arize-webhook-signature"]).toBe(
        `v1=${createHmac("sha256", secret).update(`${stamp}.${test?.body}`).digest("hex")}`,
      );
      const deliveries = card.getByRole("list", { name: `Recent deliveries of ${name}` });
      await expect(deliveries.getByText("WEBHOOK_TEST")).toBeVisible();

      // A key event of the organization reaches it, and shows among the deliveries.
      await api.call("POST", "/v2/api-keys", {
        token: sessionToken("admin"),
        body: {
          name: uniqueName("e2e webhook key"),
          key_type: "service",
          space_id: await api.spaceId("admin", "Production"),
        },
      });
      await expect.poll(() => receiver.received.some((d) => d.json.type === "API_KEY_CREATED")).toBe(true);
      await page.reload();
      // Other specs make keys in Production at the same time: this key's event is one of them.
      await expect(deliveries.getByText("API_KEY_CREATED").first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await expectNoSidewaysScroll(page);
      // The secret is in no page payload after the reveal.
      expect(await page.content()).not.toContain(secret);
    });
  }
});

test.describe("as a member", () => {
  signedInAs("member");

  test("[member] is told that only organization admins manage webhooks", async ({ page }) => {
    await page.goto("/settings/webhooks");
    await expect(
      page.getByText("Only an organization's admins manage its webhooks.", { exact: false }),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: "New webhook" })).toHaveCount(0);
  });
});
