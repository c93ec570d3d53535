/**
 * The yardstick for a *cached* verification: a bare node:http server doing exactly the work Keydesk's
 * cached `GET /v2/me` cannot avoid — read the bearer credential, the same offline shape and checksum
 * check, SHA-256 of the key, one `Map` lookup by digest, `JSON.stringify` of a body of the same size —
 * and nothing else (no database, no framework). bench/run.ts measures Keydesk's cached /v2/me against
 * it, side by side in one run (issue 11). Its PostgreSQL sibling, for uncached verification, is
 * bench/bare-server.ts.
 *
 * BENCH_KEY=ak-… BENCH_BODY='{"user":…}' PORT=0 npx tsx bench/bare-cached-server.ts
 * BENCH_BODY is the JSON Keydesk answered for that key, so both servers send the same bytes.
 */
import { createServer, type ServerResponse } from "node:http";
import { digestKey, isWellFormedKey } from "../lib/keys/secrets";

const key = process.env.BENCH_KEY ?? "";
const bodyJson = process.env.BENCH_BODY ?? "";
if (!isWellFormedKey(key) || !bodyJson) {
  console.error("bare-cached-server: set BENCH_KEY (a well-formed key) and BENCH_BODY (its /v2/me JSON)");
  process.exit(1);
}

/** digest → the value a cache hit yields (an object, serialised on every request like Keydesk's). */
const cache = new Map<string, unknown>([[digestKey(key), JSON.parse(bodyJson) as unknown]]);

const UNAUTHENTICATED = JSON.stringify({ title: "Authentication required", status: 401 });

function send(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, {
    "content-type": status === 200 ? "application/json" : "application/problem+json",
    "content-length": Buffer.byteLength(json),
    "cache-control": "no-store",
  });
  res.end(json);
}

const server = createServer((req, res) => {
  const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  const raw = match?.[1];
  const hit = raw && isWellFormedKey(raw) ? cache.get(digestKey(raw)) : undefined;
  if (hit === undefined) return send(res, 401, UNAUTHENTICATED);
  send(res, 200, JSON.stringify(hit));
});
server.keepAliveTimeout = 65_000;

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`bare cached server ready on http://localhost:${port}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
