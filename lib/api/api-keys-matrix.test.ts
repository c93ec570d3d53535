import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import { encodeId } from "../domain/ids";
import { hashPassword } from "../auth/passwords";
import { generateKey } from "../keys/secrets";
import type { ApiKeyCreatedJson } from "../schemas/api-keys";
import {
  createServiceKey,
  createUserKey,
  expectProblem,
  listKeys,
  meOf,
  meStatus,
  missingKeyId,
  refreshKey,
  revokeKey,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

/**
 * The permission matrix, from the contract's "who may do what" table. One row per caller, one
 * column per action × target; the expected HTTP status is the data, and every case runs as a test.
 *
 * Callers: the three demo humans by session; a user key of Max (acts as Max); a service key of the
 * "Staging admin bot" that Max created (space admin in Staging, member of Platform, account member —
 * so an admin of another space than Production); a blocked user's key; no credential; garbage.
 *
 * Targets, made fresh for every case:
 * - own:        a user key of the caller (for the bot: a service key the bot itself created in Staging)
 * - other:      another human's user key (Riley's; Max's when the caller is Riley)
 * - otherSpace: a service key in Experiments (Research) that Ada created
 * - prodByAda:  a Production service key that Ada created
 * - prodByMax:  a Production service key that Max created
 * - missing:    an id that exists nowhere
 * For list, the target is the query: own = no filter, other = user_id of the other human,
 * otherSpace = space_id of Experiments, missing = space_id of a nonexistent space.
 * For create, the target is the space: own = the caller's home space (Production; Staging for the
 * bot), otherSpace = Experiments, missing = a nonexistent space.
 */
type Caller = "ada" | "max" | "riley" | "maxKey" | "bot" | "blockedKey" | "none" | "garbage";
type Action = "list" | "createUser" | "createService" | "revoke" | "refresh";
type Target = "own" | "other" | "otherSpace" | "prodByAda" | "prodByMax" | "missing";
type Row = Partial<Record<Target, number>>;

const UNAUTHENTICATED: Record<Action, Row> = {
  list: { own: 401, other: 401, otherSpace: 401, missing: 401 },
  createUser: { own: 401 },
  createService: { own: 401, otherSpace: 401, missing: 401 },
  revoke: { own: 401, other: 401, otherSpace: 401, prodByAda: 401, prodByMax: 401, missing: 401 },
  refresh: { own: 401, other: 401, otherSpace: 401, prodByAda: 401, prodByMax: 401, missing: 401 },
};

const MAX: Record<Action, Row> = {
  // Max: account member; Production member; Staging admin; Experiments read-only.
  list: { own: 200, other: 403, otherSpace: 200, missing: 404 },
  createUser: { own: 201 },
  createService: { own: 201, otherSpace: 403, missing: 404 },
  revoke: { own: 204, other: 404, otherSpace: 403, prodByAda: 403, prodByMax: 204, missing: 404 },
  refresh: { own: 200, other: 404, otherSpace: 403, prodByAda: 403, prodByMax: 200, missing: 404 },
};

const EXPECTED: Record<Caller, Record<Action, Row>> = {
  ada: {
    // Account admin: sees everything; may revoke anyone's key, but refresh only her own user keys.
    list: { own: 200, other: 200, otherSpace: 200, missing: 404 },
    createUser: { own: 201 },
    createService: { own: 201, otherSpace: 201, missing: 404 },
    revoke: { own: 204, other: 204, otherSpace: 204, prodByAda: 204, prodByMax: 204, missing: 404 },
    refresh: { own: 200, other: 403, otherSpace: 200, prodByAda: 200, prodByMax: 200, missing: 404 },
  },
  max: MAX,
  // A user key carries its user's access, no more and no less.
  maxKey: MAX,
  riley: {
    // Read-only in Production and Staging; cannot reach Research at all.
    list: { own: 200, other: 403, otherSpace: 404, missing: 404 },
    createUser: { own: 201 },
    createService: { own: 403, otherSpace: 404, missing: 404 },
    revoke: { own: 204, other: 404, otherSpace: 404, prodByAda: 403, prodByMax: 403, missing: 404 },
    refresh: { own: 200, other: 404, otherSpace: 404, prodByAda: 403, prodByMax: 403, missing: 404 },
  },
  bot: {
    // Acts as its bot user: Staging admin, Platform member, account member; no Production access.
    list: { own: 200, other: 403, otherSpace: 404, missing: 404 },
    createUser: { own: 403 },
    createService: { own: 201, otherSpace: 404, missing: 404 },
    revoke: { own: 204, other: 404, otherSpace: 404, prodByAda: 404, prodByMax: 404, missing: 404 },
    refresh: { own: 200, other: 404, otherSpace: 404, prodByAda: 404, prodByMax: 404, missing: 404 },
  },
  blockedKey: UNAUTHENTICATED,
  none: UNAUTHENTICATED,
  garbage: UNAUTHENTICATED,
};

interface Case {
  caller: Caller;
  action: Action;
  target: Target;
  status: number;
}

const CASES: Case[] = Object.entries(EXPECTED).flatMap(([caller, actions]) =>
  Object.entries(actions).flatMap(([action, row]) =>
    Object.entries(row).map(([target, status]) => ({
      caller: caller as Caller,
      action: action as Action,
      target: target as Target,
      status,
    })),
  ),
);

describe.each(testDatabases())("permission matrix ($name)", (database) => {
  let demo: Demo;
  let credentials: Record<Caller, string | undefined>;
  let botToken: string;
  let missingSpaceId: string;
  /** The body of a 404 for an id that exists nowhere, per action; every invisible key must match it. */
  const notFoundBodies = new Map<string, string>();

  beforeAll(async () => {
    demo = await setupDemo(database);
    const { harness, tokens, spaceIds } = demo;
    const maxKey = await createUserKey(harness, tokens.member, "Max's laptop");
    const bot = await createServiceKey(
      harness,
      tokens.member,
      spaceIds.Staging,
      { space_role: "admin", org_role: "member", account_role: "member" },
      "Staging admin bot",
    );
    botToken = bot.key;

    // A fourth person, Blake, signs in, makes a key, and is then blocked by Ada.
    const [ada] = await harness.handle.db
      .select({ accountId: users.accountId })
      .from(users)
      .where(eq(users.email, "admin@example.com"));
    if (!ada) throw new Error("Ada is missing");
    const blakeId = randomUUID();
    await harness.handle.db.insert(users).values({
      id: blakeId,
      accountId: ada.accountId,
      kind: "human",
      name: "Blake Blocked",
      email: "blake@example.com",
      passwordHash: await hashPassword("blake-password"),
      accountRole: "member",
    });
    const signIn = await harness.request("POST", "/v2/sessions", {
      body: { email: "blake@example.com", password: "blake-password" },
    });
    const blakeSession = ((await signIn.json()) as { token: string }).token;
    const blakeKey = await createUserKey(harness, blakeSession, "Blake's key");
    expect(await meStatus(harness, blakeKey.key)).toBe(200);
    const blocked = await harness.request(
      "DELETE",
      `/v2/users/${encodeURIComponent(encodeId("User", blakeId))}`,
      {
        token: tokens.admin,
      },
    );
    expect(blocked.status).toBe(204);

    credentials = {
      ada: tokens.admin,
      max: tokens.member,
      riley: tokens.readOnly,
      maxKey: maxKey.key,
      bot: bot.key,
      blockedKey: blakeKey.key,
      none: undefined,
      // Well-formed, right checksum, but issued by no one.
      garbage: generateKey(),
    };
    missingSpaceId = encodeId("Space", randomUUID());
  });
  afterAll(() => demo.harness.close());

  /** Whom a caller acts as, for "own" and "other" targets. */
  const human = (caller: Caller): "admin" | "member" | "readOnly" =>
    caller === "ada" ? "admin" : caller === "riley" ? "readOnly" : "member";
  const otherHuman = (caller: Caller) => (caller === "riley" ? "member" : "readOnly");

  /** Makes the target key afresh, so every case starts from the same state. */
  async function makeTarget(caller: Caller, target: Target): Promise<ApiKeyCreatedJson | null> {
    const { harness, tokens, spaceIds } = demo;
    switch (target) {
      case "own":
        return caller === "bot"
          ? createServiceKey(harness, botToken, spaceIds.Staging)
          : createUserKey(harness, tokens[human(caller)]);
      case "other":
        return createUserKey(harness, tokens[otherHuman(caller)]);
      case "otherSpace":
        return createServiceKey(harness, tokens.admin, spaceIds.Experiments);
      case "prodByAda":
        return createServiceKey(harness, tokens.admin, spaceIds.Production);
      case "prodByMax":
        return createServiceKey(harness, tokens.member, spaceIds.Production);
      case "missing":
        return null;
    }
  }

  function listQuery(caller: Caller, target: Target): string {
    const { userIds, spaceIds } = demo;
    switch (target) {
      case "other":
        return `user_id=${encodeURIComponent(userIds[otherHuman(caller)])}`;
      case "otherSpace":
        return `space_id=${encodeURIComponent(spaceIds.Experiments)}`;
      case "missing":
        return `space_id=${encodeURIComponent(missingSpaceId)}`;
      default:
        return "";
    }
  }

  function createBody(caller: Caller, action: Action, target: Target): Record<string, unknown> {
    const name = `matrix ${randomUUID()}`;
    if (action === "createUser") return { name };
    const space =
      target === "otherSpace"
        ? demo.spaceIds.Experiments
        : target === "missing"
          ? missingSpaceId
          : caller === "bot"
            ? demo.spaceIds.Staging
            : demo.spaceIds.Production;
    return { name, key_type: "service", space_id: space };
  }

  it.each(CASES)("$caller · $action · $target → $status", async ({ caller, action, target, status }) => {
    const { harness } = demo;
    const token = caller === "none" ? undefined : credentials[caller];
    const key = action === "revoke" || action === "refresh" ? await makeTarget(caller, target) : null;
    const keyId = key?.id ?? missingKeyId();

    let res: Response;
    if (action === "list") {
      const query = listQuery(caller, target);
      res = await harness.request("GET", `/v2/api-keys${query ? `?${query}` : ""}`, { token });
    } else if (action === "createUser" || action === "createService") {
      res = await harness.request("POST", "/v2/api-keys", {
        token,
        body: createBody(caller, action, target),
      });
    } else if (action === "revoke") {
      res = await revokeKey(harness, token, keyId);
    } else {
      res = await refreshKey(harness, token, keyId);
    }

    const text = await res.clone().text();
    expect(res.status, text).toBe(status);
    if (status >= 400) {
      await expectProblem(res, status);
      expect(text).not.toMatch(/ak-[0-9a-f]{8}-/);
    }

    // Invisible and nonexistent look the same, byte for byte.
    if (status === 404) {
      const reference = `${caller}:${action}`;
      const seen = notFoundBodies.get(reference);
      if (seen === undefined) notFoundBodies.set(reference, text);
      else expect(text).toBe(seen);
    }
    if (status === 401) {
      const seen = notFoundBodies.get("401");
      if (seen === undefined) notFoundBodies.set("401", text);
      else expect(text).toBe(seen);
    }

    if (!key) return;
    // A refused action changes nothing: the target's secret still works; an allowed one took effect.
    if (action === "revoke") {
      expect(await meStatus(harness, key.key)).toBe(status === 204 ? 401 : 200);
    } else {
      expect(await meStatus(harness, key.key)).toBe(status === 200 ? 401 : 200);
      if (status === 200) {
        const body = JSON.parse(text) as ApiKeyCreatedJson;
        expect(body.id).toBe(key.id);
        expect(await meStatus(harness, body.key)).toBe(200);
      } else {
        expect(text).not.toContain('"key"');
      }
    }
  });

  it("404s for invisible keys are byte-identical to the nonexistent id's, for revoke and refresh alike", async () => {
    const { harness, tokens, spaceIds } = demo;
    const rileysKey = await createUserKey(harness, tokens.readOnly);
    const experimentsKey = await createServiceKey(harness, tokens.admin, spaceIds.Experiments);
    const bodies: string[] = [];
    for (const id of [
      missingKeyId(),
      rileysKey.id,
      experimentsKey.id,
      encodeId("Space", randomUUID()),
      "bm9wZQ==",
    ]) {
      for (const res of [await revokeKey(harness, botToken, id), await refreshKey(harness, botToken, id)]) {
        expect(res.status).toBe(404);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        bodies.push(await res.text());
      }
    }
    expect(new Set(bodies).size).toBe(1);
  });

  it("lists show what the caller may see: Ada gets Riley's keys, Max gets Experiments' service keys", async () => {
    const { harness, tokens, userIds, spaceIds } = demo;
    const rileysKey = await createUserKey(harness, tokens.readOnly);
    const experimentsKey = await createServiceKey(harness, tokens.admin, spaceIds.Experiments);
    const byAda = await listKeys(
      harness,
      tokens.admin,
      `user_id=${encodeURIComponent(userIds.readOnly)}&limit=100`,
    );
    expect(byAda.api_keys.map((k) => k.id)).toContain(rileysKey.id);
    const byMax = await listKeys(
      harness,
      tokens.member,
      `space_id=${encodeURIComponent(spaceIds.Experiments)}&limit=100`,
    );
    expect(byMax.api_keys.map((k) => k.id)).toContain(experimentsKey.id);
    // Max's own listing never holds anyone else's key.
    const own = await listKeys(harness, tokens.member, "limit=100");
    expect(own.api_keys.every((k) => k.created_by_user_id === userIds.member && k.key_type === "user")).toBe(
      true,
    );
  });

  it("the service-key caller acts as its bot user, with exactly the bot's roles", async () => {
    const me = await meOf(demo.harness, botToken);
    expect(me.user.kind).toBe("bot");
    expect(me.account_role).toBe("member");
    expect(me.credential.type).toBe("service_key");
    expect(me.organizations).toEqual([
      expect.objectContaining({
        name: "Platform",
        role: "member",
        spaces: [expect.objectContaining({ name: "Staging", role: "admin" })],
      }),
    ]);
  });
});
