/**
 * Liveness and readiness for load balancers and orchestrators (operations.md "Health and readiness"):
 * `GET /healthz` answers while the process serves; `GET /readyz` answers 200 only when the database
 * answers and holds every migration this build ships, else 503 naming the failing check. Both without
 * authentication or cookies, never cached, answered by the HTTP server itself (neither the keys API
 * nor the page framework is involved), and each check bounded so a probe is answered within 2 s.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { bigint, pgSchema } from "drizzle-orm/pg-core";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { MIGRATIONS_FOLDER, type Db } from "../db/client";

/** Where drizzle's migrator records what it applied (its defaults; outside the app's schema). */
const appliedMigrations = pgSchema("drizzle").table("__drizzle_migrations", {
  createdAt: bigint("created_at", { mode: "number" }),
});

type CheckResult = "ok" | "fail" | "unknown";

export interface Readiness {
  status: "ok" | "fail";
  checks: { database: CheckResult; migrations: CheckResult };
}

/** The probe answers within this, whatever the database does. */
const READINESS_TIMEOUT_MS = 2_000;

class Timeout extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Timeout()), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Checks the database by reading which migrations it has applied: one round trip answers both
 * whether it is reachable and whether every migration of this build (by its journal time, the way
 * drizzle's migrator records them) is there. Unreachable: database `fail`, migrations `unknown`.
 */
export function readinessCheck(db: Db, timeoutMs = READINESS_TIMEOUT_MS): () => Promise<Readiness> {
  const shipped = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.folderMillis);
  return async () => {
    let applied: Set<number | null>;
    try {
      const rows = await within(db.select().from(appliedMigrations), timeoutMs);
      applied = new Set(rows.map((row) => row.createdAt));
    } catch {
      return { status: "fail", checks: { database: "fail", migrations: "unknown" } };
    }
    const migrations = shipped.every((when) => applied.has(when)) ? "ok" : "fail";
    return { status: migrations === "ok" ? "ok" : "fail", checks: { database: "ok", migrations } };
  };
}

const HEALTH_PATHS = new Set(["/healthz", "/readyz"]);

/** Whether a request target is one of the probes (a query string is ignored). */
export function isHealthPath(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf("?");
  return HEALTH_PATHS.has(q === -1 ? url : url.slice(0, q));
}

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
    ...extra,
  });
  res.end(res.req.method === "HEAD" ? undefined : text);
}

/**
 * The probes' handler. `ready` is null until the database is open (the server listens before that):
 * meanwhile /readyz says the database is not there yet.
 */
export function healthHandler(ready: () => (() => Promise<Readiness>) | null) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return send(
        res,
        405,
        {
          status: 405,
          title: "Method Not Allowed",
          detail: `${req.method} is not allowed here. Allowed: GET, HEAD.`,
        },
        { allow: "GET, HEAD", "content-type": "application/problem+json" },
      );
    }
    if (req.url?.startsWith("/healthz")) return send(res, 200, { status: "ok" });
    const check = ready();
    const readiness: Readiness = check
      ? await check()
      : { status: "fail", checks: { database: "fail", migrations: "unknown" } };
    send(res, readiness.status === "ok" ? 200 : 503, readiness);
  };
}
