/**
 * Arize's Python SDK 8.61 (`client.webhooks`) against Keydesk's webhooks API (lifecycle.md §5), on
 * each test database: tests/clients/python_webhooks.py creates, gets, lists, updates, tests and deletes
 * webhooks and lists their delivery attempts over real HTTP, with its own receiver on loopback (so
 * the allow variables are on), and verifies the test delivery's signature with the secret from create.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, setupDemo, type Demo } from "../lib/testing/api-keys-test-kit";
import { pythonEnv, run, scrubKeys } from "../lib/testing/python-clients";
import { serveOverHttp } from "../lib/testing/serve-api";
import { REPO_ROOT } from "../lib/testing/spawn-server";
import { testDatabases } from "../lib/testing/test-databases";

const SCRIPT = path.join(REPO_ROOT, "tests", "clients", "python_webhooks.py");
const VERSION = "8.61.0";

describe.each(testDatabases())("Arize's Python SDK webhooks on $name", (database) => {
  let demo: Demo;
  let served: Awaited<ReturnType<typeof serveOverHttp>>;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    demo = await setupDemo(database, {
      config: {
        webhooks: {
          network: { allowHttp: true, allowPrivate: true },
          delivery: { retryBaseMs: 30_000, maxAttempts: 8, pollMs: 1000 },
        },
      },
    });
    served = await serveOverHttp(demo.harness.app);
    env.KEYDESK_URL = served.baseUrl;
    env.KEYDESK_ADMIN_KEY = (await createKey(demo.harness, demo.tokens.admin, { name: "py admin" })).key;
    env.KEYDESK_MEMBER_KEY = (await createKey(demo.harness, demo.tokens.member, { name: "py member" })).key;
  });
  afterAll(async () => {
    await served.close();
    await demo.harness.close();
  });

  it(`arize ${VERSION}: create (HMAC and BEARER), get by name, list, update, test (signature verified), delivery attempts, 403, delete`, async () => {
    const venv = await pythonEnv("arize", VERSION);
    const result = await run(path.join(venv, "bin", "python"), [SCRIPT], {
      env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: "1" },
      timeoutMs: 240_000,
    });
    if (result.code !== 0)
      throw new Error(
        `python exited ${result.code}\n${scrubKeys(result.stdout)}\n${scrubKeys(result.stderr)}`,
      );
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as {
      version?: string;
      checks?: number;
    };
    expect(summary).toEqual({ version: VERSION, checks: 21 });
    // Nothing printed a key or a signing secret.
    expect(result.stdout + result.stderr).not.toMatch(/ak-[A-Za-z0-9_-]{60,}|whsec_[A-Za-z0-9_-]{20,}/);
  }, 300_000);
});
