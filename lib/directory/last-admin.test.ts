/**
 * The last account admin who can sign in stays one (directory.md: the last active human account
 * admin cannot be blocked, demoted or removed, 409). A person invited with `invite_mode` NONE is
 * active at once but has no password (and this server has no SSO), so they cannot sign in: admins
 * like them do not make the last one who can replaceable. On PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { users } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import { createServiceKey, expectProblem, setupDemo, type Demo } from "../testing/api-keys-test-kit";

const enc = encodeURIComponent;

describe.each(testDatabases())("the last admin who can sign in ($name)", (database) => {
  let d: Demo;
  beforeEach(async () => {
    d = await setupDemo(database);
  });
  afterEach(() => d.harness.close());

  /** A second account admin invited with invite mode NONE: active, without a password. */
  async function noneModeAdmin(): Promise<string> {
    const res = await d.harness.request("POST", "/v2/users", {
      token: d.tokens.admin,
      body: { name: "Nora None", email: `${randomUUID()}@example.com`, role: "admin", invite_mode: "NONE" },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const user = (await res.json()) as { id: string; status: string; role: string };
    expect(user).toMatchObject({ status: "active", role: "admin" });
    return user.id;
  }

  /** Ada's account role, read from the database. */
  async function adaRole() {
    const [row] = await d.harness.handle.db
      .select({ role: users.accountRole, status: users.status })
      .from(users)
      .where(eq(users.email, "admin@example.com"));
    return row;
  }

  it("with only NONE-mode admins beside her, Ada can be neither demoted (by herself or by an admin key) nor blocked: 409", async () => {
    await noneModeAdmin();
    await noneModeAdmin();
    const adaId = d.userIds.admin;
    // An account-admin service key: its bot acts as an admin, and never counts as one.
    const adminKey = await createServiceKey(d.harness, d.tokens.admin, d.spaceIds.Production, {
      account_role: "admin",
    });

    const demoteSelf = await d.harness.request("PATCH", `/v2/users/${enc(adaId)}`, {
      token: d.tokens.admin,
      body: { role: "member" },
    });
    const problem = await expectProblem(demoteSelf, 409, "conflict");
    expect(problem.detail).toMatch(/sign in/);
    await expectProblem(
      await d.harness.request("PATCH", `/v2/users/${enc(adaId)}`, {
        token: adminKey.key,
        body: { role: { type: "PREDEFINED", name: "MEMBER" } },
      }),
      409,
      "conflict",
    );
    await expectProblem(
      await d.harness.request("DELETE", `/v2/users/${enc(adaId)}`, { token: adminKey.key }),
      409,
      "conflict",
    );
    expect(await adaRole()).toEqual({ role: "admin", status: "active" });
  });

  it("once a NONE-mode admin has a password (a temporary one, from a reset), Ada may step down; the NONE-mode admins may always go", async () => {
    const nora = await noneModeAdmin();
    const other = await noneModeAdmin();
    // An admin who cannot sign in may be demoted or blocked: the account keeps Ada.
    expect(
      (
        await d.harness.request("PATCH", `/v2/users/${enc(other)}`, {
          token: d.tokens.admin,
          body: { role: "member" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await d.harness.request("DELETE", `/v2/users/${enc(other)}`, { token: d.tokens.admin })).status,
    ).toBe(204);

    const reset = await d.harness.request(
      "POST",
      `/v2/users/${enc(nora)}/reset-password?mode=temporary_password`,
      { token: d.tokens.admin },
    );
    expect(reset.status, await reset.clone().text()).toBe(200);
    const demoteSelf = await d.harness.request("PATCH", `/v2/users/${enc(d.userIds.admin)}`, {
      token: d.tokens.admin,
      body: { role: "member" },
    });
    expect(demoteSelf.status, await demoteSelf.clone().text()).toBe(200);
    expect(await adaRole()).toEqual({ role: "member", status: "active" });
  });
});
