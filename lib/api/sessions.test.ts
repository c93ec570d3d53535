import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { auditLog, sessions, users } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import { sha256Hex } from "../domain/digest";
import { decodeId, encodeId } from "../domain/ids";
import { defaultSessionPolicy, type SessionPolicy } from "../auth/sessions";
import type { Me } from "../schemas/directory";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { openDatabase } from "../db/client";
import { createApi } from "./app";
import { serveOverHttp } from "../testing/serve-api";

interface SessionBody {
  token: string;
  expires_at: string;
  user: { id: string; name: string; email: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const minute = 60_000;

const signInAs = (harness: ApiHarness, email: string, password: string, client?: string) =>
  harness.request("POST", "/v2/sessions", {
    body: { email, password },
    headers: client ? { "x-forwarded-for": client } : {},
  });

async function expectProblem(res: Response, status: number, title: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { title: string; status: number };
  expect(body.title).toBe(title);
  expect(body.status).toBe(status);
}

async function userIdOf(harness: ApiHarness, email: string): Promise<string> {
  const [row] = await harness.handle.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

describe.each(testDatabases())("sessions ($name)", (database) => {
  describe("sign-in", () => {
    let harness: ApiHarness;
    beforeAll(async () => {
      harness = await createHarness(database);
    });
    afterAll(() => harness.close());

    it("answers 201 with a token, its expiry and the user, and is not cacheable", async () => {
      const res = await signInAs(harness, DEMO_USERS.member.email, DEMO_PASSWORD);
      expect(res.status).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await res.json()) as SessionBody;
      expect(Object.keys(body).sort()).toEqual(["expires_at", "token", "user"]);
      expect(body.token).toMatch(/^kds_[A-Za-z0-9_-]{43}$/);
      expect(body.expires_at).toBe(
        new Date(harness.clock.now().getTime() + defaultSessionPolicy.ttlMs).toISOString(),
      );
      expect(body.user).toEqual({
        id: encodeId("User", await userIdOf(harness, DEMO_USERS.member.email)),
        name: "Max Member",
        email: "member@example.com",
      });
      // Standard base64 of `User:<uuid>`.
      const decoded = Buffer.from(body.user.id, "base64").toString("utf8");
      expect(decoded).toMatch(/^User:[0-9a-f-]{36}$/);
      expect(decodeId("User", body.user.id)).toMatch(UUID);
    });

    it("accepts the email in any case and with surrounding spaces", async () => {
      const res = await signInAs(harness, "  Member@Example.COM ", DEMO_PASSWORD);
      expect(res.status).toBe(201);
    });

    it("gives a wrong password and an unknown email byte-identical 401s", async () => {
      const wrong = await signInAs(harness, DEMO_USERS.admin.email, "not-the-password");
      const unknown = await signInAs(harness, "nobody@example.com", DEMO_PASSWORD);
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const [a, b] = [await wrong.clone().text(), await unknown.clone().text()];
      expect(a).toBe(b);
      await expectProblem(wrong, 401, "Authentication required");
      expect(wrong.headers.get("content-type")).toBe(unknown.headers.get("content-type"));
    });

    it("stores sessions only as SHA-256 digests", async () => {
      const token = await harness.signIn("readOnly");
      const rows = await harness.handle.db.select().from(sessions);
      expect(rows.length).toBeGreaterThan(0);
      const dump = JSON.stringify(rows) + JSON.stringify(await harness.handle.db.select().from(auditLog));
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(4));
      expect(rows.map((r) => r.tokenDigest)).toContain(sha256Hex(token));
    });

    it("writes audit rows for sign-ins and failures, never the password", async () => {
      const rows = await harness.handle.db.select().from(auditLog);
      const actions = new Set(rows.map((r) => r.action));
      expect(actions).toContain("session.create");
      expect(actions).toContain("session.sign_in_failed");
      expect(JSON.stringify(rows)).not.toContain(DEMO_PASSWORD);
    });
  });

  describe("a failed sign-in's audit row", () => {
    let harness: ApiHarness;
    beforeAll(async () => {
      harness = await createHarness(database);
    });
    afterAll(() => harness.close());

    const failedRows = async () =>
      (await harness.handle.db.select().from(auditLog)).filter((r) => r.action === "session.sign_in_failed");

    it("has no actor: the victim's audit log does not list it; the person tried is the target", async () => {
      const victimId = await userIdOf(harness, DEMO_USERS.member.email);
      expect((await signInAs(harness, " Member@Example.com", "not-the-password")).status).toBe(401);
      expect((await signInAs(harness, "nobody-at-all@example.com", "not-the-password")).status).toBe(401);

      const admin = await harness.signIn("admin");
      const res = await harness.request(
        "GET",
        `/v2/audit-logs?user_id=${encodeURIComponent(encodeId("User", victimId))}`,
        { token: admin },
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as { logs: unknown[] }).logs).toEqual([]);
      // Nor does the whole log show it as anyone's action.
      const all = (await (await harness.request("GET", "/v2/audit-logs", { token: admin })).json()) as {
        logs: { operation_name: string }[];
      };
      expect(all.logs.map((l) => l.operation_name)).not.toContain("session.sign_in_failed");

      const [known, unknown] = await failedRows();
      expect(known).toMatchObject({
        actorUserId: null,
        actorCredential: "anonymous",
        targetType: "user",
        targetId: victimId,
        details: { variables: { email: "member@example.com" } },
      });
      expect(unknown).toMatchObject({
        actorUserId: null,
        accountId: null,
        targetType: "user",
        targetId: null,
        details: { variables: { email: "nobody-at-all@example.com" } },
      });
    });

    it("refuses an email the database cannot hold as text on its field, before any attempt is counted or logged", async () => {
      const before = (await failedRows()).length;
      for (const email of ["nul\u0000@example.com", "lone\ud800@example.com"]) {
        const res = await signInAs(harness, email, "not-the-password");
        expect(res.status).toBe(400);
        expect(((await res.json()) as { errors?: { field: string }[] }).errors?.[0]?.field).toBe("email");
      }
      expect(await failedRows()).toHaveLength(before);
    });
  });

  describe("sign-in throttling: growing delays per account+address and per address, never a lockout", () => {
    const rule = { baseDelayMs: 1_000, maxDelayMs: 8_000, forgetAfterMs: 10 * minute };
    const policy: SessionPolicy = {
      ttlMs: defaultSessionPolicy.ttlMs,
      perAccountAndClient: { ...rule, freeFailures: 3 },
      perClient: { ...rule, freeFailures: 8 },
      passwordChangePerUser: defaultSessionPolicy.passwordChangePerUser,
    };
    let harness: ApiHarness;
    beforeAll(async () => {
      // Trust one proxy hop so that tests can speak from different client addresses.
      harness = await createHarness(database, { config: { sessions: policy, trustedProxyHops: 1 } });
    });
    // Each test starts with no failures on record.
    afterEach(() => harness.clock.advance(rule.forgetAfterMs));
    afterAll(() => harness.close());

    it("the right password from another address still signs in while an attacker keeps failing", async () => {
      const email = DEMO_USERS.admin.email;
      const attacker = "198.51.100.66";
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push((await signInAs(harness, email, `wrong-${i}`, attacker)).status);
        // The owner, from their own address, is never held back by the attacker's failures.
        expect((await signInAs(harness, email, DEMO_PASSWORD, "198.51.100.10")).status).toBe(201);
        harness.clock.advance(300);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toContain(429);
      // And the attacker, even with the right password, is held back.
      const held = await signInAs(harness, email, DEMO_PASSWORD, attacker);
      await expectProblem(held, 429, "Rate limit exceeded");
    });

    it("delays grow with each failure beyond the free ones (1 s, 2 s, 4 s, …), each honoured exactly", async () => {
      const email = DEMO_USERS.member.email;
      const client = "198.51.100.20";
      for (let i = 0; i < 3; i++) expect((await signInAs(harness, email, "wrong", client)).status).toBe(401);
      const waits: number[] = [];
      for (let round = 0; round < 4; round++) {
        expect((await signInAs(harness, email, "wrong", client)).status).toBe(401);
        const held = await signInAs(harness, email, "wrong", client);
        expect(held.status).toBe(429);
        const wait = Number(held.headers.get("retry-after"));
        waits.push(wait);
        harness.clock.advance(wait * 1000 - 1);
        expect((await signInAs(harness, email, DEMO_PASSWORD, client)).status).toBe(429);
        harness.clock.advance(1);
      }
      expect(waits).toEqual([1, 2, 4, 8]);
      // After the wait, the right password works, and the pair starts afresh.
      expect((await signInAs(harness, email, DEMO_PASSWORD, client)).status).toBe(201);
      for (let i = 0; i < 3; i++)
        expect((await signInAs(harness, email, "wrong", "198.51.100.21")).status).toBe(401);
    });

    it("an unknown email gets exactly the answers a known one gets", async () => {
      const answers = async (email: string, client: string) => {
        const out: string[] = [];
        for (let i = 0; i < 5; i++) {
          const res = await signInAs(harness, email, "wrong", client);
          out.push(`${res.status} ${res.headers.get("retry-after")} ${await res.text()}`);
        }
        return out;
      };
      const known = await answers(DEMO_USERS.readOnly.email, "198.51.100.30");
      const unknown = await answers("nobody-here@example.com", "198.51.100.31");
      expect(unknown).toEqual(known);
      expect(known.some((a) => a.startsWith("429"))).toBe(true);
    });

    it("failures across many emails from one address slow that address only", async () => {
      const sprayer = "203.0.113.7";
      for (let i = 0; i <= policy.perClient.freeFailures; i++) {
        expect((await signInAs(harness, `stranger-${i}@example.com`, "guess", sprayer)).status).toBe(401);
      }
      const limited = await signInAs(harness, DEMO_USERS.admin.email, DEMO_PASSWORD, sprayer);
      await expectProblem(limited, 429, "Rate limit exceeded");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      // The same person from another address is fine.
      expect((await signInAs(harness, DEMO_USERS.admin.email, DEMO_PASSWORD, "203.0.113.8")).status).toBe(
        201,
      );
    });
  });

  describe("sign-in throttling under parallel attempts over HTTP, on two instances over one database", () => {
    const policy = defaultSessionPolicy;
    let harness: ApiHarness;
    let instances: { baseUrl: string; close(): Promise<void> }[] = [];
    let closeOther: () => Promise<void>;
    beforeAll(async () => {
      harness = await createHarness(database, { config: { trustedProxyHops: 1 } });
      // A second instance: on PostgreSQL with its own pool, so the attempts race in different connections.
      const other =
        database.name === "postgres"
          ? await openDatabase({ kind: "postgres", url: harness.handle.url })
          : { db: harness.handle.db, close: () => Promise.resolve() };
      closeOther = other.close;
      const secondApp = createApi({
        db: other.db,
        clock: harness.clock,
        config: { failedAuthPerMinute: 0, trustedProxyHops: 1 },
      });
      instances = [await serveOverHttp(harness.app), await serveOverHttp(secondApp)];
    });
    afterEach(() => harness.clock.advance(policy.perClient.forgetAfterMs));
    afterAll(async () => {
      await Promise.all(instances.map((i) => i.close()));
      await closeOther();
      await harness.close();
    });

    /** Sends every attempt at once, alternating between the two instances; the statuses in order. */
    async function inParallel(attempts: { email: string; password: string }[], client: string) {
      const responses = await Promise.all(
        attempts.map((body, i) =>
          fetch(`${instances[i % 2]?.baseUrl}/v2/sessions`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": client },
            body: JSON.stringify(body),
          }),
        ),
      );
      return responses.map((r) => r.status);
    }
    const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

    it("40 wrong passwords at once for one email: as many 401s as one after another (6), then 429", async () => {
      const email = DEMO_USERS.admin.email;
      const attacker = "198.51.100.140";
      const statuses = await inParallel(
        Array.from({ length: 40 }, (_, i) => ({ email, password: `wrong-${i}` })),
        attacker,
      );
      expect(count(statuses, 401)).toBe(policy.perAccountAndClient.freeFailures + 1);
      expect(count(statuses, 429)).toBe(40 - (policy.perAccountAndClient.freeFailures + 1));
      // The right password from the attacker's address waits like after six failures in a row…
      const held = await signInAs(harness, email, DEMO_PASSWORD, attacker);
      await expectProblem(held, 429, "Rate limit exceeded");
      expect(held.headers.get("retry-after")).toBe("1");
      // …while the owner, from their own address, signs in.
      expect((await signInAs(harness, email, DEMO_PASSWORD, "198.51.100.141")).status).toBe(201);
    });

    it("40 emails sprayed at once from one address: as many 401s as one after another (21), then 429", async () => {
      const sprayer = "203.0.113.140";
      const statuses = await inParallel(
        Array.from({ length: 40 }, (_, i) => ({ email: `spray-${i}@example.com`, password: "guess" })),
        sprayer,
      );
      expect(count(statuses, 401)).toBe(policy.perClient.freeFailures + 1);
      expect(count(statuses, 429)).toBe(40 - (policy.perClient.freeFailures + 1));
      await expectProblem(
        await signInAs(harness, DEMO_USERS.member.email, DEMO_PASSWORD, sprayer),
        429,
        "Rate limit exceeded",
      );
    });

    it("one after another: six 401s, then 429 (the right password too)", async () => {
      const email = DEMO_USERS.member.email;
      const client = "198.51.100.142";
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await signInAs(harness, email, `wrong-${i}`, client)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
      expect((await signInAs(harness, email, DEMO_PASSWORD, client)).status).toBe(429);
      harness.clock.advance(1_000);
      expect((await signInAs(harness, email, DEMO_PASSWORD, client)).status).toBe(201);
    });

    it("a correct sign-in counts against neither its address nor the forgetting of its address's failures", async () => {
      const free = policy.perClient.freeFailures;
      const fail = (client: string, n: number, prefix: string) =>
        Promise.all(
          Array.from(
            { length: n },
            async (_, i) => (await signInAs(harness, `${prefix}-${i}@example.com`, "guess", client)).status,
          ),
        );
      const good = async (client: string) => {
        for (let i = 0; i < 3; i++)
          expect((await signInAs(harness, DEMO_USERS.readOnly.email, DEMO_PASSWORD, client)).status).toBe(
            201,
          );
      };
      const [a, b] = ["203.0.113.141", "203.0.113.142"];
      expect(await fail(a, free, "typo-a")).toEqual(Array(free).fill(401));
      expect(await fail(b, free, "typo-b")).toEqual(Array(free).fill(401));
      // Just before the failures are forgotten, three good sign-ins from each address.
      harness.clock.advance(policy.perClient.forgetAfterMs - 1_000);
      await good(a);
      await good(b);
      // Address a still has exactly one failure before its delay…
      expect((await signInAs(harness, "typo-a-x@example.com", "guess", a)).status).toBe(401);
      expect((await signInAs(harness, "typo-a-y@example.com", "guess", a)).status).toBe(429);
      // …and b's failures are forgotten when they would have been without the good sign-ins.
      harness.clock.advance(1_000);
      for (let i = 0; i <= free; i++)
        expect((await signInAs(harness, `later-${i}@example.com`, "guess", b)).status).toBe(401);
      expect((await signInAs(harness, "later-x@example.com", "guess", b)).status).toBe(429);
    });
  });

