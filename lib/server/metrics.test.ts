/**
 * Prometheus metrics (operations.md "Metrics") over a real database and real HTTP: the keys API with
 * metrics, its requests answered in-process, the metrics listener scraped over HTTP, and the text
 * parsed by the official Prometheus Python client's parser (`prometheus_client.parser`, in a cached
 * virtual environment like the client matrix's).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../clock";
import { createApi } from "../api/app";
import { seedDemoDirectory } from "../directory/demo-seed";
import { VerificationCache } from "../keys/verification-cache";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { pythonEnv, run } from "../testing/python-clients";
import { testDatabases, type TestDatabaseHandle } from "../testing/test-databases";
import { createMetrics, serveMetrics } from "./metrics";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
print(json.dumps([
    {"name": s.name, "labels": s.labels, "value": s.value}
    for family in text_string_to_metric_families(text) for s in family.samples
]))
`;

let python = "";
let scratch = "";
beforeAll(async () => {
  python = path.join(await pythonEnv("prometheus-client", "0.21.1"), "bin", "python");
  scratch = await mkdtemp(path.join(os.tmpdir(), "keydesk-metrics-"));
}, 600_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Scrapes over HTTP and parses with Prometheus' own parser (which throws on malformed text). */
async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const file = path.join(scratch, `scrape-${Date.now()}-${Math.random()}.txt`);
  await writeFile(file, await res.text());
  const parsed = await run(python, ["-c", PARSE, file]);
  expect(parsed.code, parsed.stderr).toBe(0);
  return JSON.parse(parsed.stdout) as Sample[];
}

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

describe.each(testDatabases())("metrics ($name)", { timeout: 120_000 }, (database) => {
  let handle: TestDatabaseHandle;
  let api: ReturnType<typeof createApi>;
  let metricsUrl = "";
  /** What the keys gauge reads as "now", to pass its once-a-minute refresh. */
  let gaugeClock = Date.now();
  let close: () => void = () => undefined;

  beforeAll(async () => {
    handle = await database.open();
    await seedDemoDirectory(handle.db);
    const metrics = createMetrics({ db: handle.db, pool: handle.pool, now: () => gaugeClock });
    const cache = new VerificationCache({ clock: systemClock });
    cache.confirmLive(3_600_000);
    api = createApi({
      db: handle.db,
      config: { failedAuthPerMinute: 0 },
      verificationCache: cache,
      metrics,
      usageFlushMs: 0,
    });
    const served = await serveMetrics(metrics, { port: 0, host: "127.0.0.1" });
    metricsUrl = served.url;
    close = () => served.server.close();
  });
  afterAll(async () => {
    close();
    await api?.close();
    await handle?.close();
  });

  const call = (method: string, url: string, credential?: string, body?: unknown) =>
    api.request(url, {
      method,
      headers: {
        ...(credential ? { authorization: `Bearer ${credential}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("counts requests by route pattern, verifications by result and cache, key changes by action; gauges the keys", async () => {
    const signIn = await call("POST", "/v2/sessions", undefined, {
      email: DEMO_USERS.admin.email,
      password: DEMO_PASSWORD,
    });
    const { token } = (await signIn.json()) as { token: string };
    const before = await scrape(metricsUrl);

    const created = await call("POST", "/v2/api-keys", token, { name: "metered" });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect((await call("GET", "/v2/me", key)).status).toBe(200); // miss, then cached
    expect((await call("GET", "/v2/me", key)).status).toBe(200);
    expect((await call("GET", `/v2/api-keys/${id}`, key)).status).toBe(200);
    const garbage = `ak-${"0".repeat(20)}`;
    expect((await call("GET", "/v2/me", garbage)).status).toBe(401);
    const refreshed = await call("POST", `/v2/api-keys/${id}/refresh`, token, {});
    expect(refreshed.status).toBe(200);
    const { key: newKey } = (await refreshed.json()) as { key: string };
    expect((await call("DELETE", `/v2/api-keys/${id}`, token)).status).toBeLessThan(300);
    expect((await call("GET", "/v2/me", newKey)).status).toBe(401);

    gaugeClock += 60_000;
    const after = await scrape(metricsUrl);
    const grew = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);

    expect(grew("keydesk_http_requests_total", { method: "GET", route: "/v2/me", status: "200" })).toBe(2);
    expect(grew("keydesk_http_requests_total", { method: "GET", route: "/v2/me", status: "401" })).toBe(2);
    expect(
      grew("keydesk_http_requests_total", { method: "GET", route: "/v2/api-keys/:id", status: "200" }),
    ).toBe(1);
    expect(
      grew("keydesk_http_requests_total", { method: "POST", route: "/v2/api-keys", status: "201" }),
    ).toBe(1);
    expect(grew("keydesk_http_request_duration_seconds_count", { method: "GET", route: "/v2/me" })).toBe(4);
    expect(grew("keydesk_verifications_total", { result: "ok", cache: "miss" })).toBe(1);
    expect(grew("keydesk_verifications_total", { result: "ok", cache: "hit" })).toBe(2);
    expect(grew("keydesk_verifications_total", { result: "invalid" })).toBe(1);
    expect(grew("keydesk_verifications_total", { result: "revoked", cache: "miss" })).toBe(1);
    expect(grew("keydesk_key_changes_total", { action: "create" })).toBe(1);
    expect(grew("keydesk_key_changes_total", { action: "refresh" })).toBe(1);
    expect(grew("keydesk_key_changes_total", { action: "revoke" })).toBe(1);
    // The keys gauge counts from the database, at most once a minute: a minute on, the revoked key is
    // there; within the minute, the figures stay.
    expect(
      value(after, "keydesk_api_keys", { type: "user", status: "revoked" }) -
        value(before, "keydesk_api_keys", { type: "user", status: "revoked" }),
    ).toBe(1);
    expect((await call("POST", "/v2/api-keys", token, { name: "within the minute" })).status).toBe(201);
    expect(value(await scrape(metricsUrl), "keydesk_api_keys", { type: "user", status: "active" })).toBe(
      value(after, "keydesk_api_keys", { type: "user", status: "active" }),
    );
    expect(value(after, "keydesk_notifications_pending", {})).toBe(0);
    expect(after.some((s) => s.name === "process_cpu_seconds_total")).toBe(true);
    expect(after.some((s) => s.name === "keydesk_db_pool_connections")).toBe(database.name === "postgres");
  });

  it("1,000 distinct random paths add one route label, not a thousand", async () => {
    for (let i = 0; i < 1_000; i++) {
      const res = await call("GET", `/v2/${Math.random().toString(36).slice(2)}/${i}`);
      expect(res.status).toBe(404);
    }
    const samples = await scrape(metricsUrl);
    const routes = new Set(
      samples.filter((s) => s.name === "keydesk_http_requests_total").map((s) => s.labels.route),
    );
    expect(routes.size).toBeLessThan(20);
    expect(
      value(samples, "keydesk_http_requests_total", { route: "(unmatched)", status: "404" }),
    ).toBeGreaterThanOrEqual(1_000);
  });

  it("the listener serves /metrics only", async () => {
    const other = await fetch(metricsUrl.replace("/metrics", "/v2/me"));
    expect(other.status).toBe(404);
  });
});
