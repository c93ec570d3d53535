import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../db/schema";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import {
  auditRows,
  createServiceKey,
  createUserKey,
  expectProblem,
  refreshed,
  revokeKey,
  setupDemo,
  uuidOf,
  type Demo,
} from "../testing/api-keys-test-kit";
import { testDatabases } from "../testing/test-databases";
import type { ApiKeyDetailsJson, ApiKeyEventListJson } from "../schemas/api-key-details";
import type { LookupApiKeyResultJson } from "../schemas/api-key-lookup";
import { generateKey } from "./secrets";

// lifecycle.md §6, Check a key: `POST /v2/api-keys/lookup`.

const START = "2026-06-01T08:00:00.000Z";

describe.each(testDatabases())("Check a key ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database, { now: START });
  });
  afterAll(() => demo.harness.close());

  const lookup = (token: string, key: unknown, headers?: Record<string, string>) =>
    demo.harness.request("POST", "/v2/api-keys/lookup", { token, body: { key }, headers });

  async function found(token: string, key: string): Promise<LookupApiKeyResultJson> {
    const res = await lookup(token, key);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as LookupApiKeyResultJson;
  }

  async function getKey(token: string, id: string): Promise<ApiKeyDetailsJson> {
    const res = await demo.harness.request("GET", `/v2/api-keys/${encodeURIComponent(id)}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as ApiKeyDetailsJson;
  }

  /** The 404 of a lookup: its status, headers that matter and the exact body. */
  async function missed(token: string, key: unknown) {
    const res = await lookup(token, key);
    const body = await res.text();
    expect(res.status, body).toBe(404);
    return { body, type: res.headers.get("content-type") };
  }

  it("the owner of a user key and an account admin see it, with the fields of GET /v2/api-keys/{id} and matched current", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.member, `lookup owner ${randomUUID()}`);
    for (const viewer of [tokens.member, tokens.admin]) {
      const { matched, ...fields } = await found(viewer, key.key);
      expect(matched).toBe("current");
      expect(fields).toEqual(await getKey(viewer, key.id));
      expect(fields).toMatchObject({ id: key.id, name: key.name, key_type: "user", status: "active" });
    }
  });

  it("an admin of a service key's space (not its creator) and an account admin see it", async () => {
    const { harness, tokens, spaceIds } = demo;
    // Ada (account admin) makes it in Staging, where Max is an admin.
    const key = await createServiceKey(harness, tokens.admin, spaceIds.Staging);
    for (const viewer of [tokens.member, tokens.admin]) {
      const { matched, ...fields } = await found(viewer, key.key);
      expect(matched).toBe("current");
      expect(fields).toEqual(await getKey(viewer, key.id));
      expect(fields.key_type).toBe("service");
      expect(fields.space_id).toBe(spaceIds.Staging);
    }
  });

  it("another member gets the same 404 for a real key they may not see as for a random key or any string", async () => {
    const { harness, tokens, spaceIds } = demo;
    // Max's own user key, and a service key in Experiments, a space Riley is not in.
    const userKey = await createUserKey(harness, tokens.member);
    const serviceKey = await createServiceKey(harness, tokens.admin, spaceIds.Experiments);
    const answers = [
      await missed(tokens.readOnly, userKey.key),
      await missed(tokens.readOnly, serviceKey.key),
      await missed(tokens.readOnly, generateKey()),
      await missed(tokens.readOnly, "not a key at all"),
      await missed(tokens.readOnly, `${userKey.key.slice(0, -1)}x`),
    ];
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(JSON.parse(answers[0]?.body ?? "{}")).toMatchObject({
      status: 404,
      code: "not_found",
      detail: "No key you can see matches.",
    });
    expect(answers[0]?.body).not.toContain(userKey.id);
  });

  it("ignores whitespace and line breaks pasted around the key", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.member);
    for (const pasted of [`${key.key}\n`, `  ${key.key}  `, `\t${key.key}\r\n`, `\n\n ${key.key}\n`]) {
      expect((await found(tokens.member, pasted)).id).toBe(key.id);
    }
    // Inside the key it is not whitespace "around" it.
    await missed(tokens.member, `${key.key.slice(0, 10)} ${key.key.slice(10)}`);
  });

  it("after a refresh with grace the old secret matches as previous until its grace ends", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.member);
    const next = await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 3600 });
    const old = await found(tokens.member, key.key);
    expect(old).toMatchObject({ id: key.id, matched: "previous" });
    expect(old.grace_until).toBeDefined();
    expect(await found(tokens.member, next.key)).toMatchObject({ id: key.id, matched: "current" });
    // Grace over: the old secret no longer belongs to a working key; it is not found.
    harness.clock.advance(3600 * 1000);
    try {
      await missed(tokens.member, key.key);
      expect((await found(tokens.member, next.key)).matched).toBe("current");
    } finally {
      harness.clock.set(START);
    }
  });

  it("a revoked key is still found by its owner, as revoked", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.member);
    expect((await revokeKey(harness, tokens.member, key.id)).status).toBe(204);
    expect(await found(tokens.member, key.key)).toMatchObject({
      id: key.id,
      status: "revoked",
      revocation_reason: "manual",
      matched: "current",
    });
  });

  it("writes an audit row per check: the key and the match when found and visible, no target otherwise, never the secret", async () => {
    const { harness, tokens, userIds } = demo;
    const key = await createUserKey(harness, tokens.member);
    await found(tokens.member, key.key);
    const [row] = await auditRows(harness, key.id, "api_key.lookup");
    expect(row).toMatchObject({
      actorUserId: uuidOf("User", userIds.member),
      actorCredential: "session",
      details: { key_type: "user", matched: "current" },
    });

    // The check is in the key's own history.
    const history = await harness.request("GET", `/v2/api-keys/${encodeURIComponent(key.id)}/events`, {
      token: tokens.member,
    });
    expect(((await history.json()) as ApiKeyEventListJson).events[0]).toMatchObject({
      operation_name: "api_key.lookup",
      user_id: userIds.member,
    });

    await missed(tokens.readOnly, key.key);
    const misses = await harness.handle.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, "api_key.lookup"),
          eq(auditLog.actorUserId, uuidOf("User", userIds.readOnly)),
          isNull(auditLog.targetId),
        ),
      );
    expect(misses.length).toBeGreaterThan(0);
    for (const miss of misses) expect(miss.details).toEqual({ matched: "none" });
    // Riley's miss did not name Max's key.
    expect(await auditRows(harness, key.id, "api_key.lookup")).toHaveLength(1);
    const all = await harness.handle.db.select().from(auditLog).where(eq(auditLog.action, "api_key.lookup"));
    expect(JSON.stringify(all)).not.toContain(key.key);
    expect(JSON.stringify(all)).not.toContain(key.key.slice(-32));
  });

  it("refuses a malformed body with 400, naming the field", async () => {
    const { harness, tokens } = demo;
    for (const body of [
      {},
      { key: 42 },
      { key: " \n " },
      { key: "x".repeat(1001) },
      { key: "ak-x", extra: 1 },
    ]) {
      const res = await harness.request("POST", "/v2/api-keys/lookup", { token: tokens.member, body });
      const problem = await expectProblem(res, 400, "invalid_request");
      expect(problem.errors?.length).toBeGreaterThan(0);
    }
    await expectProblem(
      await harness.request("POST", "/v2/api-keys/lookup", { token: tokens.member, body: "[]" }),
      400,
    );
  });

  it("answers an Arize client as GET /v2/api-keys/{id} does: the list item, the details only with include=details", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.member);
    const arize = { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" };
    const get = async (query: string) => {
      const res = await harness.request("GET", `/v2/api-keys/${encodeURIComponent(key.id)}${query}`, {
        token: tokens.member,
        headers: arize,
      });
      return (await res.json()) as ApiKeyDetailsJson;
    };
    for (const query of ["", "?include=details"]) {
      const res = await harness.request("POST", `/v2/api-keys/lookup${query}`, {
        token: tokens.member,
        body: { key: key.key },
        headers: arize,
      });
      expect(res.status).toBe(200);
      const { matched, ...fields } = (await res.json()) as LookupApiKeyResultJson;
      expect(matched).toBe("current");
      expect(fields).toEqual(await get(query));
      expect("usage" in fields).toBe(query !== "");
    }
  });

  it("needs a credential like every other call", async () => {
    const key = await createUserKey(demo.harness, demo.tokens.member);
    await expectProblem(
      await demo.harness.request("POST", "/v2/api-keys/lookup", { body: { key: key.key } }),
      401,
    );
  });

  it("is in the OpenAPI document", async () => {
    const res = await demo.harness.request("GET", "/v2/openapi.json");
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths["/v2/api-keys/lookup"]?.post).toBeDefined();
  });
});

describe.each(testDatabases())("Check a key's misses are failed credential checks ($name)", (database) => {
  let harness: ApiHarness;
  let token: string;
  let mine: string;

  beforeAll(async () => {
    harness = await createHarness(database, { now: START, config: { failedAuthPerMinute: 3 } });
    token = await harness.signIn("member");
    mine = (await createUserKey(harness, token)).key;
  });
  afterAll(() => harness.close());

  const lookup = (key: string) => harness.request("POST", "/v2/api-keys/lookup", { token, body: { key } });

  it("enough misses get 429 with Retry-After, shared with bad credentials; a key the caller may see is still found", async () => {
    // Hits are never counted.
    for (let i = 0; i < 5; i++) expect((await lookup(mine)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await lookup(generateKey())).status).toBe(404);
    const refused = await lookup(generateKey());
    await expectProblem(refused.clone(), 429, "rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // The same limiter as authentication: a bad bearer credential from this address is refused too.
    await expectProblem(await harness.request("GET", "/v2/me", { token: "junk" }), 429, "rate_limited");
    // A working credential and a key the caller may see are still served.
    expect((await lookup(mine)).status).toBe(200);

    harness.clock.advance(60_000);
    expect((await lookup(generateKey())).status).toBe(404);
  });
});
