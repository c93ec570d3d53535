import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DirectoryPages } from "../pages/directory-pages";
import { spawnServer, type SpawnedServer } from "../../lib/testing/spawn-server";

// Issue 20, item 3: a fresh install (KEYDESK_DEMO=0), right after setup, before any organization.
// A server of this spec's own, so the state it checks is not one the first-run journey has moved past.
test.describe.configure({ mode: "serial" });

const ADMIN = { name: "Edsger Dijkstra", email: "edsger@fresh.example", password: "shortest-path-1959" };

let server: SpawnedServer | undefined;
let dataDir = "";

test.beforeAll(async () => {
  test.setTimeout(150_000);
  dataDir = await mkdtemp(path.join(os.tmpdir(), "keydesk-fresh-"));
  server = await spawnServer({
    env: {
      DATABASE_URL: `pglite:${dataDir}`,
      KEYDESK_DEMO: "0",
      // Beside the e2e servers' ports (E2E_PORT and the one after it).
      PORT: String(Number(process.env.E2E_PORT ?? 3100) + 3),
    },
  });
});
test.afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

const base = () => {
  if (!server) throw new Error("no server");
  return server.baseUrl;
};

test("[first run] the account admin, before any organization: New space disabled because none exists yet, and the lists say what to do", async ({
  page,
}) => {
  await test.step("setup from the link in the server's output", async () => {
    // Printed just after the ready line.
    await expect.poll(() => server?.output() ?? "", { timeout: 30_000 }).toMatch(/Set up Keydesk: [^\s"]+/);
    const match = server?.output().match(/Set up Keydesk: ([^\s"]+)/);
    if (!match?.[1]) throw new Error(`no "Set up Keydesk:" line:\n${server?.output()}`);
    const link = new URL(match[1]);
    await page.goto(`${base()}${link.pathname}${link.search}`);
    await page.getByLabel("Account name").fill("Fresh Install");
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/settings\/spaces$/);
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await test.step(`Organizations & Spaces (${viewport.width} px)`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${base()}/settings/spaces`);
      await expect(page.getByRole("heading", { level: 1, name: "Organizations & Spaces" })).toBeVisible();
      await expect(page.getByRole("button", { name: "New organization" })).toBeEnabled();
      const newSpace = page.getByRole("button", { name: "New space" });
      await expect(newSpace).toBeDisabled();
      // The real reason, not "Only organization admins can create spaces": there is no organization.
      await expect(newSpace).toHaveAccessibleDescription(
        "No organization yet: a space belongs to one. Create an organization first.",
      );
      await expect(page.getByText("No organizations yet", { exact: true })).toBeVisible();
      await expect(page.getByText(/^Start with New organization, then add a space in it/)).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  await test.step("API Keys, Service Keys: no space yet, and where to make one", async () => {
    await page.goto(`${base()}/settings/api-keys?tab=service`);
    await expect(page.getByRole("tabpanel").getByText("No spaces yet")).toBeVisible();
    await expect(page.getByRole("button", { name: "New API Key" })).toHaveAccessibleDescription(
      "No spaces yet",
    );
    await expect(page.getByRole("link", { name: "Create a space" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step("once an organization exists, New space is enabled, and its empty organization says to add one", async () => {
    await page.goto(`${base()}/settings/spaces`);
    await new DirectoryPages(page).createOrganization("Payments");
    await expect(page.getByRole("button", { name: "New space" })).toBeEnabled();
    await expect(
      page.getByText("No spaces yet. Add one with New space: service keys work in a space."),
    ).toBeVisible();
  });
});
