/**
 * One process, one port: /v2/* goes to the keys API (Hono), everything else to Next.js.
 * The keys API is on the hot path of every key verification, so it never pays for the page framework.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import next from "next";
import { apiConfigFromEnv, createApi } from "./lib/api/app";
import { systemClock } from "./lib/clock";
import { listenForKeyChanges, VerificationCache } from "./lib/keys/verification-cache";
import { closeDatabase, openAppDatabase } from "./lib/server/app-database";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// Lets this server's actions tell the keys API the browser's address (for per-client rate limits).
// Set it yourself when the dashboard and the API run as separate deployments.
process.env.KEYDESK_INTERNAL_TOKEN ??= randomBytes(32).toString("base64url");
const dev = process.env.NODE_ENV !== "production";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "localhost";

const isApiPath = (url: string | undefined) =>
  url === "/v2" || (url?.startsWith("/v2/") ?? false) || (url?.startsWith("/v2?") ?? false);

async function main() {
  const database = await openAppDatabase();
  // Verified keys are reused for up to 30 s, dropped at once on any change (LISTEN/NOTIFY across
  // instances) and bypassed while the change listener is down. KEYDESK_KEY_CACHE=0 turns it off.
  const verificationCache =
    process.env.KEYDESK_KEY_CACHE === "0" ? undefined : new VerificationCache({ clock: systemClock });
  const keyChanges = verificationCache ? await listenForKeyChanges(database, verificationCache) : undefined;
  const api = createApi({ db: database.db, config: apiConfigFromEnv(), verificationCache });
  const apiListener = getRequestListener(api.fetch, {
    // Never let a body-parse or socket error take the process down.
    errorHandler: (err) =>
      console.error(JSON.stringify({ level: "error", msg: "api listener", err: String(err) })),
  });

  const nextApp = next({ dev, dir: process.cwd(), hostname, port });
  const nextHandler = nextApp.getRequestHandler();
  await nextApp.prepare();
  const nextUpgrade = nextApp.getUpgradeHandler();

  const server = createServer((req, res) => {
    if (isApiPath(req.url)) {
      void apiListener(req, res);
    } else {
      // Pages and actions learn the browser's address from here only; a client-sent value is dropped.
      req.headers["x-keydesk-peer"] = req.socket.remoteAddress ?? "";
      void nextHandler(req, res);
    }
  });
  // Next's dev server needs websockets for hot reload.
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isApiPath(req.url)) socket.destroy();
    else void nextUpgrade(req, socket, head);
  });
  server.keepAliveTimeout = 65_000;

  server.listen(port, () => {
    const address = server.address();
    const actualPort = typeof address === "object" && address ? address.port : port;
    // The dashboard's server actions reach the keys API over HTTP; by default, this same server.
    process.env.KEYS_API_URL ??= `http://127.0.0.1:${actualPort}`;
    const store = database.embedded
      ? `embedded PGlite (${database.target.kind === "pglite" ? (database.target.dataDir ?? "in memory") : ""})`
      : "PostgreSQL";
    console.log(
      `Keydesk ready on http://localhost:${actualPort} (${dev ? "development" : "production"}, ${store})`,
    );
    void api.announceSetup(`http://${hostname}:${actualPort}`);
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
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
