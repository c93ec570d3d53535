import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApi } from "../api/app";
import { ManualClock } from "../clock";
import type { Db } from "../db/client";
import { seedDemoDirectory } from "./demo-seed";
import { accounts, auditLog, users } from "../db/schema";
import { testDatabases, type TestDatabase } from "../testing/test-databases";
import { createAccountAdmin } from "./admin";
import { DomainError } from "../domain/errors";

const PASSWORD = "a long enough passphrase";

async function withDb<T>(database: TestDatabase, fn: (db: Db) => Promise<T>): Promise<T> {
  const handle = await database.open();
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

async function signIn(db: Db, email: string, password: string) {
  const api = createApi({ db });
  const res = await api.request("/v2/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 201) return { status: res.status };
  const { token } = (await res.json()) as { token: string };
  const me = await api.request("/v2/me", { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, me: (await me.json()) as { account_role: string; user: { name: string } } };
}

async function expectDomainError(promise: Promise<unknown>, kind: DomainError["kind"], detail: RegExp) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).kind).toBe(kind);
  expect((err as DomainError).detail).toMatch(detail);
}

// Each test opens its own database; PGlite start-up is slow on a loaded 2-core machine.
describe.each(testDatabases())("createAccountAdmin ($name)", { timeout: 120_000 }, (database) => {
  const clock = new ManualClock("2026-05-01T09:00:00.000Z");

  it("creates the account (default name Keydesk) and an admin who can sign in", () =>
    withDb(database, async (db) => {
      const created = await createAccountAdmin({
        db,
        clock,
        email: " Owner@Example.com ",
        name: " Olive Owner ",
        password: PASSWORD,
      });
      expect(created).toMatchObject({ accountName: "Keydesk", accountCreated: true });
      const [user] = await db.select().from(users).where(eq(users.id, created.userId));
      expect(user).toMatchObject({
        email: "owner@example.com",
        name: "Olive Owner",
        accountRole: "admin",
        kind: "human",
        status: "active",
        accountId: created.accountId,
      });
      expect(user?.passwordHash).toMatch(/^scrypt\$/);
      expect(user?.passwordHash).not.toContain(PASSWORD);

      const result = await signIn(db, "owner@example.com", PASSWORD);
      expect(result.status).toBe(201);
      expect(result.me).toMatchObject({ account_role: "admin", user: { name: "Olive Owner" } });

      const audit = await db.select().from(auditLog).where(eq(auditLog.action, "user.create_admin"));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorCredential: "cli",
        targetType: "user",
        targetId: created.userId,
        accountId: created.accountId,
      });
      expect(audit[0]?.at.toISOString()).toBe("2026-05-01T09:00:00.000Z");
      expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    }));

  it("names a new account from accountName; later admins join it with no name or the same one, and another name is refused", () =>
    withDb(database, async (db) => {
      const admin = (email: string, accountName?: string) =>
        createAccountAdmin({ db, clock, email, name: email, password: PASSWORD, accountName });
      const first = await admin("a@example.com", "Initech");
      const second = await admin("b@example.com");
      const third = await admin("c@example.com", "Initech");
      await expect(admin("d@example.com", "Other")).rejects.toMatchObject({ kind: "conflict" });
      expect(first).toMatchObject({ accountName: "Initech", accountCreated: true });
      for (const later of [second, third]) {
        expect(later).toMatchObject({
          accountName: "Initech",
          accountCreated: false,
          accountId: first.accountId,
        });
      }
      const [n] = await db.select({ n: count() }).from(accounts);
      expect(n?.n).toBe(1);
      const [people] = await db.select({ n: count() }).from(users);
      expect(people?.n).toBe(3);
    }));

  it("joins the demo account when one exists", () =>
    withDb(database, async (db) => {
      await seedDemoDirectory(db);
      const created = await createAccountAdmin({
        db,
        clock,
        email: "ops@example.com",
        name: "Ops",
        password: PASSWORD,
      });
      expect(created).toMatchObject({ accountName: "Acme", accountCreated: false });
      const result = await signIn(db, "ops@example.com", PASSWORD);
      expect(result.me?.account_role).toBe("admin");
    }));

  it("refuses a duplicate email, in any case, and changes nothing", () =>
    withDb(database, async (db) => {
      await seedDemoDirectory(db);
      await expectDomainError(
        createAccountAdmin({ db, clock, email: "ADMIN@example.com", name: "Dup", password: PASSWORD }),
        "conflict",
        /already exists/,
      );
      const [n] = await db.select({ n: count() }).from(users);
      expect(n?.n).toBe(3);
    }));

  it("refuses a short password, a bad email and a blank name, creating nothing", () =>
    withDb(database, async (db) => {
      const base = { db, clock, email: "x@example.com", name: "X", password: PASSWORD };
      for (const [override, detail] of [
        [{ password: "elevenchars" }, /at least 12/],
        [{ email: "not-an-email" }, /email/],
        [{ name: "   " }, /name/],
      ] as const) {
        await expectDomainError(createAccountAdmin({ ...base, ...override }), "invalid", detail);
      }
      const [n] = await db.select({ n: count() }).from(accounts);
      expect(n?.n).toBe(0);
    }));

  it("creates one account when two admins are created at once on an empty database", () =>
    withDb(database, async (db) => {
      const results = await Promise.all(
        ["p@example.com", "q@example.com"].map((email) =>
          createAccountAdmin({ db, clock, email, name: email, password: PASSWORD }),
        ),
      );
      expect(results.filter((r) => r.accountCreated)).toHaveLength(1);
      expect(new Set(results.map((r) => r.accountId)).size).toBe(1);
    }));
});
