/**
 * Backups of the embedded database (PGlite) and their restore, with PGlite's own `dumpDataDir` and
 * `loadDataDir`: a tarball of the whole data directory, which PGlite starts from as PostgreSQL starts
 * after a crash (docs/backups.md). PostgreSQL has its own tools for this (`pg_dump`), so none of this
 * applies there.
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { createGzip, gunzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { type Db, MIGRATIONS_FOLDER, PGLITE_OPTIONS } from "./client";
import { DatabaseLockedError, LOCK_FILE, lockDataDir } from "./embedded-lock";
import * as schema from "./schema";

/** What a backup needs of PGlite. */
type EmbeddedClient = Pick<PGlite, "transaction" | "dumpDataDir">;

/** The PGlite client under a Drizzle database, or null when the database is PostgreSQL. */
export function embeddedClient(db: Db): EmbeddedClient | null {
  // Drizzle keeps the driver's client as `$client` (drizzle-orm/pglite's `PgliteDatabase`).
  const client: unknown = (db as { $client?: unknown }).$client;
  return client instanceof PGlite ? client : null;
}

/**
 * A consistent copy of the embedded database: an uncompressed tarball of its data directory.
 *
 * PGlite has one connection and runs one transaction at a time: inside a transaction of our own, no
 * other is half-done, and every other query and transaction (requests, usage batches, the expiry
 * scan) waits for this one, then goes on. The checkpoint writes PostgreSQL's buffers to the data files
 * first, so a restore does not have to replay the write-ahead log. Compression happens afterwards,
 * outside the transaction (`gzipTar`): the database waits only for the copy itself.
 */
export async function dumpEmbedded(client: EmbeddedClient): Promise<Blob> {
  return client.transaction(async (tx) => {
    await tx.exec("checkpoint");
    return client.dumpDataDir("none");
  });
}

const PIECE = 8 * 1024 * 1024;

/**
 * The tarball gzipped by zlib in Node's thread pool: the event loop and the database go on meanwhile.
 * In pieces of 8 MiB, in and out: zlib comes back to the event loop after each piece, and under load
 * each return waits its turn behind the requests — with zlib's default 16 KiB pieces, the demo's
 * backup took 77 s to compress under the 50 connections of tests/backup.test.ts instead of 4. Read
 * from the copy piece by piece, so the copy is not held twice.
 */
export async function gzipTar(tar: Blob): Promise<Uint8Array<ArrayBuffer>> {
  const zip = createGzip({ chunkSize: PIECE });
  const out: Buffer[] = [];
  zip.on("data", (piece: Buffer) => out.push(piece));
  const ended = once(zip, "end");
  for (let offset = 0; offset < tar.size; offset += PIECE) {
    const piece = new Uint8Array(await tar.slice(offset, offset + PIECE).arrayBuffer());
    if (!zip.write(piece)) await once(zip, "drain");
  }
  zip.end();
  await ended;
  const all = Buffer.concat(out);
  // A buffer of its own (Buffer.concat of this size never uses the shared pool), never a SharedArrayBuffer.
  return new Uint8Array(all.buffer as ArrayBuffer, all.byteOffset, all.length);
}

/** A restore the operator must change something for: the message says what. */
export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefusedError";
  }
}

const BLOCK = 512;

/** The entries' names and contents of an uncompressed tarball (ustar), or null if it is not one. */
function tarEntries(tar: Uint8Array): Map<string, Uint8Array> | null {
  const entries = new Map<string, Uint8Array>();
  const text = (from: number, length: number) => {
    const field = tar.subarray(from, from + length);
    const end = field.indexOf(0);
    return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString("utf8");
  };
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    // Two zero blocks end the archive; one is enough to stop reading.
    if (tar.subarray(offset, offset + BLOCK).every((b) => b === 0)) return entries;
    if (text(offset + 257, 5) !== "ustar") return null;
    const sizeField = text(offset + 124, 12).trim();
    if (!/^[0-7]+$/.test(sizeField)) return null;
    const size = parseInt(sizeField, 8);
    const prefix = text(offset + 345, 155);
    const name = (prefix ? `${prefix}/` : "") + text(offset, 100);
    const start = offset + BLOCK;
    if (start + size > tar.length) return null;
    entries.set(name.replace(/^(\.?\/)+/, ""), tar.subarray(start, start + size));
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

export interface DumpFile {
  /** The uncompressed tarball. */
  tar: Uint8Array<ArrayBuffer>;
  /** PostgreSQL's major version in the backup (its PG_VERSION). */
  postgresVersion: string;
}

/**
 * Checks that `bytes` is a backup of an embedded database (a gzip tarball of a PostgreSQL data
 * directory, as `POST /v2/backup` sends) and returns its tarball; otherwise RestoreRefusedError.
 */
export function readDumpFile(bytes: Uint8Array, name: string): DumpFile {
  const notADump = (why: string) =>
    new RestoreRefusedError(`${name} is not a Keydesk backup (${why}). Use a file from POST /v2/backup.`);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw notADump("not gzip");
  let tar: Uint8Array<ArrayBuffer>;
  try {
    tar = new Uint8Array(gunzipSync(bytes));
  } catch {
    throw notADump("the gzip data is damaged or cut short");
  }
  const entries = tarEntries(tar);
  if (!entries) throw notADump("not a tar archive");
  const version = entries.get("PG_VERSION");
  if (!version || !entries.has("global/pg_control"))
    throw notADump("no PostgreSQL data directory in the archive");
  return { tar, postgresVersion: Buffer.from(version).toString("utf8").trim() };
}

export interface RestoreResult<T> {
  /** Where what was in the data directory went (`--force`), or null when it was empty. */
  movedAsideTo: string | null;
  /** Migrations of this build the backup did not have yet, now applied. */
  migrationsApplied: number;
  /** What `inspect` returned. */
  details: T;
}

const STAGING = ".restoring";

/** `2026-12-06T20-15-03Z`: a time for file names. */
export function fileStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/:/g, "-");
}

