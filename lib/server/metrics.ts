/**
 * Prometheus metrics (operations.md "Metrics"), with prom-client on a registry of their own, served
 * on a separate listener (`METRICS_PORT`, `METRICS_HOST` default 127.0.0.1) so they are never
 * reachable where the API is. Request metrics are labelled by route pattern, never by raw path, so a
 * scan of random URLs cannot grow the label set.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq, sql } from "drizzle-orm";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/client";
import { apiKeys, webhookDeliveries } from "../db/schema";
import type { VerificationObserver } from "../keys/verify";
import { logger } from "../domain/logger";

/** The route label of requests that matched no API route, and of every page request. */
export const UNMATCHED_ROUTE = "(unmatched)";
export const PAGES_ROUTE = "(pages)";

const VERIFICATION_RESULTS = ["ok", "invalid", "revoked", "expired", "blocked"] as const;
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const KEY_GAUGE_MAX_AGE_MS = 60_000;

interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface MetricsOptions {
  db: Db;
  /** PostgreSQL's connection pool; absent on PGlite. */
  pool?: PoolLike;
  now?: () => number;
}

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics({ db, pool, now = Date.now }: MetricsOptions) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  // The hot path counts in plain tallies; prom-client (which hashes a label set on every call, ~0.3 µs)
  // is told the difference when scraped.
  const requestTallies = new Map<string, Tally<"method" | "route" | "status">>();
  // Every (result, cache) pair has its tally from the start: the hot path only adds one.
  const verificationTallies = new Map<string, Tally<"result" | "cache">>();
  for (const result of VERIFICATION_RESULTS)
    for (const cache of ["hit", "miss"] as const)
      verificationTallies.set(`${result} ${cache}`, { labels: { result, cache }, count: 0, reported: 0 });
  const verificationTally = (result: string, cache: "hit" | "miss") =>
    verificationTallies.get(`${result} ${cache}`);
  const tallyOf = Object.fromEntries(
    VERIFICATION_RESULTS.map((result) => [
      result,
      { hit: verificationTally(result, "hit"), miss: verificationTally(result, "miss") },
    ]),
  );
  new Counter({
    name: "keydesk_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
    collect() {
      flushTallies(this, requestTallies);
    },
  });
  const duration = new Histogram({
    name: "keydesk_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer, by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Counter({
    name: "keydesk_verifications_total",
    help: "API key verifications, by result and whether the verification cache answered.",
    labelNames: ["result", "cache"] as const,
    registers: [registry],
    collect() {
      flushTallies(this, verificationTallies);
    },
  });
  const keyChanges = new Counter({
    name: "keydesk_key_changes_total",
    help: "API keys created, refreshed and revoked.",
    labelNames: ["action"] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: "keydesk_webhook_deliveries_total",
    help: "Webhook delivery attempts, by result.",
    labelNames: ["result"] as const,
    registers: [registry],
  });

  // Counted in the database: at most once a minute, however often Prometheus scrapes.
  let keysCountedAt = Number.NEGATIVE_INFINITY;
  new Gauge({
    name: "keydesk_api_keys",
    help: "API keys in the database, by type and status (counted at most once a minute).",
    labelNames: ["type", "status"] as const,
    registers: [registry],
    async collect() {
      if (now() - keysCountedAt < KEY_GAUGE_MAX_AGE_MS) return;
      keysCountedAt = now();
      // The database's clock, as a literal in the statement: a parameter would make the grouped
      // expression differ from the selected one.
      const status = sql<string>`case when ${apiKeys.status} = 'active' and ${apiKeys.expiresAt} <= now() then 'expired' else ${apiKeys.status}::text end`;
      const rows = await db
        .select({ type: apiKeys.keyType, status, n: count() })
        .from(apiKeys)
        .groupBy(apiKeys.keyType, status);
      this.reset();
      for (const type of ["user", "service"])
        for (const s of ["active", "expired", "revoked"]) this.set({ type, status: s }, 0);
      for (const row of rows) this.set({ type: row.type, status: row.status }, row.n);
    },
  });
  new Gauge({
    name: "keydesk_notifications_pending",
    help: "Webhook deliveries waiting to be attempted (due now or retrying later).",
    registers: [registry],
    async collect() {
      const [row] = await db
        .select({ n: count() })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.status, "pending"));
      this.set(row?.n ?? 0);
    },
  });
  if (pool) {
    new Gauge({
      name: "keydesk_db_pool_connections",
      help: "PostgreSQL pool connections: idle, busy (checked out), and requests waiting for one.",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        this.set({ state: "idle" }, pool.idleCount);
        this.set({ state: "busy" }, pool.totalCount - pool.idleCount);
        this.set({ state: "waiting" }, pool.waitingCount);
      },
    });
  }

  const timings = new Map<string, { method: string; route: string }>();
  const observeVerification: VerificationObserver = (result, cache) => {
    const t = tallyOf[result]?.[cache];
    if (t) t.count++;
  };

  return {
    registry,
    /** One answered request; `route` is a pattern (or UNMATCHED_ROUTE / PAGES_ROUTE), never a raw path. */
    request(method: string, route: string, status: number, seconds: number): void {
      const m = METHODS.has(method) ? method : "OTHER";
      tally(requestTallies, `${m} ${status} ${route}`, () => ({ method: m, route, status: String(status) }));
      const timingKey = `${m} ${route}`;
      let labels = timings.get(timingKey);
      if (!labels) timings.set(timingKey, (labels = { method: m, route }));
      duration.observe(labels, seconds);
    },
    verification: observeVerification,
    keyChanged(action: "create" | "refresh" | "revoke", n: number): void {
      keyChanges.inc({ action }, n);
    },
    webhookAttempt(ok: boolean): void {
      deliveries.inc({ result: ok ? "success" : "failure" });
    },
  };
}

interface Tally<L extends string> {
  labels: Record<L, string>;
  count: number;
  reported: number;
}

function tally<L extends string>(
  tallies: Map<string, Tally<L>>,
  key: string,
  labels: () => Record<L, string>,
) {
  const found = tallies.get(key);
  if (found) found.count++;
  else tallies.set(key, { labels: labels(), count: 1, reported: 0 });
}

function flushTallies<L extends string>(counter: Counter<L>, tallies: Map<string, Tally<L>>) {
  for (const t of tallies.values()) {
    if (t.count === t.reported) continue;
    counter.inc(t.labels, t.count - t.reported);
    t.reported = t.count;
  }
}

/** `METRICS_PORT` and `METRICS_HOST`; null when metrics are off (the port unset or empty). */
export function metricsListenFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): { port: number; host: string } | null {
  const raw = env.METRICS_PORT?.trim();
  if (!raw) return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`METRICS_PORT must be a port number (0–65535), not "${raw}".`);
  }
  return { port, host: env.METRICS_HOST?.trim() || "127.0.0.1" };
}

/** The metrics listener: `GET /metrics` in Prometheus' text format; everything else 404. */
export async function serveMetrics(
  metrics: Metrics,
  listen: { port: number; host: string },
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = req.url?.split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found. Metrics are at /metrics.\n");
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (err: unknown) => {
        // The driver's message may quote the statement: it goes to the log, not to the scraper.
        logger.error({ err: err instanceof Error ? err.message : "" }, "metrics collection failed");
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("Metrics could not be collected; the server log says why.\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  return { server, url: `http://${host}:${port}/metrics` };
}
