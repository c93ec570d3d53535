import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { DatabaseConnectionError } from "./connection-error";
import { lockDataDir } from "./embedded-lock";
import * as schema from "./schema";

type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Functions that may run inside or outside a transaction take this. */
export type DbOrTx = Db | Tx;

export type DatabaseTarget = { kind: "pglite"; dataDir: string | null } | { kind: "postgres"; url: string };

export interface DatabaseHandle {
  db: Db;
  target: DatabaseTarget;
  /** True when the database is embedded (PGlite). */
  embedded: boolean;
  /** PostgreSQL's connection pool (its counts are metrics); absent on PGlite. */
  pool?: Pick<pg.Pool, "totalCount" | "idleCount" | "waitingCount">;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
// Any constant will do; it only has to be the same for every Keydesk instance.
const MIGRATION_LOCK_ID = 0x6b657964; // "keyd"

/**
 * `DATABASE_URL` unset → PGlite in ./.data/pglite; `pglite:memory`; `pglite:<dir>`;
 * `postgres://…` or `postgresql://…` → PostgreSQL.
 */
export function parseDatabaseUrl(url: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const value = url?.trim();
  if (!value) return { kind: "pglite", dataDir: path.join(cwd, ".data", "pglite") };
  if (value === "pglite:memory" || value === "memory://") return { kind: "pglite", dataDir: null };
  if (value.startsWith("pglite:")) {
    const dir = value.slice("pglite:".length);
    if (!dir) throw new Error("DATABASE_URL: `pglite:` needs a directory, or use `pglite:memory`");
    return { kind: "pglite", dataDir: path.resolve(cwd, dir) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: "postgres", url: value };
  throw new Error("DATABASE_URL must be postgres://…, pglite:<dir> or pglite:memory");
}

/** How the PostgreSQL pool waits; every wait is bounded so that trouble becomes a fast 503. */
export interface PostgresLimits {
  /** Connections per instance (`DATABASE_POOL_SIZE`). */
  poolSize: number;
  /** Longest wait for a connection, new or from a full pool (`DATABASE_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs: number;
  /** Longest statement (`DATABASE_STATEMENT_TIMEOUT_MS`, PostgreSQL's `statement_timeout`). */
  statementTimeoutMs: number;
  /** Longest wait for a row or table lock (`DATABASE_LOCK_TIMEOUT_MS`, `lock_timeout`). */
  lockTimeoutMs: number;
}

const defaultPostgresLimits: PostgresLimits = {
  poolSize: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 5_000,
  lockTimeoutMs: 2_000,
};

function postgresLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): PostgresLimits {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    poolSize: positive(env.DATABASE_POOL_SIZE, defaultPostgresLimits.poolSize),
    connectTimeoutMs: positive(env.DATABASE_CONNECT_TIMEOUT_MS, defaultPostgresLimits.connectTimeoutMs),
    statementTimeoutMs: positive(env.DATABASE_STATEMENT_TIMEOUT_MS, defaultPostgresLimits.statementTimeoutMs),
    lockTimeoutMs: positive(env.DATABASE_LOCK_TIMEOUT_MS, defaultPostgresLimits.lockTimeoutMs),
  };
}

/**
 * PGlite's PostgreSQL keeps its 128 MB default of shared buffers inside the process's WebAssembly
 * memory, on top of the OS's cache of the same files: 32 MB holds the hot pages of a 100,000-key
 * listing and keeps the server's RSS under the 512 MiB budget (−95 MiB measured, issue 11).
 */
export const PGLITE_OPTIONS = { postgresqlconf: ["shared_buffers=32MB"] };

const INITIALIZE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "initialize-embedded.mjs");
const INITIALIZING = ".initializing";

/**
 * Creates a new embedded database in a child process (initialize-embedded.mjs says why: the
 * WebAssembly memory PGlite's initdb grows stays with the process that ran it). The child builds the
 * database in `<dataDir>/.initializing`; its files then move into place with PG_VERSION last, so a
 * start killed half-way leaves a directory that the next start initializes again rather than one
 * that looks ready. The caller holds the directory's lock.
 */
async function initializeInChildProcess(dataDir: string): Promise<void> {
  const staging = path.join(dataDir, INITIALIZING);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    await promisify(execFile)(
      process.execPath,
      [INITIALIZE_SCRIPT, staging, MIGRATIONS_FOLDER, JSON.stringify(PGLITE_OPTIONS)],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`Could not create the embedded database in ${dataDir}${stderr ? `: ${stderr}` : ""}`, {
      cause: err,
    });
  }
  const entries = readdirSync(staging).filter((name) => name !== "PG_VERSION");
  for (const name of [...entries, "PG_VERSION"]) {
    rmSync(path.join(dataDir, name), { recursive: true, force: true });
    renameSync(path.join(staging, name), path.join(dataDir, name));
  }
  rmSync(staging, { recursive: true, force: true });
}

