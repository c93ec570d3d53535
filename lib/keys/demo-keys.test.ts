import { count, like, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../db/schema";
import { DEMO_USERS } from "../directory/demo-seed";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { testDatabases } from "../testing/test-databases";
import { demoKeysWanted, seedDemoKeys } from "./demo-keys";
import { KEY_SEARCH_PATTERN } from "./secrets";

interface KeyJson {
  name: string;
  key_type: string;
  status: string;
  redacted_key: string;
  expires_at: string | null;
  space_id: string | null;
  created_at: string;
}

const owners = {
  admin: DEMO_USERS.admin.email,
  member: DEMO_USERS.member.email,
  readOnly: DEMO_USERS.readOnly.email,
};

describe.each(testDatabases())("the demo's keys ($name)", (database) => {
  let harness: ApiHarness;
  let made: number;
  let tokens: { admin: string; member: string; readOnly: string };
  beforeAll(async () => {
    harness = await createHarness(database);
    made = await seedDemoKeys({ db: harness.handle.db, owners, clock: harness.clock });
    tokens = {
      admin: await harness.signIn("admin"),
      member: await harness.signIn("member"),
      readOnly: await harness.signIn("readOnly"),
    };
  });
  afterAll(() => harness.close());

  const list = async (token: string, query: string): Promise<KeyJson[]> => {
    const res = await harness.request("GET", `/v2/api-keys?limit=100&${query}`, { token });
    expect(res.status).toBe(200);
    return ((await res.json()) as { api_keys: KeyJson[] }).api_keys;
  };

  it("makes keys of both kinds for several people, as real rows the API lists", async () => {
    expect(made).toBe(8);
    const all = await list(tokens.admin, "scope=account&status=all");
    expect(all).toHaveLength(8);
    expect(new Set(all.map((k) => k.key_type))).toEqual(new Set(["user", "service"]));

    expect((await list(tokens.member, "key_type=user")).map((k) => k.name)).toEqual(["Max's CLI"]);
    expect((await list(tokens.readOnly, "key_type=user")).map((k) => k.name)).toEqual(["Riley's notebook"]);
    // Max sees the service keys of the spaces he is in, each with its own role there.
    const maxService = (await list(tokens.member, "key_type=service&status=all")).map((k) => k.name).sort();
    expect(maxService).toEqual(
      ["Billing exporter", "Metrics reader", "Notebook sync", "Old deploy bot", "Staging deployer"].sort(),
    );
  });

  it("has one revoked key and one expiring within a week", async () => {
    const all = await list(tokens.admin, "scope=account&status=all");
    expect(all.filter((k) => k.status === "revoked").map((k) => k.name)).toEqual(["Old deploy bot"]);
    const now = harness.clock.now().getTime();
    const soon = all.filter(
      (k) => k.status === "active" && k.expires_at && Date.parse(k.expires_at) - now < 7 * 86_400_000,
    );
    expect(soon.map((k) => k.name)).toEqual(["Notebook sync"]);
    // Made at different moments in the past, so the list reads like an account in use.
    expect(new Set(all.map((k) => k.created_at)).size).toBe(8);
    expect(all.every((k) => Date.parse(k.created_at) < now)).toBe(true);
  });

  it("keeps no secret in clear anywhere in the database: only redacted forms", async () => {
    // Both drivers (PGlite and node-postgres) answer raw SQL with `{ rows }`.
    const rowsOf = async <T>(query: SQL) => ((await harness.handle.db.execute(query)) as { rows: T[] }).rows;
    const tables = await rowsOf<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const names = tables.map((r) => r.table_name);
    expect(names).toContain("api_keys");
    let dump = "";
    for (const name of names) {
      const rows = await rowsOf<{ row: string }>(sql`select t::text as row from ${sql.identifier(name)} t`);
      dump += rows.map((r) => r.row).join("\n");
    }
    expect(dump).toContain("Billing exporter");
    expect(dump.match(KEY_SEARCH_PATTERN) ?? []).toEqual([]);
    const all = await list(tokens.admin, "scope=account&status=all");
    for (const key of all) expect(key.redacted_key).toMatch(/^ak-[0-9a-f]{3}\.\.\.[A-Za-z0-9_-]{3}$/);
  });

  it("writes an audit row for each key made and the one revoked", async () => {
    const rows = await harness.handle.db
      .select({ action: auditLog.action, n: count() })
      .from(auditLog)
      .where(like(auditLog.action, "api_key.%"))
      .groupBy(auditLog.action);
    const counts = Object.fromEntries(rows.map((r) => [r.action, Number(r.n)]));
    expect(counts).toMatchObject({ "api_key.create": 8, "api_key.revoke": 1 });
  });
});

describe("demoKeysWanted", () => {
  it("is on only with KEYDESK_DEMO_KEYS=1", () => {
    expect(demoKeysWanted({ KEYDESK_DEMO_KEYS: "1" })).toBe(true);
    expect(demoKeysWanted({})).toBe(false);
    expect(demoKeysWanted({ KEYDESK_DEMO_KEYS: "0" })).toBe(false);
  });
});
