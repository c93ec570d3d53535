import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${PORT}`;
// A second server on an empty database without the demo, for the first-run journey.
const EMPTY_PORT = Number(process.env.E2E_EMPTY_PORT ?? PORT + 1);
export const emptyBaseURL = `http://localhost:${EMPTY_PORT}`;
const root = path.resolve(import.meta.dirname, "..");
/**
 * Where the servers' output goes, as JSON lines (LOG_FORMAT=json): the global teardown
 * (server-logs.teardown.ts) checks every line after the run. Under test-results/, which Playwright
 * empties before it starts the servers.
 */
export const serverLogDir = path.join(root, "test-results", "server-logs");
/** The empty server's: the journey reads the setup link from it, as an admin would. */
export const emptyServerLog = path.join(serverLogDir, "empty.log");
const mkLogDir = `node -e "require('fs').mkdirSync('test-results/server-logs',{recursive:true})"`;
// e2e/leaked-key.spec.ts signs GitHub-format leak reports with a key pair it keeps here, and calls
// GitLab's revocation API with this token.
export const E2E_GITHUB_KEYS_FILE = path.join(root, ".data", "e2e-github-keys.json");
export const E2E_GITHUB_SIGNING_KEY = path.join(root, ".data", "e2e-github-signing-key.pem");
export const E2E_GITLAB_TOKEN = "e2e-gitlab-revocation-token";

// Debian's Chromium when present (this machine cannot download Playwright's own browser).
const chromium = "/usr/bin/chromium";
const launchOptions = existsSync(chromium)
  ? { executablePath: chromium, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] }
  : {};

export default defineConfig({
  testDir: ".",
  outputDir: path.join(root, "test-results"),
  fullyParallel: false,
  workers: 2,
  globalTeardown: path.join(import.meta.dirname, "server-logs.teardown.ts"),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [["list"]]
    : [["list"], ["html", { open: "never", outputFolder: path.join(root, "playwright-report") }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions,
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], launchOptions },
      dependencies: ["setup"],
      testMatch: /.*\.spec\.ts/,
      testIgnore: [/first-run\//, /key-policy\.spec\.ts/],
    },
    // The key policy is the demo account's, shared by every spec: a cap set while another spec makes a
    // key would refuse that key. So the policy's spec runs alone, after all the others.
    {
      name: "account-policy",
      use: { ...devices["Desktop Chrome"], launchOptions },
      dependencies: ["chromium"],
      testMatch: /key-policy\.spec\.ts/,
    },
    {
      name: "first-run",
      use: { ...devices["Desktop Chrome"], launchOptions, baseURL: emptyBaseURL },
      testMatch: /first-run\/.*\.spec\.ts/,
    },
  ],
  webServer: [
    // The production build on a fresh embedded database with the demo directory.
    {
      command:
        "node -e \"require('fs').rmSync('.data/e2e',{recursive:true,force:true})\" && " +
        `${mkLogDir} && npx tsx server.ts > test-results/server-logs/demo.log 2>&1`,
      cwd: root,
      url: `${baseURL}/login`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(PORT),
        DATABASE_URL: "pglite:.data/e2e",
        KEYDESK_DEMO: "1",
        KEYS_CHANGES_PER_MINUTE: "100000",
        // e2e/webhooks.spec.ts delivers to a receiver on loopback over http.
        KEYDESK_WEBHOOK_ALLOW_HTTP: "1",
        KEYDESK_WEBHOOK_ALLOW_PRIVATE: "1",
        KEYDESK_WEBHOOK_POLL_MS: "200",
        GITHUB_SECRET_SCANNING_KEYS_FILE: E2E_GITHUB_KEYS_FILE,
        GITLAB_REVOCATION_TOKEN: E2E_GITLAB_TOKEN,
        LOG_FORMAT: "json",
      },
    },
    // The same build on another empty embedded database, without the demo: a deployment's first run.
    {
      command:
        "node -e \"const fs=require('fs');fs.rmSync('.data/e2e-empty',{recursive:true,force:true});fs.mkdirSync('.data',{recursive:true})\" && " +
        `${mkLogDir} && npx tsx server.ts > test-results/server-logs/empty.log 2>&1`,
      cwd: root,
      url: `${emptyBaseURL}/login`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: {
        NODE_ENV: "production",
        PORT: String(EMPTY_PORT),
        DATABASE_URL: "pglite:.data/e2e-empty",
        KEYDESK_DEMO: "0",
        KEYS_CHANGES_PER_MINUTE: "100000",
        LOG_FORMAT: "json",
      },
    },
  ],
});
