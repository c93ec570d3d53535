/**
 * One process, one port: /v2/* goes to the keys API (Hono), everything else to Next.js.
 * The keys API is on the hot path of every key verification, so it never pays for the page framework.
 */
// First: with LOG_FORMAT=json, whatever the imports below print while they load is JSON too.
import "./lib/server/json-output";
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import { apiConfigFromEnv, createApi } from "./lib/api/app";
import { errorToResponse, problemResponse } from "./lib/api/problem";
import { systemClock } from "./lib/clock";
import { listenForKeyChanges, VerificationCache } from "./lib/keys/verification-cache";
import { expiryScanIntervalMs, startExpiryScanner } from "./lib/keys/expiry-warnings";
import { smtpMailer } from "./lib/domain/mailer";
import { closeDatabase, openAppDatabase } from "./lib/server/app-database";
import { restoreNativeDate } from "./lib/server/native-date";
import nextConfig from "./next.config";
import { createKeydeskServer, httpLimitsFromEnv, listen } from "./lib/server/http-server";
import { startDeliveryWorker } from "./lib/webhooks/delivery";
import { createOAuthServer, oauthPolicyFromEnv } from "./lib/auth/oauth/provider";
import { healthHandler, readinessCheck, type Readiness } from "./lib/server/health";
import { housekeepingIntervalMs, startHousekeeping } from "./lib/server/housekeeping";
import { createMetrics, metricsListenFromEnv, PAGES_ROUTE, serveMetrics } from "./lib/server/metrics";
import { logFields, logger, requestLog } from "./lib/domain/logger";
const info = (line: string) => logger.info(line);

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// Lets this server's actions tell the keys API the browser's address (for per-client rate limits).
// Set it yourself when the dashboard and the API run as separate deployments.
process.env.KEYDESK_INTERNAL_TOKEN ??= randomBytes(32).toString("base64url");
const dev = process.env.NODE_ENV !== "production";
const port = Number(process.env.PORT ?? 3000);
// HOST is the address to listen on; unset, every interface.
const listenHost = process.env.HOST?.trim() || undefined;
const hostname = listenHost && listenHost !== "0.0.0.0" && listenHost !== "::" ? listenHost : "localhost";

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A listener that holds requests until `set` gives it the real one; from then on it is a direct call. */
function pendingListener() {
  let current: Listener | undefined;
  let arrived: (listener: Listener) => void = () => undefined;
  const ready = new Promise<Listener>((resolve) => (arrived = resolve));
  return {
    listener: ((req, res) => (current ? current(req, res) : ready.then((l) => l(req, res)))) as Listener,
    set(listener: Listener) {
      current = listener;
      arrived(listener);
    },
  };
}

