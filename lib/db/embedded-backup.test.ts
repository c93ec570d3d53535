/**
 * embedded-backup.ts on PGlite (backups are PGlite's by nature; PostgreSQL's 501 is in
 * lib/api/backup.test.ts): a backup made by an older build — its database one migration behind this
 * one — is restored, and the restore brings it up to date; the backed-up server's lock does not come
 * along.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase } from "./client";
import { dumpEmbedded, readDumpFile, restoreEmbedded } from "./embedded-backup";
import { LOCK_FILE } from "./embedded-lock";

describe("restoreEmbedded", { timeout: 120_000 }, () => {
  const work = mkdtempSync(path.join(tmpdir(), "keydesk-embedded-backup-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("runs the migrations a backup from an older build lacks, and leaves no lock behind", async () => {
    // An older build: this build's migrations without the last one.
    const older = path.join(work, "older-migrations");
    cpSync(MIGRATIONS_FOLDER, older, { recursive: true });
    const journalFile = path.join(older, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
    journal.entries.pop();
    writeFileSync(journalFile, JSON.stringify(journal));

    const backedUp = path.join(work, "backed-up");
    const client = new PGlite(backedUp);
    let file: Uint8Array;
    try {
      await migrate(drizzle({ client }), { migrationsFolder: older });
      // As a running server's directory holds it: its lock (another live process's), which goes into the tarball.
      writeFileSync(path.join(backedUp, LOCK_FILE), JSON.stringify({ pid: process.ppid, started: null }));
      file = gzipSync(new Uint8Array(await (await dumpEmbedded(client)).arrayBuffer()));
    } finally {
      await client.close();
    }

    const dataDir = path.join(work, "restored");
    const result = await restoreEmbedded({
      dump: readDumpFile(file, "older.tar.gz"),
      dataDir,
      force: false,
      now: new Date(),
      inspect: async () => "inspected",
    });
    expect(result).toEqual({ movedAsideTo: null, migrationsApplied: 1, details: "inspected" });
    // The restore's own lock is gone, and the backed-up server's was never put in place.
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    // A server opens it: migrated, nothing left to apply.
    const handle = await openDatabase({ kind: "pglite", dataDir });
    await handle.close();
  });
});
