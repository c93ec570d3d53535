/**
 * Query plans of the listing queries at the bench's large size, on PGlite and on PostgreSQL:
 * `npx tsx bench/explain.ts` (PostgreSQL from BENCH_DATABASE_URL | TEST_DATABASE_URL; skipped when
 * neither is set). Seeds the demo directory plus 100,000 keys of a user and of a space (bench/seed.ts)
 * and 10,000 people (members of the account, of Platform and of Production) in scratch databases,
 * prints EXPLAIN (ANALYZE, BUFFERS) of the first page and of a page 90 % deep, shaped like
 * lib/keys/api-keys.ts's `listApiKeys` and lib/directory's `listUsers` and `listMembers` build them
 * (the people's default statuses, without blocked ones), and the organizations' and spaces' lists
 * with their member counts, and drops the databases.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { openDatabase } from "../lib/db/client";
import { seedDemoDirectory } from "../lib/directory/demo-seed";
import { openScratchPostgres } from "../lib/testing/test-databases";
import { demoIds, seed, seededAt, seededUuid, withSql, type DbTarget, type Sql } from "./seed";

const KEYS = 100_000;
const PEOPLE = 10_000;
const COLUMNS = `id, account_id, key_type, name, description, status, redacted_key, created_at, expires_at,
  last_used_at, created_by_user_id, user_id, space_id`;

type Ids = Awaited<ReturnType<typeof demoIds>>;

/** [title, text with or without the cursor condition (its two placeholders come last), params]. */
function PEOPLE_QUERIES(ids: Ids): [string, (cursor: boolean) => string, unknown[]][] {
  return [
    [
      "GET /v2/users",
      (cursor) => `select id, name, email, created_at, status, account_role, is_developer, invite_expires_at
       from users where account_id = $1 and kind = 'human'
         and (status = any($2::text[]::user_status[]))
         ${cursor ? "and (created_at, id) > ($3::timestamptz, $4::uuid)" : ""}
       order by created_at, id limit 51`,
      [ids.accountId, ["active", "invited"]],
    ],
    // [ext] ?search= (name or email): a filter on the same index scan. "riley" matches one person of
    // 10,000 (the scan reads them all); "person 00" matches many (the scan stops after the page).
    ...(["riley", "person 00"] as const).map((term): [string, (cursor: boolean) => string, unknown[]] => [
      `GET /v2/users?search=${term}`,
      (cursor) => `select id, name, email, created_at, status, account_role, is_developer, invite_expires_at
       from users where account_id = $1 and kind = 'human'
         and (status = any($2::text[]::user_status[]))
         and (name ilike $3 or email ilike $3)
         ${cursor ? "and (created_at, id) > ($4::timestamptz, $5::uuid)" : ""}
       order by created_at, id limit 51`,
      [ids.accountId, ["active", "invited"], `%${term}%`],
    ]),
    [
      "a space's members",
      (cursor) => `select m.user_id, m.user_created_at, m.role, u.name, u.email, u.status, u.invite_expires_at
       from space_memberships m join users u on u.id = m.user_id
       where m.space_id = $1 and m.user_kind = 'human'
         ${cursor ? "and (m.user_created_at, m.user_id) > ($2::timestamptz, $3::uuid)" : ""}
       order by m.user_created_at, m.user_id limit 51`,
      [ids.spaceId],
    ],
  ];
}

