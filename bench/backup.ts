/**
 * What a backup of the embedded database costs (docs/backups.md): `npx tsx bench/backup.ts`.
 * For the demo directory alone and with 10,000 and 100,000 more keys (bench/seed.ts: half a user's,
 * half a space's), on a PGlite data directory in a temp dir: the directory's size on disk, then
 * `POST /v2/backup` in process (the keys API over the same handle a server holds) — how long the
 * database was held for the copy (the audit row's `copy_ms`), the whole answer, the file's size — and
 * `npm run admin -- restore`'s work (lib/db/embedded-backup.ts) into a new directory.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { createApi } from "../lib/api/app";
import { systemClock } from "../lib/clock";
import { openDatabase } from "../lib/db/client";
import { readDumpFile, restoreEmbedded } from "../lib/db/embedded-backup";
import { auditLog } from "../lib/db/schema";
import { recordRestore } from "../lib/directory/backup";
import { seedDemoDirectory } from "../lib/directory/demo-seed";
import { DEMO, seed, withSql } from "./seed";

const SIZES = [0, 10_000, 100_000];

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const duBytes = (dir: string) =>
  Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);

async function measure(keys: number): Promise<string> {
  const work = mkdtempSync(path.join(os.tmpdir(), "keydesk-bench-backup-"));
  const dir = path.join(work, "data");
  try {
    const setup = await openDatabase({ kind: "pglite", dataDir: dir });
    await seedDemoDirectory(setup.db);
    await setup.close();
    // Half a user's keys, half a space's.
    if (keys > 0) await withSql({ kind: "pglite", dir }, (sql) => seed(sql, [1, keys / 2], null));

    const handle = await openDatabase({ kind: "pglite", dataDir: dir });
    let file: Uint8Array;
    let copyMs: unknown;
    let totalMs: number;
    try {
      const api = createApi({ db: handle.db, usageFlushMs: 0 });
      const signIn = await api.request("/v2/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(DEMO),
      });
      const { token } = (await signIn.json()) as { token: string };
      const started = performance.now();
      const res = await api.request("/v2/backup", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      file = new Uint8Array(await res.arrayBuffer());
      totalMs = performance.now() - started;
      if (res.status !== 200) throw new Error(`POST /v2/backup: ${res.status}`);
      const [row] = await handle.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, "backup.create"))
        .orderBy(desc(auditLog.id))
        .limit(1);
      copyMs = row?.details?.copy_ms;
      await api.close();
    } finally {
      await handle.close();
    }
    const onDisk = duBytes(dir);

    const started = performance.now();
    const restored = await restoreEmbedded({
      dump: readDumpFile(file, "bench"),
      dataDir: path.join(work, "restored"),
      force: false,
      now: new Date(),
      inspect: (db) => recordRestore({ db, clock: systemClock, fileName: "bench" }),
    });
    const restoreMs = performance.now() - started;
    const total = restored.details.activeKeys + restored.details.revokedKeys;
    return (
      `| ${keys === 0 ? "demo" : `demo + ${keys.toLocaleString("en")} keys`} (${total.toLocaleString("en")} keys) ` +
      `| ${mib(onDisk)} | ${copyMs} ms | ${Math.round(totalMs)} ms | ${mib(file.length)} | ${Math.round(restoreMs)} ms |`
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const rows: string[] = [];
for (const keys of SIZES) rows.push(await measure(keys));
console.log(
  [
    "| database | data directory | database held (copy) | POST /v2/backup | file (gzip) | restore |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n"),
);
