/**
 * GET /v2/api-keys?status=usable [ext]: what the dashboard calls Active — keys usable now, neither
 * revoked nor expired — on the caller's own list, the service-key lists and the account's inventory.
 * Arize's `active` is unchanged (an expired key stays `active` for Arize's clients).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import { createKey, listKeys, revokeKey, setupDemo, type Demo } from "../testing/api-keys-test-kit";

const HOUR = 3_600_000;
const PYTHON_8_61 = { "sdk-package-name": "arize", "sdk-version": "8.61.0" };

describe.each(testDatabases())("status=usable on the key lists ($name)", (database) => {
  let demo: Demo;
  const tag = `usable-${Math.random().toString(36).slice(2, 8)}`;
  const live = `${tag} live`;
  const later = `${tag} expires later`;
  const expired = `${tag} expired`;
  const revoked = `${tag} revoked`;
  const serviceLive = `${tag} service live`;
  const serviceExpired = `${tag} service expired`;

  beforeAll(async () => {
    demo = await setupDemo(database);
    const { harness, tokens, spaceIds } = demo;
    const now = harness.clock.now().getTime();
    const at = (ms: number) => new Date(now + ms).toISOString();
    await createKey(harness, tokens.member, { name: live });
    await createKey(harness, tokens.member, { name: later, expires_at: at(5 * HOUR) });
    await createKey(harness, tokens.member, { name: expired, expires_at: at(HOUR) });
    const gone = await createKey(harness, tokens.member, { name: revoked });
    expect((await revokeKey(harness, tokens.member, gone.id)).status).toBe(204);
    await createKey(harness, tokens.member, {
      name: serviceLive,
      key_type: "service",
      space_id: spaceIds.Staging,
    });
    await createKey(harness, tokens.member, {
      name: serviceExpired,
      key_type: "service",
      space_id: spaceIds.Staging,
      expires_at: at(HOUR),
    });
    // Exactly at the expiry: expired (valid iff now < expires_at).
    harness.clock.advance(HOUR);
  });
  afterAll(() => demo.harness.close());

  const namesOf = async (query: string, token = demo.tokens.member) =>
    (await listKeys(demo.harness, token, `name=${encodeURIComponent(tag)}&${query}`)).api_keys
      .map((k) => k.name)
      .sort();

  it("lists the caller's keys that work now: not the expired one, not the revoked one", async () => {
    expect(await namesOf("status=usable")).toEqual([later, live].sort());
    expect(await namesOf("status=USABLE")).toEqual([later, live].sort());
    // Arize's meaning of `active` is unchanged: the expired key is still in it.
    expect(await namesOf("status=active")).toEqual([expired, later, live].sort());
  });

  it("a key stops being usable the moment it expires", async () => {
    expect(await namesOf("status=usable")).toContain(later);
    demo.harness.clock.advance(4 * HOUR);
    expect(await namesOf("status=usable")).toEqual([live]);
    expect(await namesOf("status=expired")).toEqual([later, expired].sort());
    demo.harness.clock.advance(-4 * HOUR);
  });

  it("works on one space's service keys and across every space", async () => {
    const staging = `space_id=${encodeURIComponent(demo.spaceIds.Staging)}`;
    expect(await namesOf(`${staging}&status=usable`)).toEqual([serviceLive]);
    expect(await namesOf("key_type=service&status=usable")).toEqual([serviceLive]);
  });

  it("works on the account's inventory (scope=account)", async () => {
    expect(await namesOf("scope=account&status=usable", demo.tokens.admin)).toEqual(
      [later, live, serviceLive].sort(),
    );
    expect(await namesOf("scope=account&status=active", demo.tokens.admin)).toEqual(
      [expired, later, live, serviceExpired, serviceLive].sort(),
    );
  });

  it("answers an Arize client in its own shape: the usable keys' status is still its `active`", async () => {
    const res = await demo.harness.request(
      "GET",
      `/v2/api-keys?name=${encodeURIComponent(tag)}&status=usable`,
      {
        token: demo.tokens.member,
        headers: PYTHON_8_61,
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { api_keys: { name: string; status: string }[] };
    expect(body.api_keys.map((k) => k.name).sort()).toEqual([later, live].sort());
    expect(new Set(body.api_keys.map((k) => k.status.toLowerCase()))).toEqual(new Set(["active"]));
  });
});