  describe("changing one's own password: wrong current passwords are slowed like sign-in failures", () => {
    let harness: ApiHarness;
    let second: { app: ReturnType<typeof createApi>; close(): Promise<void> };
    beforeAll(async () => {
      harness = await createHarness(database);
      const other =
        database.name === "postgres"
          ? await openDatabase({ kind: "postgres", url: harness.handle.url })
          : { db: harness.handle.db, close: () => Promise.resolve() };
      second = { app: createApi({ db: other.db, clock: harness.clock }), close: other.close };
    });
    afterAll(async () => {
      await second.close();
      await harness.close();
    });

    const change = (app: ReturnType<typeof createApi>, token: string, current: string, next: string) =>
      app.request("/v2/me/password", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ current_password: current, new_password: next }),
      });

    it("40 guesses at once with a stolen session: 6 answered, the rest 429; the owner gets in after the wait", async () => {
      const stolen = await harness.signIn("member");
      const guesses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          change(i % 2 === 0 ? harness.app : second.app, stolen, `guess-number-${i}`, "taken over for good"),
        ),
      );
      const statuses = guesses.map((r) => r.status);
      const free = defaultSessionPolicy.passwordChangePerUser.freeFailures;
      expect(statuses.filter((s) => s === 400)).toHaveLength(free + 1);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40 - (free + 1));
      // Whoever holds the session now waits, even with the right password…
      const held = await change(harness.app, stolen, DEMO_PASSWORD, "taken over for good");
      await expectProblem(held, 429, "Rate limit exceeded");
      expect(held.headers.get("retry-after")).toBe("1");
      // …from every session and key of the person.
      const own = await harness.signIn("member");
      expect((await change(second.app, own, DEMO_PASSWORD, "my own new password")).status).toBe(429);
      harness.clock.advance(1_000);
      expect((await change(second.app, own, DEMO_PASSWORD, "my own new password")).status).toBe(204);
      // The right password started the count afresh.
      for (let i = 0; i <= free; i++)
        expect((await change(harness.app, own, `typo-${i}-password`, "another new password")).status).toBe(
          400,
        );
      expect((await change(harness.app, own, "typo-x-password", "another new password")).status).toBe(429);
    });
  });

  describe("expiry and sign-out", () => {
    const ttlMs = 30 * minute;
    let harness: ApiHarness;
    beforeAll(async () => {
      harness = await createHarness(database, {
        config: { sessions: { ...defaultSessionPolicy, ttlMs } },
        now: "2026-03-01T12:00:00.000Z",
      });
    });
    afterEach(() => harness.clock.set("2026-03-01T12:00:00.000Z"));
    afterAll(() => harness.close());

    it("is valid until 1 ms before expires_at and invalid at expires_at (exclusive)", async () => {
      const res = await signInAs(harness, DEMO_USERS.member.email, DEMO_PASSWORD);
      const { token, expires_at } = (await res.json()) as SessionBody;
      const expiresAt = new Date(expires_at).getTime();
      expect(expiresAt).toBe(harness.clock.now().getTime() + ttlMs);

      harness.clock.set(expiresAt - 1);
      expect((await harness.request("GET", "/v2/me", { token })).status).toBe(200);
      harness.clock.set(expiresAt);
      await expectProblem(await harness.request("GET", "/v2/me", { token }), 401, "Authentication required");
      harness.clock.set(expiresAt + 1);
      expect((await harness.request("GET", "/v2/me", { token })).status).toBe(401);
    });

    it("signs out: 204, and then the token is refused while other sessions live on", async () => {
      const token = await harness.signIn("admin");
      const other = await harness.signIn("admin");
      expect((await harness.request("GET", "/v2/me", { token })).status).toBe(200);
      const res = await harness.request("DELETE", "/v2/sessions/current", { token });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe("");
      await expectProblem(await harness.request("GET", "/v2/me", { token }), 401, "Authentication required");
      expect((await harness.request("DELETE", "/v2/sessions/current", { token })).status).toBe(401);
      expect((await harness.request("GET", "/v2/me", { token: other })).status).toBe(200);
      const rows = await harness.handle.db.select().from(sessions);
      expect(rows.map((r) => r.tokenDigest)).not.toContain(sha256Hex(token));
    });

    it("a temporary-password session (must change its password first) can sign out, and is then refused", async () => {
      const admin = await harness.signIn("admin");
      const rileyId = encodeId("User", await userIdOf(harness, DEMO_USERS.readOnly.email));
      const reset = await harness.request(
        "POST",
        `/v2/users/${encodeURIComponent(rileyId)}/reset-password?mode=temporary_password`,
        { token: admin },
      );
      expect(reset.status).toBe(200);
      const { temporary_password } = (await reset.json()) as { temporary_password: string };
      const signedIn = await signInAs(harness, DEMO_USERS.readOnly.email, temporary_password);
      expect(signedIn.status).toBe(201);
      const session = (await signedIn.json()) as SessionBody & { password_change_required?: boolean };
      expect(session.password_change_required).toBe(true);
      const token = session.token;
      expect((await harness.request("GET", "/v2/me", { token })).status).toBe(403);

      const res = await harness.request("DELETE", "/v2/sessions/current", { token });
      expect(res.status).toBe(204);
      await expectProblem(await harness.request("GET", "/v2/me", { token }), 401, "Authentication required");
      await expectProblem(
        await harness.request("POST", "/v2/me/password", {
          token,
          body: { current_password: temporary_password, new_password: "a brand new password" },
        }),
        401,
        "Authentication required",
      );
      expect((await harness.handle.db.select().from(sessions)).map((r) => r.tokenDigest)).not.toContain(
        sha256Hex(token),
      );
    });

    it("refuses sign-out without a credential", async () => {
      await expectProblem(
        await harness.request("DELETE", "/v2/sessions/current"),
        401,
        "Authentication required",
      );
    });
  });

  describe("blocking a user", () => {
    let harness: ApiHarness;
    beforeAll(async () => {
      harness = await createHarness(database);
    });
    afterAll(() => harness.close());

    it("ends the user's sessions and sign-ins; idempotent; admins only; never oneself", async () => {
      const ada = await harness.signIn("admin");
      const max = await harness.signIn("member");
      const riley = await harness.signIn("readOnly");
      const maxId = ((await (await harness.request("GET", "/v2/me", { token: max })).json()) as Me).user.id;
      const adaId = ((await (await harness.request("GET", "/v2/me", { token: ada })).json()) as Me).user.id;
      const path = `/v2/users/${encodeURIComponent(maxId)}`;

      // Not an account admin.
      await expectProblem(await harness.request("DELETE", path, { token: riley }), 403, "Access forbidden");
      await expectProblem(await harness.request("DELETE", path, { token: max }), 403, "Access forbidden");
      // Not oneself.
      await expectProblem(
        await harness.request("DELETE", `/v2/users/${encodeURIComponent(adaId)}`, { token: ada }),
        403,
        "Access forbidden",
      );
      expect((await harness.request("GET", "/v2/me", { token: max })).status).toBe(200);

      const blocked = await harness.request("DELETE", path, { token: ada });
      expect(blocked.status).toBe(204);

      await expectProblem(
        await harness.request("GET", "/v2/me", { token: max }),
        401,
        "Authentication required",
      );
      const refused = await signInAs(harness, DEMO_USERS.member.email, DEMO_PASSWORD);
      const wrongPassword = await signInAs(harness, DEMO_USERS.readOnly.email, "not-the-password");
      expect(refused.status).toBe(401);
      expect(await refused.text()).toBe(await wrongPassword.text());

      // Idempotent.
      expect((await harness.request("DELETE", path, { token: ada })).status).toBe(204);

      const db = harness.handle.db;
      const maxUuid = decodeId("User", maxId);
      if (!maxUuid) throw new Error("Max's id does not decode");
      const [row] = await db.select().from(users).where(eq(users.id, maxUuid));
      expect(row?.status).toBe("blocked");
      expect(await db.select().from(sessions).where(eq(sessions.userId, maxUuid))).toEqual([]);
      const audits = await db.select().from(auditLog).where(eq(auditLog.action, "user.block"));
      expect(audits).toHaveLength(1);
      expect(audits[0]?.targetId).toBe(maxUuid);

      // Others are untouched.
      expect((await harness.request("GET", "/v2/me", { token: riley })).status).toBe(200);
    });

    it.each([
      ["an unknown user", encodeId("User", "00000000-0000-4000-8000-000000000000")],
      ["garbage", "not-an-id"],
      ["a space's id", encodeId("Space", "00000000-0000-4000-8000-000000000000")],
      ["base64 of nonsense", Buffer.from("User:nope").toString("base64")],
    ])("answers 404 for %s", async (_label, id) => {
      const ada = await harness.signIn("admin");
      const res = await harness.request("DELETE", `/v2/users/${encodeURIComponent(id)}`, { token: ada });
      await expectProblem(res, 404, "Resource not found");
    });
  });
});
