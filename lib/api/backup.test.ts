/**
 * `/v2/backup` [ext] in process, on both databases (docs/backups.md): who may, what PGlite sends, what
 * PostgreSQL answers, one at a time, the audit row. The whole path under load, with a restore and a
 * real server, is tests/backup.test.ts.
 */
import { gunzipSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDumpFile } from "../db/embedded-backup";
import { auditLog } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import {
  createServiceKey,
  createUserKey,
  expectProblem,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

describe.each(testDatabases())("/v2/backup ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database);
  });
  afterAll(() => demo.harness.close());

  const post = (token?: string) => demo.harness.request("POST", "/v2/backup", { token });
  const backupRows = () =>
    demo.harness.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "backup.create")));

  it("answers 401 without a credential, and 403 to a member, a read-only member and a service key", async () => {
    await expectProblem(await post(), 401, "authentication_required");
    const member = await expectProblem(await post(demo.tokens.member), 403, "forbidden");
    expect(member.detail).toBe("Only account admins can take backups.");
    await expectProblem(await post(demo.tokens.readOnly), 403, "forbidden");
    const memberKey = await createUserKey(demo.harness, demo.tokens.member);
    await expectProblem(await post(memberKey.key), 403, "forbidden");
    // Even an admin's service key with the space's highest role: a backup is a person's act.
    const serviceKey = await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Production, {
      space_role: "admin",
    });
    const service = await expectProblem(await post(serviceKey.key), 403, "forbidden");
    expect(service.detail).toMatch(/^Service keys cannot take backups/);
    await expectProblem(
      await demo.harness.request("GET", "/v2/backup", { token: demo.tokens.member }),
      403,
      "forbidden",
    );
    expect(await backupRows()).toEqual([]);
  });

  it("is in the OpenAPI document, both operations", async () => {
    const doc = (await (await demo.harness.request("GET", "/v2/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths["/v2/backup"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v2/backup"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "401", "403", "409", "501"]),
    );
  });

  if (database.name === "postgres") {
    it("answers 501 on PostgreSQL, saying to use pg_dump, and writes no audit row", async () => {
      const problem = await expectProblem(await post(demo.tokens.admin), 501, "not_implemented");
      expect(problem.title).toBe("Not implemented");
      expect(problem.detail).toMatch(/pg_dump/);
      const info = await demo.harness.request("GET", "/v2/backup", { token: demo.tokens.admin });
      expect(await info.json()).toEqual({
        available: false,
        database: "postgres",
        detail: expect.stringMatching(/pg_dump/),
      });
      expect(await backupRows()).toEqual([]);
    });
    return;
  }

  it("says backups are available on PGlite", async () => {
    const info = await demo.harness.request("GET", "/v2/backup", { token: demo.tokens.admin });
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ available: true, database: "pglite" });
  });

  it("sends an admin a dated gzip tarball of the data directory, and writes backup.create", async () => {
    const now = demo.harness.clock.now();
    const res = await post(demo.tokens.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(0);
    const fileName = `keydesk-backup-${now.toISOString().slice(0, 19).replace(/:/g, "-")}Z.tar.gz`;
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${fileName}"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A PostgreSQL data directory, as the restore reads it.
    const dump = readDumpFile(bytes, fileName);
    expect(dump.postgresVersion).toMatch(/^\d+$/);
    expect(gunzipSync(bytes).length).toBe(dump.tar.length);

    const [row, ...more] = await backupRows();
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      actorCredential: "session",
      targetType: "account",
      details: { file_name: fileName, bytes: bytes.length, uncompressed_bytes: dump.tar.length },
    });
  });

  it("takes one backup at a time: of two asked at once, one is made and the other is a 409; then another works", async () => {
    const adminKey = await createUserKey(demo.harness, demo.tokens.admin);
    const before = (await backupRows()).length;
    const [first, second] = await Promise.all([post(adminKey.key), post(demo.tokens.admin)]);
    expect(first.status).toBe(200);
    const refused = await expectProblem(second, 409, "conflict");
    expect(refused.detail).toMatch(/already under way/);
    readDumpFile(new Uint8Array(await first.arrayBuffer()), "first");
    const third = await post(demo.tokens.admin);
    expect(third.status).toBe(200);
    readDumpFile(new Uint8Array(await third.arrayBuffer()), "third");
    const rows = (await backupRows()).slice(before);
    expect(rows.map((r) => r.actorCredential)).toEqual(["user_key", "session"]);
  });
});
