/**
 * A service key's bot user is not a person (directory.md: "Service-key bots are not people"): every
 * operation that takes a person's id answers 404 for a bot, exactly as for an id that does not exist,
 * and changes nothing — the key keeps working, stays listed as active, and no audit row is written.
 * On PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../db/schema";
import { encodeId } from "../domain/ids";
import { testDatabases } from "../testing/test-databases";
import {
  createServiceKey,
  expectProblem,
  listKeys,
  meOf,
  meStatus,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

const enc = encodeURIComponent;

/** Every operation that takes a person's id, as (method, path, body) for a user id and the scopes. */
function personOperations(userId: string, organizationId: string, spaceId: string) {
  const u = enc(userId);
  return [
    ["GET", `/v2/users/${u}`, undefined],
    ["PATCH", `/v2/users/${u}`, { name: "Renamed" }],
    ["PATCH", `/v2/users/${u}`, { role: "admin" }],
    ["DELETE", `/v2/users/${u}`, undefined],
    ["POST", `/v2/users/${u}/resend-invitation`, undefined],
    ["POST", `/v2/users/${u}/unblock`, undefined],
    ["POST", `/v2/users/${u}/reset-password?mode=temporary_password`, undefined],
    ["POST", `/v2/organizations/${enc(organizationId)}/users`, { user_id: userId, role: "read-only" }],
    ["DELETE", `/v2/organizations/${enc(organizationId)}/users/${u}`, undefined],
    ["POST", `/v2/spaces/${enc(spaceId)}/users`, { user_id: userId, role: "read-only" }],
    ["DELETE", `/v2/spaces/${enc(spaceId)}/users/${u}`, undefined],
  ] as const;
}

describe.each(testDatabases())("a bot is not a person ($name)", (database) => {
  let d: Demo;
  let organizationId: string;
  beforeAll(async () => {
    d = await setupDemo(database);
    const me = await meOf(d.harness, d.tokens.admin);
    const platform = me.organizations.find((o) => o.spaces.some((s) => s.name === "Production"));
    if (!platform) throw new Error("demo organization Platform is missing");
    organizationId = platform.id;
  });
  afterAll(() => d.harness.close());

  it("every operation on a person's id answers a bot's id with the same 404 as a missing id, and changes nothing", async () => {
    const key = await createServiceKey(d.harness, d.tokens.admin, d.spaceIds.Production, {
      space_role: "member",
    });
    // A bot that is an account admin: not even its own key finds it as a person.
    const adminKey = await createServiceKey(d.harness, d.tokens.admin, d.spaceIds.Production, {
      account_role: "admin",
    });
    const botId = (await meOf(d.harness, key.key)).user.id;
    const adminBotId = (await meOf(d.harness, adminKey.key)).user.id;
    const missingId = encodeId("User", randomUUID());
    const audits = async () => (await d.harness.handle.db.select({ n: count() }).from(auditLog))[0]?.n;
    const before = await audits();

    const bot = personOperations(botId, organizationId, d.spaceIds.Production);
    const missing = personOperations(missingId, organizationId, d.spaceIds.Production);
    for (const [i, [method, path, body]] of bot.entries()) {
      const res = await d.harness.request(method, path, { token: d.tokens.admin, body });
      const problem = await expectProblem(res, 404, "not_found");
      const [, missingPath, missingBody] = missing[i] ?? [];
      const reference = await d.harness.request(method, missingPath ?? "", {
        token: d.tokens.admin,
        body: missingBody,
      });
      expect(problem, `${method} ${path}`).toEqual(await expectProblem(reference, 404, "not_found"));
    }
    for (const [method, path, body] of personOperations(adminBotId, organizationId, d.spaceIds.Production)) {
      await expectProblem(
        await d.harness.request(method, path, { token: adminKey.key, body }),
        404,
        "not_found",
      );
    }

    // Nothing happened to the bots or their keys: they work, list as active, and nothing was audited.
    expect(await meStatus(d.harness, key.key)).toBe(200);
    expect(await meStatus(d.harness, adminKey.key)).toBe(200);
    const listed = await listKeys(d.harness, d.tokens.admin, "key_type=service&status=all");
    for (const k of [key, adminKey])
      expect(listed.api_keys.find((l) => l.id === k.id)?.status).toBe("active");
    expect(await audits()).toBe(before);
  });
});
