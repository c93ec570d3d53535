import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openAppDatabase } from "../server/app-database";
import { closeDatabase, openDatabase, parseDatabaseUrl, type Db } from "./client";
import { demoWanted, isEmpty, seedDemoDirectory } from "../directory/demo-seed";
import { accounts, organizations, spaces, users } from "./schema";
import { openScratchPostgres, testDatabases } from "../testing/test-databases";

const postgresUrl = process.env.TEST_DATABASE_URL;
const journal = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "migrations", "meta", "_journal.json"), "utf8"),
) as { entries: unknown[] };

describe("parseDatabaseUrl", () => {
  const cwd = "/srv/keydesk";
  it.each([
    [undefined, { kind: "pglite", dataDir: path.join(cwd, ".data", "pglite") }],
    ["", { kind: "pglite", dataDir: path.join(cwd, ".data", "pglite") }],
    ["   ", { kind: "pglite", dataDir: path.join(cwd, ".data", "pglite") }],
    ["pglite:memory", { kind: "pglite", dataDir: null }],
    ["memory://", { kind: "pglite", dataDir: null }],
    ["pglite:./data/db", { kind: "pglite", dataDir: "/srv/keydesk/data/db" }],
    ["pglite:relative", { kind: "pglite", dataDir: "/srv/keydesk/relative" }],
    ["pglite:/var/lib/keydesk", { kind: "pglite", dataDir: "/var/lib/keydesk" }],
    [" pglite:/var/lib/keydesk ", { kind: "pglite", dataDir: "/var/lib/keydesk" }],
    ["postgres://u:p@db:5432/keydesk", { kind: "postgres", url: "postgres://u:p@db:5432/keydesk" }],
    [
      "postgresql://db/keydesk?sslmode=require",
      { kind: "postgres", url: "postgresql://db/keydesk?sslmode=require" },
    ],
  ])("%j → %j", (url, expected) => {
    expect(parseDatabaseUrl(url, cwd)).toEqual(expected);
  });

  it.each(["pglite:", "mysql://db/keydesk", "sqlite:keydesk.db", "postgres:/missing-slash", "/var/lib/db"])(
    "refuses %j",
    (url) => {
      expect(() => parseDatabaseUrl(url, cwd)).toThrow(/DATABASE_URL|pglite/);
    },
  );
});

async function directoryCounts(db: Db) {
  const [a] = await db.select({ n: count() }).from(accounts);
  const [o] = await db.select({ n: count() }).from(organizations);
  const [s] = await db.select({ n: count() }).from(spaces);
  const [u] = await db.select({ n: count() }).from(users);
  return { accounts: a?.n, organizations: o?.n, spaces: s?.n, users: u?.n };
}

const env = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

const ONE_DIRECTORY = { accounts: 1, organizations: 2, spaces: 3, users: 3 };

// These open databases inside the tests; PGlite start-up is slow on a loaded 2-core machine.
const OPENS = { timeout: 120_000 };

describe("demo seeding rules", OPENS, () => {
  afterEach(async () => {
    await closeDatabase();
    vi.unstubAllEnvs();
  });

  it("demoWanted: embedded yes, PostgreSQL only with KEYDESK_DEMO=1, KEYDESK_DEMO=0 disables", async () => {
    const embedded = await openDatabase({ kind: "pglite", dataDir: null });
    try {
      const server = { ...embedded, embedded: false };
      expect(demoWanted(embedded, env({}))).toBe(true);
      expect(demoWanted(embedded, env({ KEYDESK_DEMO: "0" }))).toBe(false);
      expect(demoWanted(embedded, env({ KEYDESK_DEMO: "1" }))).toBe(true);
      expect(demoWanted(server, env({}))).toBe(false);
      expect(demoWanted(server, env({ KEYDESK_DEMO: "1" }))).toBe(true);
      expect(demoWanted(server, env({ KEYDESK_DEMO: "0" }))).toBe(false);
    } finally {
      await embedded.close();
    }
  });

  it("openAppDatabase seeds an empty embedded database once", async () => {
    vi.stubEnv("DATABASE_URL", "pglite:memory");
    vi.stubEnv("KEYDESK_DEMO", undefined);
    const lines: string[] = [];
    const handle = await openAppDatabase((line) => lines.push(line));
    expect(await directoryCounts(handle.db)).toEqual(ONE_DIRECTORY);
    expect(lines.join("\n")).toMatch(/demo directory/);
    // The demo password is never printed.
    expect(lines.join("\n")).not.toContain("keydesk-demo");
    expect(await seedDemoDirectory(handle.db)).toBe(false);
    expect(await directoryCounts(handle.db)).toEqual(ONE_DIRECTORY);
  });

  it("openAppDatabase leaves an embedded database alone with KEYDESK_DEMO=0", async () => {
    vi.stubEnv("DATABASE_URL", "pglite:memory");
    vi.stubEnv("KEYDESK_DEMO", "0");
    const handle = await openAppDatabase(() => undefined);
    expect(await isEmpty(handle.db)).toBe(true);
  });

  it.runIf(postgresUrl)("openAppDatabase does not seed PostgreSQL unless KEYDESK_DEMO=1", async () => {
    for (const [demo, expected] of [
      [undefined, true],
      ["1", false],
    ] as const) {
      const scratch = await openScratchPostgres(postgresUrl ?? "");
      try {
        vi.stubEnv("DATABASE_URL", scratch.url);
        vi.stubEnv("KEYDESK_DEMO", demo);
        const handle = await openAppDatabase(() => undefined);
        expect(handle.embedded).toBe(false);
        expect(await isEmpty(handle.db)).toBe(expected);
        await closeDatabase();
      } finally {
        await scratch.close();
      }
    }
  });
});

