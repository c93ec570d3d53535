/**
 * Unblocking (`POST /v2/users/{id}/unblock`, [ext]): the person may sign in again, and nothing else
 * blocking did comes back — their user keys stay revoked (`owner_blocked`), their memberships stay
 * gone. Account admins only, idempotent, one `user.unblock` audit row. Inviting a blocked email is a
 * 409 that points to Unblock. Over HTTP through the harness, on PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiKeys, auditLog } from "../db/schema";
import { decodeId } from "../domain/ids";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { testDatabases } from "../testing/test-databases";
import {
  createUserKey,
  expectProblem,
  meOf,
  meStatus,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

const enc = encodeURIComponent;
/** A generation D client (TypeScript ≥ 1.27): blocked people do not exist for it. */
const TS_128 = { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" };

describe.each(testDatabases())("unblock a user ($name)", (database) => {
  let d: Demo;
  beforeEach(async () => {
    d = await setupDemo(database);
  });
  afterEach(() => d.harness.close());

  const block = (id: string) =>
    d.harness.request("DELETE", `/v2/users/${enc(id)}`, { token: d.tokens.admin });
  const unblock = (id: string, token = d.tokens.admin, headers?: Record<string, string>) =>
    d.harness.request("POST", `/v2/users/${enc(id)}/unblock`, { token, headers });
  const getUser = async (id: string) =>
    (await (await d.harness.request("GET", `/v2/users/${enc(id)}`, { token: d.tokens.admin })).json()) as {
      status: string;
    };
  const unblockAudits = (id: string) =>
    d.harness.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.unblock"), eq(auditLog.targetId, decodeId("User", id) ?? "")));

  it("Max signs in again with his password; his user key stays revoked (owner_blocked) and his memberships stay gone; one user.unblock row", async () => {
    const max = d.userIds.member;
    const key = await createUserKey(d.harness, d.tokens.member);
    expect((await meOf(d.harness, d.tokens.member)).organizations.length).toBeGreaterThan(0);

    expect((await block(max)).status).toBe(204);
    expect(await meStatus(d.harness, d.tokens.member)).toBe(401);
    expect((await getUser(max)).status).toBe("blocked");

    expect((await unblock(max)).status).toBe(204);
    expect((await getUser(max)).status).toBe("active");
    // Unblocking twice changes nothing and writes no second row.
    expect((await unblock(max)).status).toBe(204);
    const audits = await unblockAudits(max);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUserId: decodeId("User", d.userIds.admin),
      actorCredential: "session",
      targetType: "user",
    });

    // The old session ended with the block and stays ended; his password works again.
    expect(await meStatus(d.harness, d.tokens.member)).toBe(401);
    const token = await d.harness.signIn("member");
    const me = await meOf(d.harness, token);
    expect(me.user.name).toBe(DEMO_USERS.member.name);
    expect(me.organizations).toEqual([]);

    const [row] = await d.harness.handle.db
      .select({ status: apiKeys.status, reason: apiKeys.revocationReason })
      .from(apiKeys)
      .where(eq(apiKeys.id, decodeId("ApiKey", key.id) ?? ""));
    expect(row).toEqual({ status: "revoked", reason: "owner_blocked" });
    const verify = await d.harness.request("GET", "/v2/me", { token: key.key });
    expect(verify.status).toBe(401);
  });

  it("someone blocked before they joined comes back expired, and Resend invitation invites them afresh", async () => {
    const email = `${randomUUID()}@example.com`;
    const res = await d.harness.request("POST", "/v2/users", {
      token: d.tokens.admin,
      body: { name: "Ivy Invited", email, role: "member", invite_mode: "EMAIL_LINK" },
    });
    const { id } = (await res.json()) as { id: string };
    expect((await block(id)).status).toBe(204);
    expect((await unblock(id)).status).toBe(204);
    expect((await getUser(id)).status).toBe("expired");
    expect((await unblockAudits(id))[0]?.details).toEqual({ status: "expired" });
    const resend = await d.harness.request("POST", `/v2/users/${enc(id)}/resend-invitation`, {
      token: d.tokens.admin,
    });
    expect(resend.status).toBe(200);
    expect((await getUser(id)).status).toBe("invited");
  });

  it("account admins only (403 for a member, the person stays blocked); 404 for an unknown id and, for generation D clients, for a blocked person", async () => {
    const max = d.userIds.member;
    expect((await block(max)).status).toBe(204);
    await expectProblem(await unblock(max, d.tokens.readOnly), 403, "forbidden");
    await expectProblem(await unblock(`User:${randomUUID()}`), 404);
    await expectProblem(await unblock(max, d.tokens.admin, TS_128), 404);
    expect((await getUser(max)).status).toBe("blocked");
    expect(await unblockAudits(max)).toHaveLength(0);
    const signIn = await d.harness.request("POST", "/v2/sessions", {
      body: { email: DEMO_USERS.member.email, password: DEMO_PASSWORD },
    });
    expect(signIn.status).toBe(401);
  });

  it("inviting a blocked email is a 409 that points to Unblock; after Unblock the email is a member's (409 as for any active person)", async () => {
    const max = d.userIds.member;
    expect((await block(max)).status).toBe(204);
    const invite = () =>
      d.harness.request("POST", "/v2/users", {
        token: d.tokens.admin,
        body: {
          name: "Max Again",
          email: DEMO_USERS.member.email,
          role: "member",
          invite_mode: "EMAIL_LINK",
        },
      });
    const problem = await expectProblem(await invite(), 409, "conflict");
    expect(problem.detail).toMatch(/blocked/);
    expect(problem.detail).toMatch(/unblock/i);
    expect((await unblock(max)).status).toBe(204);
    const again = await expectProblem(await invite(), 409, "conflict");
    expect(again.detail).toMatch(/already belongs to a member/);
  });
});