async function main() {
  // Settings first: a bad one (OIDC_ISSUER, PASSWORD_SIGN_IN, …) stops the start with its sentence.
  const apiConfig = apiConfigFromEnv();
  // The port first: a start that cannot bind it (another Keydesk on it) ends at once, before opening
  // the database or loading the page framework. Requests that arrive while the rest starts wait.
  const api = pendingListener();
  const pages = pendingListener();
  const oauth = pendingListener();
  const upgrades: { next?: (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown } = {};
  // Probes are answered from the first moment; /readyz fails until the database is open.
  let readiness: (() => Promise<Readiness>) | null = null;
  const server = createKeydeskServer({
    api: api.listener,
    pages: pages.listener,
    oauth: oauth.listener,
    health: healthHandler(() => readiness),
    // Next's dev server needs websockets for hot reload.
    upgrade: (req, socket, head) => (upgrades.next ? upgrades.next(req, socket, head) : socket.destroy()),
    limits: httpLimitsFromEnv(),
    trustedProxyHops: apiConfigFromEnv().trustedProxyHops,
  });
  const address = await listen(server, port, listenHost);
  // The dashboard's server actions reach the keys API over HTTP; by default, this same server.
  const anyInterface = !listenHost || listenHost === "0.0.0.0" || listenHost === "::";
  const apiHost = anyInterface ? "127.0.0.1" : listenHost.includes(":") ? `[${listenHost}]` : listenHost;
  process.env.KEYS_API_URL ??= `http://${apiHost}:${address.port}`;

  const database = await openAppDatabase(info);
  readiness = readinessCheck(database.db);
  // Verified keys are reused for up to 30 s, dropped at once on any change (LISTEN/NOTIFY across
  // instances) and bypassed while the change listener is down. KEYDESK_KEY_CACHE=0 turns it off.
  const verificationCache =
    process.env.KEYDESK_KEY_CACHE === "0" ? undefined : new VerificationCache({ clock: systemClock });
  const keyChanges = verificationCache ? await listenForKeyChanges(database, verificationCache) : undefined;
  // The server's own address: where self-service links point when PUBLIC_URL is unset (never a Host of the asker's choosing).
  const ownBase = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${address.port}`;
  // Prometheus metrics on their own listener, only when METRICS_PORT is set.
  const metricsAt = metricsListenFromEnv();
  const metrics = metricsAt ? createMetrics({ db: database.db, pool: database.pool }) : undefined;
  // The ax CLI's authorization server at /oauth2/* (issue 21), its records and keys in the database.
  const oauthServer = await createOAuthServer({
    db: database.db,
    issuer: apiConfig.publicUrl ?? ownBase,
    policy: oauthPolicyFromEnv(),
    proxy: apiConfig.trustedProxyHops > 0,
  });
  oauth.set(oauthServer.callback);
  const keysApi = createApi({
    db: database.db,
    config: apiConfig,
    verificationCache,
    ownBase,
    metrics,
    oauth: oauthServer,
    requestLog,
  });
  // Webhook deliveries: every instance's worker takes due rows from the shared queue.
  const webhookWorker = apiConfig.webhooks
    ? startDeliveryWorker({
        db: database.db,
        clock: systemClock,
        policy: apiConfig.webhooks,
        attempted: metrics?.webhookAttempt,
      })
    : undefined;
  api.set(
    getRequestListener(keysApi.fetch, {
      // Requests @hono/node-server cannot turn into a Request (and any other failure before the app
      // runs) still get an answer: without one the socket would stay open.
      errorHandler: (err) =>
        err instanceof Error && err.name === "RequestError"
          ? problemResponse(400, `${err.message}.`)
          : errorToResponse(err),
    }),
  );

  // Next.js loads only once the database is ours: a second process on a locked embedded database is
  // refused in a second or two instead of after loading the page framework.
  const { default: next } = await import("next");
  const nextApp = next({ dev, dir: process.cwd(), hostname, port: address.port });
  const nextHandler = nextApp.getRequestHandler();
  await nextApp.prepare();
  // Next's Date wrapper costs every request, API included; it does nothing without cacheComponents.
  restoreNativeDate(nextConfig.cacheComponents);
  upgrades.next = nextApp.getUpgradeHandler();
  pages.set(
    metrics
      ? (req, res) => {
          // Pages are one label: their paths hold ids, and Next.js does not tell its route here.
          const started = performance.now();
          res.once("finish", () =>
            metrics.request(
              req.method ?? "GET",
              PAGES_ROUTE,
              res.statusCode,
              (performance.now() - started) / 1000,
            ),
          );
          return nextHandler(req, res);
        }
      : nextHandler,
  );
  const metricsServer = metrics && metricsAt ? await serveMetrics(metrics, metricsAt) : undefined;

  // Expiry warnings (lifecycle.md §5): every instance scans; each warning is claimed once in the database.
  const expiryScanner = startExpiryScanner({
    db: database.db,
    clock: systemClock,
    mailer: smtpMailer(apiConfig.smtpUrl, apiConfig.smtpFrom),
    publicUrl: apiConfig.publicUrl ?? ownBase,
    intervalMs: expiryScanIntervalMs(),
  });

  // Rate-limit counters and old webhook history, deleted hourly by every instance.
  const housekeeping = startHousekeeping({
    db: database.db,
    clock: systemClock,
    intervalMs: housekeepingIntervalMs(),
    log: logFields,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    metricsServer?.server.close();
    void Promise.allSettled([
      nextApp.close(),
      keyChanges?.close(),
      webhookWorker?.stop(),
      // A scan in progress finishes, and key usage counted in memory is written, before the database closes.
      Promise.allSettled([expiryScanner.stop(), housekeeping.stop(), keysApi.close()]),
    ])
      .then(closeDatabase)
      .then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const store = database.embedded
    ? `embedded PGlite (${database.target.kind === "pglite" ? (database.target.dataDir ?? "in memory") : ""})`
    : "PostgreSQL";
  const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
  logger.info(
    `Keydesk ready on http://${shown}:${address.port} (${dev ? "development" : "production"}, ${store})`,
  );
  if (metricsServer) logger.info(`Metrics on ${metricsServer.url}`);
  await keysApi.announceSetup(`http://${shown}:${address.port}`, info);
}

main().catch(async (err: unknown) => {
  // The message only: a start-up failure names what to fix (a port, a lock, a variable).
  logger.error(err instanceof Error ? err.message : String(err));
  // Whatever was opened must not keep the process alive: release the database (and its lock) if it
  // closes promptly, and exit non-zero either way.
  setTimeout(() => process.exit(1), 3_000).unref();
  await closeDatabase().catch(() => undefined);
  process.exit(1);
});