/** Opens a new handle and brings its schema up to date. Most code wants `getDatabase()` instead. */
export async function openDatabase(
  target: DatabaseTarget,
  options: { postgres?: Partial<PostgresLimits> } = {},
): Promise<DatabaseHandle> {
  if (target.kind === "pglite") {
    if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
    // One process per directory (embedded-lock.ts): taken before PGlite reads a page.
    const lock = target.dataDir ? lockDataDir(target.dataDir) : undefined;
    try {
      if (target.dataDir && !existsSync(path.join(target.dataDir, "PG_VERSION"))) {
        await initializeInChildProcess(target.dataDir);
      }
      const client = target.dataDir ? new PGlite(target.dataDir, PGLITE_OPTIONS) : new PGlite(PGLITE_OPTIONS);
      const db = drizzlePglite({ client, schema });
      await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
      return {
        db,
        target,
        embedded: true,
        close: async () => {
          try {
            await client.close();
          } finally {
            lock?.release();
          }
        },
      };
    } catch (err) {
      lock?.release();
      throw err;
    }
  }

  const limits = { ...postgresLimitsFromEnv(), ...options.postgres };
  const pool = new ConnectionPool({
    connectionString: target.url,
    application_name: "keydesk",
    max: limits.poolSize,
    // A request never waits long for a connection, a lock or a statement: it fails, and the API
    // answers 503 with Retry-After (lib/api/problem.ts) instead of stalling behind a held lock.
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    keepAlive: true,
  });
  // An idle client that loses its connection must not crash the process; the pool drops it and opens
  // a new one on the next request, so the service recovers by itself when the database is back.
  const logLoss = (err: Error) =>
    console.error(JSON.stringify({ level: "error", msg: "pg connection lost", err: err.message }));
  pool.on("error", logLoss);
  // A checked-out client has no pool listener: a connection lost between two statements of a
  // transaction (a terminated backend) would be an uncaught 'error' and end the process. With this,
  // the transaction's next statement fails instead, and the request gets its 503.
  pool.on("connect", (client) => client.on("error", logLoss));
  const db = drizzlePg({ client: pool, schema });
  releaseEveryTransactionClient(db, pool);
  // Several instances may start at once against one PostgreSQL: one migrates, the rest wait. On a
  // connection of its own, without the request timeouts: waiting for another instance's migration,
  // or a migration's own statements, may take longer than any request should.
  const migrator = new pg.Client({
    connectionString: target.url,
    application_name: "keydesk-migrate",
    connectionTimeoutMillis: limits.connectTimeoutMs,
  });
  await migrator.connect();
  try {
    await migrator.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await migratePg(drizzlePg({ client: migrator, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  } finally {
    await migrator.end().catch(() => undefined);
  }
  return { db, target, embedded: false, pool, close: () => pool.end() };
}

type ConnectCallback = Parameters<pg.Pool["connect"]>[0];

/**
 * A pool whose every failure to hand out a connection is a DatabaseConnectionError. Classified by
 * when it failed, not by a list of codes: PostgreSQL refuses connections with codes of many classes
 * (55000 for `ALLOW_CONNECTIONS false`, 53300, 57P03, 3D000, 28P01…), and some of those codes mean
 * something else entirely when a statement raises them. Both ways in go through here: `pool.query`
 * (drizzle's single statements) calls `this.connect` with a callback, transactions call it for a
 * promise.
 */
class ConnectionPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    if (!callback) {
      return super.connect().catch((err: unknown) => {
        throw new DatabaseConnectionError(err);
      });
    }
    super.connect((err, client, done) =>
      callback(err ? new DatabaseConnectionError(err) : err, client, done),
    );
    return undefined;
  }
}

/**
 * drizzle-orm (0.45) sends a transaction's `begin` before its try/finally: when `begin` fails (the
 * backend was terminated, the connection dropped), the pooled client is never released, and after a
 * few such failures the pool is full of dead clients and every request times out waiting for one.
 * Here each transaction checks out its own client and always gives it back; the pool drops it if its
 * connection is broken.
 */
function releaseEveryTransactionClient(db: ReturnType<typeof drizzlePg<Schema>>, pool: pg.Pool): void {
  const transaction: typeof db.transaction = async (run, config) => {
    const client = await pool.connect();
    try {
      return await drizzlePg({ client, schema }).transaction(run, config);
    } finally {
      client.release();
    }
  };
  db.transaction = transaction;
}

const HANDLE = Symbol.for("keydesk.database");
type GlobalWithHandle = typeof globalThis & { [HANDLE]?: Promise<DatabaseHandle> };

/**
 * The process's one database handle, opened on first use (never at import, so `next build` never
 * touches it) and kept on `globalThis` so that every module graph in the process shares it.
 */
export function getDatabase(
  init: (handle: DatabaseHandle) => Promise<void> = async () => undefined,
): Promise<DatabaseHandle> {
  const g = globalThis as GlobalWithHandle;
  g[HANDLE] ??= (async () => {
    const handle = await openDatabase(parseDatabaseUrl(process.env.DATABASE_URL));
    await init(handle);
    return handle;
  })().catch((err: unknown) => {
    delete g[HANDLE];
    throw err;
  });
  return g[HANDLE];
}

export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithHandle;
  const pending = g[HANDLE];
  delete g[HANDLE];
  if (pending) await (await pending).close();
}
