/**
 * The benchmark's yardstick: a bare node:http server doing the least work a key verification can do —
 * the same offline shape and checksum check as Keydesk, SHA-256, one indexed lookup by digest, a JSON
 * answer. Keydesk's /v2/me is measured against this on the same database with the same key.
 *
 * DATABASE_URL=postgres://… PORT=0 npx tsx bench/bare-server.ts
 */
import { createServer } from "node:http";
import pg from "pg";
import { digestKey, isWellFormedKey } from "../lib/keys/secrets";

const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error("bare-server: DATABASE_URL must be a postgres:// URL");
  process.exit(1);
}

const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
pool.on("error", (err) => console.error(`bare-server: pg pool: ${err.message}`));

const LOOKUP = `
  select k.id, k.user_id, k.status, s.expires_at
  from api_key_secrets s join api_keys k on k.id = s.api_key_id
  where s.digest = $1`;

interface Row {
  id: string;
  user_id: string;
  status: string;
  expires_at: Date | null;
}

function send(res: import("node:http").ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

const server = createServer((req, res) => {
  const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  const raw = match?.[1];
  if (!raw || !isWellFormedKey(raw)) return send(res, 401, { title: "Authentication required", status: 401 });
  pool.query<Row>(LOOKUP, [digestKey(raw)]).then(
    ({ rows: [row] }) => {
      const valid =
        row !== undefined &&
        row.status === "active" &&
        (row.expires_at === null || Date.now() < row.expires_at.getTime());
      if (!valid) return send(res, 401, { title: "Authentication required", status: 401 });
      send(res, 200, { user: { id: row.user_id }, credential: { type: "user_key", api_key_id: row.id } });
    },
    () => send(res, 503, { title: "Internal error", status: 503 }),
  );
});
server.keepAliveTimeout = 65_000;

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`bare server ready on http://localhost:${port}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
