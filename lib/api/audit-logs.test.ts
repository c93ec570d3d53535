import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../db/schema";
import { encodeId } from "../domain/ids";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { DEMO_USERS } from "../testing/demo-viewers";
import { testDatabases } from "../testing/test-databases";

interface Entry {
  user_id: string;
  ip: string;
  operation_name: string;
  created_at: string;
  actor?: { id: string; name: string; email: string | null; kind: string } | null;
  actor_credential?: string;
  target?: { type: string; id: string | null; name: string | null };
}
interface Listing {
  logs: Entry[];
  pagination: { has_more: boolean; next_cursor?: string };
}

const PYTHON_8_61 = { "sdk-package-name": "arize", "sdk-version": "8.61.0" };
/** Names a spreadsheet would run as formulas, with quotes, commas and line breaks for the quoting. */
const HOSTILE_NAME = '=HYPERLINK("https://evil.example","a, b")';
const MULTILINE_NAME = 'line one\nline "two", three';

/** RFC 4180, enough for these tests: quoted cells with doubled quotes, commas and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) throw new Error(`unterminated last record: ${JSON.stringify(row)}`);
  return rows;
}

async function userIdOf(harness: ApiHarness, email: string): Promise<string> {
  const [row] = await harness.handle.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

describe.each(testDatabases())("the audit log's filters and CSV export ($name)", (database) => {
  let harness: ApiHarness;
  let admin: string;
  let member: string;
  let adaId: string;
  let maxId: string;
  let hostileKeyId: string;
  const start = "2026-11-01T09:00:00.000Z";

  const list = async (query: string, headers: Record<string, string> = {}) => {
    const res = await harness.request("GET", `/v2/audit-logs?${query}`, { token: admin, headers });
    expect(res.status).toBe(200);
    return (await res.json()) as Listing;
  };
  const exportCsv = async (query: string, token = admin) =>
    harness.request("GET", `/v2/audit-logs/export.csv?${query}`, { token });

  beforeAll(async () => {
    harness = await createHarness(database, { now: start, config: { trustedProxyHops: 1 } });
    admin = await harness.signIn("admin");
    member = await harness.signIn("member");
    adaId = await userIdOf(harness, DEMO_USERS.admin.email);
    maxId = await userIdOf(harness, DEMO_USERS.member.email);
    harness.clock.advance(60_000);
    const created = await harness.request("POST", "/v2/api-keys", {
      token: admin,
      body: { name: HOSTILE_NAME },
      headers: { "x-forwarded-for": "203.0.113.7" },
    });
    expect(created.status).toBe(201);
    hostileKeyId = ((await created.json()) as { id: string }).id;
    harness.clock.advance(60_000);
    const second = await harness.request("POST", "/v2/api-keys", {
      token: member,
      body: { name: MULTILINE_NAME },
    });
    expect(second.status).toBe(201);
    const secondId = ((await second.json()) as { id: string }).id;
    harness.clock.advance(3 * 60 * 60_000);
    expect((await harness.request("DELETE", `/v2/api-keys/${secondId}`, { token: member })).status).toBe(204);
    // Someone tries Max's email with a wrong password: nobody proved who they are.
    const failed = await harness.request("POST", "/v2/sessions", {
      body: { email: DEMO_USERS.member.email, password: "not-the-password" },
    });
    expect(failed.status).toBe(401);
  });
  afterAll(() => harness.close());

  it("names each entry's actor and target in Keydesk's dialect: a key by its name, not its id", async () => {
    const { logs } = await list(
      `user_id=${encodeURIComponent(encodeId("User", adaId))}&operation_name=create_api_key`,
    );
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      user_id: encodeId("User", adaId),
      ip: "203.0.113.7",
      operation_name: "create_api_key",
      actor: {
        id: encodeId("User", adaId),
        name: DEMO_USERS.admin.name,
        email: DEMO_USERS.admin.email,
        kind: "person",
      },
      actor_credential: "session",
      target: { type: "api_key", id: hostileKeyId, name: HOSTILE_NAME },
    });
  });

  it("filters by actor, by one or several operation names, and by time", async () => {
    const byMax = await list(`user_id=${encodeURIComponent(encodeId("User", maxId))}`);
    expect(new Set(byMax.logs.map((l) => l.user_id))).toEqual(new Set([encodeId("User", maxId)]));
    expect(byMax.logs.map((l) => l.operation_name)).toEqual([
      "revoke_api_key",
      "create_api_key",
      "create_session",
    ]);

    const keys = await list("operation_name=create_api_key&operation_name=revoke_api_key");
    expect(keys.logs.map((l) => l.operation_name)).toEqual([
      "revoke_api_key",
      "create_api_key",
      "create_api_key",
    ]);
    expect(keys.logs.map((l) => l.target?.name)).toEqual([MULTILINE_NAME, MULTILINE_NAME, HOSTILE_NAME]);

    // From the start to an hour later: the sign-ins and both creations, not the revocation three hours later.
    const early = await list(`start_time=${start}&end_time=2026-11-01T10:00:00.000Z`);
    expect(early.logs.map((l) => l.operation_name)).toEqual([
      "create_api_key",
      "create_api_key",
      "create_session",
      "create_session",
    ]);
    const late = await list(`start_time=2026-11-01T10:00:00.000Z`);
    expect(late.logs.map((l) => l.operation_name)).toEqual(["revoke_api_key"]);
    expect((await list("operation_name=no_such_operation")).logs).toEqual([]);
  });

  it("shows a failed sign-in with no actor and the email tried as its target, only when asked (Keydesk's dialect)", async () => {
    expect((await list("")).logs.map((l) => l.operation_name)).not.toContain("session.sign_in_failed");
    const { logs } = await list("include_unattributed=true&operation_name=session.sign_in_failed");
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      user_id: "",
      actor: null,
      actor_credential: "anonymous",
      target: { type: "user", id: null, name: DEMO_USERS.member.email },
    });
    // Never Max's action: filtering by Max does not find it.
    const byMax = await list(
      `include_unattributed=true&user_id=${encodeURIComponent(encodeId("User", maxId))}`,
    );
    expect(byMax.logs.map((l) => l.operation_name)).not.toContain("session.sign_in_failed");
  });

  it("gives Arize's Python 8.61 its own AuditLog fields only, and no unattributed rows", async () => {
    const { logs } = await list("include_unattributed=true", PYTHON_8_61);
    expect(logs.length).toBeGreaterThan(0);
    for (const entry of logs) {
      expect(Object.keys(entry).sort()).toEqual(
        ["created_at", "id", "ip", "operation_name", "operation_type", "user_id", "variables"].sort(),
      );
      expect(entry.user_id).not.toBe("");
    }
    const named = await list("operation_name=revoke_api_key", PYTHON_8_61);
    expect(named.logs.map((l) => l.operation_name)).toEqual(["revoke_api_key"]);
  });

  it("offers the actors and operations the log holds as filter choices", async () => {
    const res = await harness.request("GET", "/v2/audit-logs/filters", { token: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { actors: { id: string; name: string }[]; operation_names: string[] };
    expect(body.actors.map((a) => a.name)).toEqual(
      expect.arrayContaining([DEMO_USERS.admin.name, DEMO_USERS.member.name]),
    );
    expect(body.actors.map((a) => a.id)).toContain(encodeId("User", adaId));
    expect(body.operation_names).toEqual(
      expect.arrayContaining([
        "create_api_key",
        "create_session",
        "revoke_api_key",
        "session.sign_in_failed",
      ]),
    );
    expect(body.operation_names).not.toContain("api_key.create");
  });

  it("refuses people who are not account admins: list, filter choices and export", async () => {
    for (const path of ["/v2/audit-logs", "/v2/audit-logs/filters", "/v2/audit-logs/export.csv"]) {
      const res = await harness.request("GET", path, { token: member });
      expect(res.status, path).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    expect((await harness.request("GET", "/v2/audit-logs/export.csv")).status).toBe(401);
  });

  it("exports the filtered entries as one CSV attachment, escaped and safe to open in a spreadsheet", async () => {
    const res = await exportCsv(
      "operation_name=create_api_key&operation_name=revoke_api_key&include_unattributed=true",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="audit-log-2026-11-01\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    // UTF-8's byte-order mark first, so spreadsheets read names in any script; the text decoder drops it.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes));
    expect(rows[0]).toEqual([
      "Time",
      "Actor",
      "Actor email",
      "Action",
      "Operation",
      "Target type",
      "Target",
      "Target ID",
      "Address",
    ]);
    expect(rows.slice(1).map((r) => [r[1], r[3], r[6]])).toEqual([
      [DEMO_USERS.member.name, "API key revoked", MULTILINE_NAME],
      [DEMO_USERS.member.name, "API key created", MULTILINE_NAME],
      // The formula is text: a leading apostrophe, the quotes and comma kept.
      [DEMO_USERS.admin.name, "API key created", `'${HOSTILE_NAME}`],
    ]);
    expect(rows[3]?.[7]).toBe(hostileKeyId);
    expect(rows[3]?.[8]).toBe("203.0.113.7");

    const failedCsv = await exportCsv("include_unattributed=true&operation_name=session.sign_in_failed");
    const failed = parseCsv(await failedCsv.text());
    expect(failed.slice(1).map((r) => [r[1], r[3], r[6]])).toEqual([
      ["Unknown", "Sign-in failed", DEMO_USERS.member.email],
    ]);
  });

  it("streams many thousands of entries, complete and newest first, in one file", async () => {
    const total = 5000;
    const base = Date.parse("2026-10-01T00:00:00.000Z");
    const [account] = await harness.handle.db
      .select({ accountId: users.accountId })
      .from(users)
      .where(eq(users.id, adaId));
    const rows = Array.from({ length: total }, (_, i) => ({
      at: new Date(base + i * 1000),
      accountId: account?.accountId ?? null,
      actorUserId: adaId,
      actorCredential: "session",
      action: "update_space",
      targetType: "space",
      targetId: null,
      clientAddress: `10.0.${Math.floor(i / 256)}.${i % 256}`,
      details: { variables: { n: i } },
    }));
    for (let i = 0; i < total; i += 1000)
      await harness.handle.db.insert(auditLog).values(rows.slice(i, i + 1000));

    const res = await exportCsv(`operation_name=update_space&start_time=2026-10-01T00:00:00.000Z`);
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no body");
    const decoder = new TextDecoder();
    let text = "";
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    // Read page by page (1,000 rows each), not built whole first.
    expect(chunks).toBeGreaterThanOrEqual(total / 1000);
    const records = parseCsv(text).slice(1);
    expect(records).toHaveLength(total);
    const addresses = records.map((r) => r[8]);
    const expected = rows.map((r) => r.clientAddress).reverse();
    expect(addresses).toEqual(expected);
    expect(records[0]?.[0]).toBe(new Date(base + (total - 1) * 1000).toISOString());
  });
});
