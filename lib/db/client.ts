import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { lockDataDir } from "./embedded-lock";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Functions that may run inside or outside a transaction take this. */
export type DbOrTx = Db | Tx;

export type DatabaseTarget = { kind: "pglite"; dataDir: string | null } | { kind: "postgres"; url: string };

export interface DatabaseHandle {
  db: Db;
  target: DatabaseTarget;
  /** True when the database is embedded (PGlite). */
  embedded: boolean;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
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

/** Opens a new handle and brings its schema up to date. Most code wants `getDatabase()` instead. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === "pglite") {
    if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
    // One process per directory (embedded-lock.ts): taken before PGlite reads a page.
    const lock = target.dataDir ? lockDataDir(target.dataDir) : undefined;
    try {
      const client = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
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

  const pool = new pg.Pool({
    connectionString: target.url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // A request never waits long for a connection: fail, and let the caller answer 503.
    connectionTimeoutMillis: 5_000,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", (err) =>
    console.error(JSON.stringify({ level: "error", msg: "pg pool", err: err.message })),
  );
  const db = drizzlePg({ client: pool, schema });
  // Several instances may start at once against one PostgreSQL: one migrates, the rest wait.
  const lockClient = await pool.connect();
  try {
    await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await migratePg(drizzlePg({ client: lockClient, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
    lockClient.release();
  }
  return { db, target, embedded: false, close: () => pool.end() };
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

/** A cheap round trip, for readiness checks. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
