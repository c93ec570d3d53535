/**
 * Bulk rows for the benchmarks (bench/run.ts, bench/explain.ts): keys of a user and of a space, and
 * people, added to the demo directory with plain SQL. PGlite is opened here, so its server must be
 * stopped while it is seeded.
 */
import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { openDatabase } from "../lib/db/client";

export const DEMO = { email: "admin@example.com", password: "keydesk-demo" };

export type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Runs `work` against the database with one client, in one transaction, then ANALYZE. */
export async function withSql(target: DbTarget, work: (sql: Sql) => Promise<void>): Promise<void> {
  if (target.kind === "postgres") {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const sql: Sql = async (text, params) =>
        (await client.query(text, params)).rows as Record<string, unknown>[];
      await sql("begin");
      await work(sql);
      await sql("commit");
      await sql("analyze");
    } finally {
      await client.end();
    }
    return;
  }
  // Migrations are applied by the server already; opening through openDatabase keeps them in step.
  const handle = await openDatabase({ kind: "pglite", dataDir: target.dir });
  await handle.close();
  const lite = new PGlite(target.dir);
  try {
    const sql: Sql = async (text, params) => (await lite.query<Record<string, unknown>>(text, params)).rows;
    await sql("begin");
    await work(sql);
    await sql("commit");
    await sql("analyze");
  } finally {
    await lite.close();
  }
}

export type DbTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };

/** Seeded rows are older than anything the bench creates, one second apart, ids derived from i. */
export const SEED_EPOCH_MS = Date.UTC(2026, 0, 1);
export const seededAt = (i: number) => new Date(SEED_EPOCH_MS - i * 1000);
export function seededUuid(kind: string, i: number): string {
  const h = createHash("md5").update(`bench-${kind}-${i}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface Ids {
  accountId: string;
  adminId: string;
  spaceId: string;
  organizationId: string;
}

export async function demoIds(sql: Sql): Promise<Ids> {
  const [row] = await sql(
    `select u.id as admin_id, u.account_id, s.id as space_id, s.organization_id
     from users u join organizations o on o.account_id = u.account_id
     join spaces s on s.organization_id = o.id
     where u.email = $1 and s.name = 'Production'`,
    [DEMO.email],
  );
  if (!row) throw new Error("the demo directory (admin, space Production) is missing");
  return {
    accountId: String(row.account_id),
    adminId: String(row.admin_id),
    spaceId: String(row.space_id),
    organizationId: String(row.organization_id),
  };
}

/**
 * Rows [from, to] of: the admin's user keys, service keys of space Production (all acting as one bot
 * user), and people who are members of the account, of Platform and of Production.
 */
export async function seed(sql: Sql, keys: [number, number], people: [number, number] | null): Promise<void> {
  const ids = await demoIds(sql);
  const botId = seededUuid("bot", 0);
  await sql(
    `insert into users (id, account_id, kind, name, account_role, created_at)
     values ($1, $2, 'bot', 'bench service keys', 'member', $3) on conflict do nothing`,
    [botId, ids.accountId, seededAt(0).toISOString()],
  );
  for (const [type, userId, spaceId] of [
    ["user", ids.adminId, null],
    ["service", botId, ids.spaceId],
  ] as const) {
    await sql(
      `insert into api_keys (id, account_id, key_type, name, status, created_by_user_id, user_id, space_id,
                             redacted_key, created_at)
       select md5('bench-${type}-key-' || i)::uuid, $1, '${type}', 'bench ${type} key ' || i, 'active', $2, $3,
              $4::uuid, 'ak-' || substr(md5('r' || i), 1, 3) || '...' || substr(md5('s' || i), 1, 3),
              $5::timestamptz - i * interval '1 second'
       from generate_series($6::int, $7::int) as i`,
      [ids.accountId, ids.adminId, userId, spaceId, new Date(SEED_EPOCH_MS).toISOString(), keys[0], keys[1]],
    );
    await sql(
      `insert into api_key_secrets (id, api_key_id, digest, is_current, created_at)
       select md5('bench-${type}-secret-' || i)::uuid, md5('bench-${type}-key-' || i)::uuid,
              encode(sha256(('bench-${type}-digest-' || i)::bytea), 'hex'), true,
              $1::timestamptz - i * interval '1 second'
       from generate_series($2::int, $3::int) as i`,
      [new Date(SEED_EPOCH_MS).toISOString(), keys[0], keys[1]],
    );
  }
  if (people) {
    await sql(
      `insert into users (id, account_id, kind, name, email, account_role, created_at)
       select md5('bench-person-' || i)::uuid, $1, 'human', 'Bench Person ' || lpad(i::text, 6, '0'),
              'bench-person-' || i || '@example.com', 'member', $2::timestamptz - i * interval '1 second'
       from generate_series($3::int, $4::int) as i`,
      [ids.accountId, new Date(SEED_EPOCH_MS).toISOString(), people[0], people[1]],
    );
    await sql(
      `insert into organization_memberships (user_id, organization_id, role, user_created_at, user_kind)
       select u.id, $1, 'member', u.created_at, u.kind
       from generate_series($2::int, $3::int) as i join users u on u.id = md5('bench-person-' || i)::uuid`,
      [ids.organizationId, people[0], people[1]],
    );
    await sql(
      `insert into space_memberships (user_id, space_id, role, user_created_at, user_kind)
       select u.id, $1, 'member', u.created_at, u.kind
       from generate_series($2::int, $3::int) as i join users u on u.id = md5('bench-person-' || i)::uuid`,
      [ids.spaceId, people[0], people[1]],
    );
  }
}
