/**
 * Backup and restore of the embedded database, whole (docs/backups.md, operations.md "Backup and
 * restore"): a real server on a PGlite directory, keys made and some revoked, 50 connections verifying
 * and creating keys while an admin takes POST /v2/backup; the load sees no error. Then the real admin
 * CLI (`scripts/admin.ts restore`, as `npm run admin` runs it) restores the file into a new directory,
 * a new server starts on it, and every key confirmed before the backup verifies, every key revoked
 * before it stays refused. The CLI's refusals too: a directory a server holds, a directory with
 * something in it (without --force; with it, the old contents are moved aside), a file that is no
 * backup. The route's refusals on both databases are lib/api/backup.test.ts.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { REPO_ROOT, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

const CONNECTIONS = 50;
/** Of the connections, how many create keys; the rest verify them. */
const CREATORS = 10;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- restore …`: the real script in a child process. */
function runRestore(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin.ts", "restore", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const startServer = (dataDir: string) =>
  spawnServer({
    env: {
      DATABASE_URL: `pglite:${dataDir}`,
      KEYDESK_DEMO: "1",
      // The load creates keys by the hundred and checks revoked ones: no per-caller limits here.
      KEYS_CHANGES_PER_MINUTE: "1000000",
      KEYS_FAILED_AUTH_PER_MINUTE: "0",
    },
    timeoutMs: 200_000,
  });

async function signIn(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/v2/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

interface Key {
  id: string;
  key: string;
}

async function createKey(base: string, token: string, body: Record<string, unknown>): Promise<Key> {
  const res = await fetch(`${base}/v2/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`create: ${res.status} ${text}`);
  return JSON.parse(text) as Key;
}