async function appliedMigrations(client: PGlite): Promise<number> {
  const result = await client.query<{ n: number }>(
    "select count(*)::int as n from drizzle.__drizzle_migrations",
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * Restores a backup into `dataDir`, holding the directory's lock throughout (a server using it is
 * refused: RestoreRefusedError). A directory with anything in it is refused unless `force`, which
 * moves its contents aside into `<dataDir>.before-restore-<time>` (never deletes them). The backup is
 * loaded by PGlite (`loadDataDir`) into a staging directory inside `dataDir`, whose files then move
 * into place with PG_VERSION last (a restore cut short leaves no directory that looks ready), then
 * this build's migrations run, then `inspect` reads (and may write to) the restored database.
 */
export async function restoreEmbedded<T>(input: {
  dump: DumpFile;
  dataDir: string;
  force: boolean;
  now: Date;
  inspect: (db: Db) => Promise<T>;
}): Promise<RestoreResult<T>> {
  const { dataDir } = input;
  mkdirSync(dataDir, { recursive: true });
  let lock;
  try {
    lock = lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof DatabaseLockedError)
      throw new RestoreRefusedError(`A server is using ${dataDir} (pid ${err.holderPid}); stop it first.`);
    throw err;
  }
  const staging = path.join(dataDir, STAGING);
  let movedAsideTo: string | null = null;
  try {
    rmSync(staging, { recursive: true, force: true });
    const present = readdirSync(dataDir).filter((name) => name !== LOCK_FILE);
    if (present.length > 0) {
      if (!input.force)
        throw new RestoreRefusedError(
          `${dataDir} is not empty. Restore into an empty directory (--data-dir), or add --force to move ` +
            `what is in it aside first.`,
        );
      movedAsideTo = `${dataDir}.before-restore-${fileStamp(input.now)}`;
      mkdirSync(movedAsideTo);
      for (const name of present) renameSync(path.join(dataDir, name), path.join(movedAsideTo, name));
    }

    const loader = new PGlite(staging, {
      ...PGLITE_OPTIONS,
      loadDataDir: new Blob([input.dump.tar], { type: "application/x-tar" }),
    });
    try {
      await loader.waitReady;
    } catch (err) {
      throw new RestoreRefusedError(
        `PGlite could not start from this backup (PostgreSQL ${input.dump.postgresVersion}): ` +
          `${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      await loader.close().catch(() => undefined);
    }
    // The backed-up server's lock came along in the tarball: the server was that process, not us.
    const files = readdirSync(staging).filter((name) => !name.startsWith(LOCK_FILE));
    for (const name of [...files.filter((n) => n !== "PG_VERSION"), "PG_VERSION"])
      renameSync(path.join(staging, name), path.join(dataDir, name));
    rmSync(staging, { recursive: true, force: true });

    const client = new PGlite(dataDir, PGLITE_OPTIONS);
    try {
      const db = drizzle({ client, schema });
      const before = await appliedMigrations(client);
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      const migrationsApplied = (await appliedMigrations(client)) - before;
      return { movedAsideTo, migrationsApplied, details: await input.inspect(db) };
    } finally {
      await client.close();
    }
  } catch (err) {
    // Whatever failed, the operator must know where the database they had went.
    if (movedAsideTo && err instanceof Error)
      err.message += ` What was in ${dataDir} before is in ${movedAsideTo}.`;
    throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}