describe("a new embedded data directory", OPENS, () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keydesk-new-dir-"));
    dirs.push(dir);
    return path.join(dir, "pglite");
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("is created outside the opening process, whose memory stays that of a second start", () => {
    // PGlite's initdb grows WebAssembly memory that a process never hands back (571 MiB of external
    // memory after opening a new directory in-process, against ~150 MiB when it is created apart).
    const dataDir = newDir();
    const script = `
      const { openDatabase } = await import(${JSON.stringify(path.join(import.meta.dirname, "client.ts"))});
      const handle = await openDatabase({ kind: "pglite", dataDir: process.argv[1] });
      const external = process.memoryUsage().external;
      const [{ n }] = (await handle.db.execute("select count(*)::int as n from accounts")).rows;
      await handle.close();
      console.log(JSON.stringify({ external, n }));`;
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script, dataDir],
      {
        encoding: "utf8",
      },
    );
    const { external, n } = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
      external: number;
      n: number;
    };
    expect(n).toBe(0);
    expect(external / 2 ** 20).toBeLessThan(300);
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(dataDir, ".initializing"))).toBe(false);
  });

  it("a start stopped half-way through creating it leaves nothing that looks ready: the next start creates it", async () => {
    const dataDir = newDir();
    // What a killed first start leaves: a half-made database in the staging folder, no PG_VERSION.
    mkdirSync(path.join(dataDir, ".initializing", "base"), { recursive: true });
    writeFileSync(path.join(dataDir, ".initializing", "base", "1"), "half-written");
    const first = await openDatabase({ kind: "pglite", dataDir });
    try {
      expect(await isEmpty(first.db)).toBe(true);
      await seedDemoDirectory(first.db);
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(dataDir, ".initializing"))).toBe(false);
    const again = await openDatabase({ kind: "pglite", dataDir });
    try {
      expect(await directoryCounts(again.db)).toEqual(ONE_DIRECTORY);
    } finally {
      await again.close();
    }
  });
});

describe.each(testDatabases())("seeding and migrating concurrently ($name)", OPENS, (database) => {
  it("two concurrent seedDemoDirectory calls on one database create one directory", async () => {
    const handle = await database.open();
    try {
      const results = await Promise.all([seedDemoDirectory(handle.db), seedDemoDirectory(handle.db)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await directoryCounts(handle.db)).toEqual(ONE_DIRECTORY);
    } finally {
      await handle.close();
    }
  });

  it.runIf(database.name === "postgres")(
    "two instances seeding one PostgreSQL database at once create one directory",
    async () => {
      const handle = await database.open();
      const other = await openDatabase(parseDatabaseUrl(handle.url));
      try {
        const results = await Promise.all([seedDemoDirectory(handle.db), seedDemoDirectory(other.db)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await directoryCounts(handle.db)).toEqual(ONE_DIRECTORY);
      } finally {
        await other.close();
        await handle.close();
      }
    },
  );
});

describe.runIf(postgresUrl)("migrations on PostgreSQL", OPENS, () => {
  it("two openDatabase calls at once on one fresh database both succeed (advisory lock)", async () => {
    const base = postgresUrl ?? "";
    const name = `keydesk_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      const target = parseDatabaseUrl(url.toString());
      const handles = await Promise.all([openDatabase(target), openDatabase(target), openDatabase(target)]);
      try {
        for (const handle of handles) expect(await isEmpty(handle.db)).toBe(true);
        const check = new pg.Client({ connectionString: url.toString() });
        await check.connect();
        try {
          const applied = await check.query<{ n: number }>(
            "select count(*)::int as n from drizzle.__drizzle_migrations",
          );
          expect(applied.rows[0]?.n).toBe(journal.entries.length);
        } finally {
          await check.end();
        }
      } finally {
        await Promise.all(handles.map((h) => h.close()));
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
