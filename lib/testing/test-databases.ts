import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "../db/client";

/**
 * The databases every database-backed suite runs on: PGlite always, and PostgreSQL too when
 * TEST_DATABASE_URL is set. Each `open()` gives a fresh, migrated, empty database.
 */
export interface TestDatabase {
  name: "pglite" | "postgres";
  open(): Promise<TestDatabaseHandle>;
}

export interface TestDatabaseHandle extends DatabaseHandle {
  /** A URL another process can use to reach the same database. */
  url: string;
}

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: "pglite",
      open: async () => ({
        ...(await openDatabase({ kind: "pglite", dataDir: null })),
        url: "pglite:memory",
      }),
    },
  ];
  const base = process.env.TEST_DATABASE_URL;
  if (base) list.push({ name: "postgres", open: () => openScratchPostgres(base) });
  return list;
}

/** Creates a uniquely named database on the server of `baseUrl`; closing the handle drops it. */
export async function openScratchPostgres(baseUrl: string): Promise<TestDatabaseHandle> {
  const name = `keydesk_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString() });
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