async function meStatus(base: string, key: string): Promise<number> {
  const res = await fetch(`${base}/v2/me`, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  return res.status;
}

describe("backup under load, then restore into a new directory", { timeout: 400_000 }, () => {
  const work = mkdtempSync(path.join(tmpdir(), "keydesk-backup-"));
  const dataDir = path.join(work, "data");
  const restoredDir = path.join(work, "restored");
  const backupFile = path.join(work, "backup.tar.gz");
  const servers: SpawnedServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(work, { recursive: true, force: true });
  });

  it("every key confirmed before the backup verifies after the restore; revoked ones stay refused", async () => {
    const server = await startServer(dataDir);
    servers.push(server);
    const base = server.baseUrl;
    const admin = await signIn(base, DEMO_USERS.admin.email);
    const member = await signIn(base, DEMO_USERS.member.email);
    const spaceId = (
      (await (await fetch(`${base}/v2/me`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
        organizations: { spaces: { id: string }[] }[];
      }
    ).organizations[0]?.spaces[0]?.id;
    expect(spaceId).toBeDefined();

    // Keys of both kinds, some of them revoked before the backup.
    const live: Key[] = [];
    const revoked: Key[] = [];
    for (let i = 0; i < 24; i++) {
      const key =
        i % 3 === 0
          ? await createKey(base, admin, {
              name: `service ${i}`,
              key_type: "service",
              space_id: spaceId,
              roles: {},
            })
          : await createKey(base, i % 2 ? member : admin, { name: `user ${i}` });
      if (i % 4 === 1) {
        const res = await fetch(`${base}/v2/api-keys/${encodeURIComponent(key.id)}/revoke`, {
          method: "PUT",
          headers: { authorization: `Bearer ${admin}` },
        });
        expect(res.status).toBe(204);
        revoked.push(key);
      } else live.push(key);
    }
    for (const key of revoked) expect(await meStatus(base, key.key)).toBe(401);

    // The load: verifiers check the live keys, creators make new ones; every answer is checked.
    const errors: string[] = [];
    /** Keys whose 201 arrived, with the time it arrived. */
    const created: { key: Key; confirmedAt: number }[] = [];
    let completed = 0;
    let stop = false;
    let backupStartedAt = Infinity;
    let backupEndedAt = Infinity;
    let servedDuringBackup = 0;
    const count = () => {
      completed++;
      const now = performance.now();
      if (now > backupStartedAt && now < backupEndedAt) servedDuringBackup++;
    };
    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          if (n < CREATORS) {
            const key = await createKey(base, n % 2 ? member : admin, { name: `load ${n}.${i}` });
            created.push({ key, confirmedAt: performance.now() });
          } else {
            const key = live[(n + i) % live.length];
            if (!key) throw new Error("no key");
            const status = await meStatus(base, key.key);
            if (status !== 200) throw new Error(`GET /v2/me answered ${status}`);
          }
          count();
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CONNECTIONS }, (_, n) => worker(n)));
    await vi.waitFor(() => expect(completed).toBeGreaterThanOrEqual(500), { timeout: 60_000, interval: 50 });

    backupStartedAt = performance.now();
    const backup = await fetch(`${base}/v2/backup`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
    });
    const bytes = Buffer.from(await backup.arrayBuffer());
    backupEndedAt = performance.now();
    expect(backup.status, bytes.toString("utf8", 0, 300)).toBe(200);
    expect(backup.headers.get("content-disposition")).toMatch(
      /^attachment; filename="keydesk-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.tar\.gz"$/,
    );
    writeFileSync(backupFile, bytes);
    // The load goes on a little after the backup, then stops.
    const after = completed;
    await vi.waitFor(() => expect(completed).toBeGreaterThanOrEqual(after + 200), {
      timeout: 60_000,
      interval: 50,
    });
    stop = true;
    await load;
    expect(errors).toEqual([]);
    // Requests were answered while the backup was taken and sent, not only before and after.
    expect(servedDuringBackup).toBeGreaterThan(0);
    const confirmedBefore = created.filter((c) => c.confirmedAt < backupStartedAt).map((c) => c.key);
    expect(confirmedBefore.length).toBeGreaterThan(0);
    console.log(
      `backup under load: ${bytes.length} bytes in ${Math.round(backupEndedAt - backupStartedAt)} ms; ` +
        `${servedDuringBackup} requests answered meanwhile; ${completed} in all, ${created.length} keys created`,
    );

    // A server holds the directory: the restore refuses it and touches nothing.
    const locked = await runRestore([backupFile, "--data-dir", dataDir]);
    expect(locked.code, locked.stderr).toBe(1);
    expect(locked.stderr).toContain(`A server is using ${dataDir}`);
    expect(locked.stderr).toContain("stop it first");
    expect(await server.stop()).toBe(0);

    const restored = await runRestore([backupFile, "--data-dir", restoredDir]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(
      new RegExp(
        `Restored .* into ${restoredDir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: 1 account, 3 people`,
      ),
    );
    expect(restored.stdout).toContain(`${revoked.length} revoked API keys`);

    const second = await startServer(restoredDir);
    servers.push(second);
    const failures: string[] = [];
    for (const key of [...live, ...confirmedBefore]) {
      const status = await meStatus(second.baseUrl, key.key);
      if (status !== 200) failures.push(`${key.id} (confirmed before the backup): ${status}`);
    }
    for (const key of revoked) {
      const status = await meStatus(second.baseUrl, key.key);
      if (status !== 401) failures.push(`${key.id} (revoked before the backup): ${status}`);
    }
    expect(failures).toEqual([]);
    expect(await second.stop()).toBe(0);
  });

  it("refuses a directory with something in it without --force; with it, moves the contents aside and says where", async () => {
    expect(existsSync(path.join(restoredDir, "PG_VERSION"))).toBe(true);
    const refused = await runRestore([backupFile, "--data-dir", restoredDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${restoredDir} is not empty`);
    expect(refused.stderr).toContain("--force");

    const forced = await runRestore([backupFile, "--data-dir", restoredDir, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    const moved = /Moved what was in .* to (\S+)\.\n/.exec(forced.stdout)?.[1];
    expect(moved, forced.stdout).toBeDefined();
    expect(readdirSync(moved ?? "")).toContain("PG_VERSION");
    expect(existsSync(path.join(restoredDir, "PG_VERSION"))).toBe(true);
  });

  it("refuses a file that is not a backup, leaving the directory empty", async () => {
    const target = path.join(work, "never");
    for (const [name, content, why] of [
      ["notes.txt", Buffer.from("not a backup\n"), "not gzip"],
      ["notes.txt.gz", gzipSync("not a backup\n"), "no PostgreSQL data directory in the archive"],
      ["cut.tar.gz", readFileSync(backupFile).subarray(0, 4096), "the gzip data is damaged or cut short"],
    ] as const) {
      const file = path.join(work, name);
      writeFileSync(file, content);
      const run = await runRestore([file, "--data-dir", target]);
      expect(run.code, run.stdout).toBe(1);
      expect(run.stderr).toContain(`${file} is not a Keydesk backup (${why}).`);
    }
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  });
});