async function plans(sql: Sql): Promise<string[]> {
  const ids = await demoIds(sql);
  const deep = Math.floor(KEYS * 0.9);
  const queries: [string, string, unknown[]][] = [];
  for (const [list, where, params, type] of [
    [
      "a user's keys",
      "account_id = $1 and status = 'active' and user_id = $2 and key_type = 'user'",
      [ids.accountId, ids.adminId],
      "user",
    ],
    [
      "a space's service keys",
      "account_id = $1 and status = 'active' and space_id = $2 and key_type = 'service'",
      [ids.accountId, ids.spaceId],
      "service",
    ],
    // Inventory (lib/keys/inventory.ts): every active key of the account, one owner's, unused ones.
    ["the account's keys", "account_id = $1 and status = $2", [ids.accountId, "active"], "user"],
    [
      "one owner's keys in the account",
      "account_id = $1 and status = 'active' and created_by_user_id = $2",
      [ids.accountId, ids.adminId],
      "user",
    ],
    [
      "the account's keys unused for 30 days",
      "account_id = $1 and status = 'active' and created_at < $2 and (last_used_at is null or last_used_at < $2)",
      [ids.accountId, seededAt(Math.floor(KEYS / 2)).toISOString()],
      "user",
    ],
    [
      "the account's keys expiring within 7 days",
      "account_id = $1 and status = 'active' and expires_at is not null and expires_at < $2",
      [ids.accountId, seededAt(KEYS - 10).toISOString()],
      "user",
    ],
  ] as const) {
    queries.push([
      `${list}, first page`,
      `select ${COLUMNS} from api_keys where ${where} order by created_at desc, id desc limit 51`,
      [...params],
    ]);
    queries.push([
      `${list}, page 90 % deep`,
      `select ${COLUMNS} from api_keys where ${where} and (created_at, id) < ($3::timestamptz, $4::uuid)
       order by created_at desc, id desc limit 51`,
      [...params, seededAt(deep).toISOString(), seededUuid(`${type}-key`, deep)],
    ]);
  }
  // People, oldest first (lib/directory/users.ts's `listUsers`, scopes.ts's `listMembers`): the first
  // page, and the page after 90 % of them (seeded person i is i seconds older than the epoch).
  const deepPerson = PEOPLE - Math.floor(PEOPLE * 0.9) + 1;
  const personCursor = [seededAt(deepPerson).toISOString(), seededUuid("person", deepPerson)];
  for (const [list, text, params] of PEOPLE_QUERIES(ids)) {
    queries.push([`${list}, first page`, text(false), params]);
    queries.push([`${list}, page 90 % deep`, text(true), [...params, ...personCursor]]);
  }
  // The organizations' and spaces' lists with [ext] member_count (lib/directory/scopes/scope-kinds.ts):
  // each listed row counts its members over the membership table's list index.
  queries.push([
    "GET /v2/organizations (member_count)",
    `select o.id, o.name, o.description, o.created_at,
       (select count(*) from organization_memberships m where m.organization_id = o.id and m.user_kind = 'human')
     from organizations o where o.id = any($1::uuid[]) order by o.created_at, o.id limit 51`,
    [[ids.organizationId]],
  ]);
  queries.push([
    "GET /v2/spaces (member_count)",
    `select s.id, s.name, s.description, s.is_private, s.created_at,
       (select count(*) from space_memberships m where m.space_id = s.id and m.user_kind = 'human')
     from spaces s where s.id = any($1::uuid[]) or (s.is_private = false and s.organization_id = any($2::uuid[]))
     order by s.created_at, s.id limit 51`,
    [[ids.spaceId], [ids.organizationId]],
  ]);
  const out: string[] = [];
  for (const [title, text, params] of queries) {
    const rows = await sql(`explain (analyze, buffers) ${text}`, params);
    out.push(`-- ${title}`, ...rows.map((r) => String(Object.values(r)[0])), "");
  }
  return out;
}

async function explain(name: string, target: DbTarget): Promise<void> {
  await withSql(target, (sql) => seed(sql, [1, KEYS], [1, PEOPLE]));
  let lines: string[] = [];
  if (target.kind === "postgres") {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      lines = await plans(
        async (text, params) => (await client.query(text, params)).rows as Record<string, unknown>[],
      );
    } finally {
      await client.end();
    }
  } else {
    const lite = new PGlite(target.dir);
    try {
      lines = await plans(
        async (text, params) => (await lite.query<Record<string, unknown>>(text, params)).rows,
      );
    } finally {
      await lite.close();
    }
  }
  console.log(`\n=== ${name}, ${KEYS.toLocaleString("en-US")} keys of each kind\n${lines.join("\n")}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keydesk-explain-"));
  try {
    const lite = await openDatabase({ kind: "pglite", dataDir: dir });
    await seedDemoDirectory(lite.db);
    await lite.close();
    await explain("PGlite", { kind: "pglite", dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!base) return console.log("\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)");
  const scratch = await openScratchPostgres(base);
  try {
    await seedDemoDirectory(scratch.db);
    await explain("PostgreSQL", { kind: "postgres", url: scratch.url });
  } finally {
    await scratch.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
