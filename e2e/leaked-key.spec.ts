import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, signedInAs, test, uniqueName } from "./fixtures";
import { KeyPage } from "./pages/key-page";
import { E2E_GITHUB_KEYS_FILE, E2E_GITHUB_SIGNING_KEY, E2E_GITLAB_TOKEN } from "./playwright.config";

// lifecycle.md §6: a leaked key reported through the real endpoints, then seen on its page.

const KEY_ID = "e2e-github-secret-scanning-key";

/**
 * The key pair GitHub would sign with: its public half in the file the server reads
 * (GITHUB_SECRET_SCANNING_KEYS_FILE), its private half kept beside it so a retried run signs with the
 * key the server already cached.
 */
function githubSigningKey(): KeyObject {
  if (existsSync(E2E_GITHUB_SIGNING_KEY) && existsSync(E2E_GITHUB_KEYS_FILE))
    return createPrivateKey(readFileSync(E2E_GITHUB_SIGNING_KEY, "utf8"));
  const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const publicPem = createPublicKey(pair.privateKey).export({ type: "spki", format: "pem" }).toString();
  mkdirSync(path.dirname(E2E_GITHUB_KEYS_FILE), { recursive: true });
  writeFileSync(E2E_GITHUB_SIGNING_KEY, pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  writeFileSync(
    E2E_GITHUB_KEYS_FILE,
    JSON.stringify({ public_keys: [{ key_identifier: KEY_ID, key: publicPem, is_current: true }] }),
  );
  return pair.privateKey;
}

async function reportToGitHubEndpoint(request: APIRequestContext, token: string, url: string) {
  const body = JSON.stringify([{ token, type: "keydesk_api_key", url, source: "content" }]);
  const res = await request.fetch("/v2/secret-scanning/github", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "github-public-key-identifier": KEY_ID,
      "github-public-key-signature": sign("sha256", Buffer.from(body), githubSigningKey()).toString("base64"),
    },
    data: body,
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { label: string }[];
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

async function fitsTheWidth(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test.describe("a leaked key", () => {
  signedInAs("member");

  test("[member] a key GitHub reports is revoked, and its page says Leaked and where it was found", async ({
    page,
    api,
    request,
  }) => {
    const name = uniqueName("leaked key");
    const created = await api.createKey("member", { name });
    expect(await api.meStatus(created.key)).toBe(200);
    const where = `https://github.com/octo/leaky/blob/0123abc/${encodeURIComponent(name)}.env`;
    const feedback = await reportToGitHubEndpoint(request, created.key, where);
    expect(feedback.map((f) => f.label)).toEqual(["true_positive"]);
    expect(await api.meStatus(created.key)).toBe(401);

    const keyPage = new KeyPage(page);
    await keyPage.goto(created.id, name);
    await expect(page.getByText("Leaked", { exact: true })).toBeVisible();
    const reports = page.getByRole("region", { name: "Leak reports" });
    await expect(reports).toContainText("reported by GitHub secret scanning");
    await expect(reports.getByRole("link", { name: where })).toHaveAttribute("href", where);
    await expect(reports).toContainText("(content)");
    await expect(reports).toContainText("Keydesk revoked the key.");
    await expect(keyPage.revokedNote).toContainText("by Keydesk. Reason: Leaked (found in a public place).");
    await expect(keyPage.history.getByRole("listitem").first()).toContainText("Leak reported");
    expect(await seriousViolations(page), "leaked key page at 1280 px").toEqual([]);
    await fitsTheWidth(page);

    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByText("Leaked", { exact: true })).toBeVisible();
    await expect(reports.getByRole("link", { name: where })).toBeVisible();
    await fitsTheWidth(page);
    expect(await seriousViolations(page), "leaked key page at 390 px").toEqual([]);
  });

  test("[member] a key GitLab reports through its revocation API is revoked and shown as Leaked", async ({
    page,
    api,
    request,
  }) => {
    const name = uniqueName("gitlab leak");
    const created = await api.createKey("member", { name });
    const location = "https://gitlab.example/group/project/-/blob/main/.env";
    const wrong = await request.fetch("/secret-scanning/gitlab/v1/revoke_tokens", {
      method: "POST",
      headers: { authorization: "not the token", "content-type": "application/json" },
      data: JSON.stringify([{ type: "keydesk_api_key", token: created.key, location }]),
    });
    expect(wrong.status()).toBe(401);
    expect(await api.meStatus(created.key)).toBe(200);
    const res = await request.fetch("/secret-scanning/gitlab/v1/revoke_tokens", {
      method: "POST",
      headers: { authorization: E2E_GITLAB_TOKEN, "content-type": "application/json" },
      data: JSON.stringify([{ type: "keydesk_api_key", token: created.key, location }]),
    });
    expect(res.status(), await res.text()).toBe(204);
    expect(await api.meStatus(created.key)).toBe(401);

    await new KeyPage(page).goto(created.id, name);
    await expect(page.getByText("Leaked", { exact: true })).toBeVisible();
    await expect(page.getByRole("region", { name: "Leak reports" })).toContainText(
      "reported by GitLab secret detection",
    );
  });
});
