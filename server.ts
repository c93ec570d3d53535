/**
 * One process, one port: /v2/* goes to the keys API (Hono), everything else to Next.js.
 * The keys API is on the hot path of every key verification, so it never pays for the page framework.
 */
import { randomBytes } from "node:crypto";
import { getRequestListener } from "@hono/node-server";
import next from "next";
import { apiConfigFromEnv, createApi } from "./lib/api/app";
import { errorToResponse, problemResponse } from "./lib/api/problem";
import { systemClock } from "./lib/clock";
import { listenForKeyChanges, VerificationCache } from "./lib/keys/verification-cache";
import { closeDatabase, openAppDatabase } from "./lib/server/app-database";
import { restoreNativeDate } from "./lib/server/native-date";
import nextConfig from "./next.config";
import { createKeydeskServer, httpLimitsFromEnv, listen } from "./lib/server/http-server";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// Lets this server's actions tell the keys API the browser's address (for per-client rate limits).
// Set it yourself when the dashboard and the API run as separate deployments.
process.env.KEYDESK_INTERNAL_TOKEN ??= randomBytes(32).toString("base64url");
const dev = process.env.NODE_ENV !== "production";
const port = Number(process.env.PORT ?? 3000);
// HOST is the address to listen on; unset, every interface.
const listenHost = process.env.HOST?.trim() || undefined;
const hostname = listenHost && listenHost !== "0.0.0.0" && listenHost !== "::" ? listenHost : "localhost";

async function main() {
  const database = await openAppDatabase();
  // Verified keys are reused for up to 30 s, dropped at once on any change (LISTEN/NOTIFY across
  // instances) and bypassed while the change listener is down. KEYDESK_KEY_CACHE=0 turns it off.
  const verificationCache =
    process.env.KEYDESK_KEY_CACHE === "0" ? undefined : new VerificationCache({ clock: systemClock });
  const keyChanges = verificationCache ? await listenForKeyChanges(database, verificationCache) : undefined;
  const api = createApi({ db: database.db, config: apiConfigFromEnv(), verificationCache });
  const apiListener = getRequestListener(api.fetch, {
    // Requests @hono/node-server cannot turn into a Request (and any other failure before the app
    // runs) still get an answer: without one the socket would stay open.
    errorHandler: (err) =>
      err instanceof Error && err.name === "RequestError"
        ? problemResponse(400, `${err.message}.`)
        : errorToResponse(err),
  });

  const nextApp = next({ dev, dir: process.cwd(), hostname, port });
  const nextHandler = nextApp.getRequestHandler();
  await nextApp.prepare();
  // Next's Date wrapper costs every request, API included; it does nothing without cacheComponents.
  restoreNativeDate(nextConfig.cacheComponents);
  const nextUpgrade = nextApp.getUpgradeHandler();

  const server = createKeydeskServer({
    api: apiListener,
    pages: nextHandler,
    // Next's dev server needs websockets for hot reload.
    upgrade: nextUpgrade,
    limits: httpLimitsFromEnv(),
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    void Promise.allSettled([nextApp.close(), keyChanges?.close(), closeDatabase()]).then(() =>
      process.exit(0),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const address = await listen(server, port, listenHost);
  // The dashboard's server actions reach the keys API over HTTP; by default, this same server.
  const anyInterface = !listenHost || listenHost === "0.0.0.0" || listenHost === "::";
  const apiHost = anyInterface ? "127.0.0.1" : listenHost.includes(":") ? `[${listenHost}]` : listenHost;
  process.env.KEYS_API_URL ??= `http://${apiHost}:${address.port}`;
  const store = database.embedded
    ? `embedded PGlite (${database.target.kind === "pglite" ? (database.target.dataDir ?? "in memory") : ""})`
    : "PostgreSQL";
  const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
  console.log(
    `Keydesk ready on http://${shown}:${address.port} (${dev ? "development" : "production"}, ${store})`,
  );
  await api.announceSetup(`http://${shown}:${address.port}`);
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  // Whatever was opened must not keep the process alive: release the database (and its lock) if it
  // closes promptly, and exit non-zero either way.
  setTimeout(() => process.exit(1), 3_000).unref();
  await closeDatabase().catch(() => undefined);
  process.exit(1);
});
