/**
 * GET /v2/api-keys?status=…: the default `active` is unchanged (an expired key stays `active`, as in
 * Arize's API); [ext] `expired` lists active keys past their expiry, `all` every status.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import {
  createKey,
  expectProblem,
  listKeys,
  revokeKey,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

const HOUR = 3_600_000;

describe.each(testDatabases())("status filter of the key list ($name)", (database) => {
  let demo: Demo;
  // Max's user keys: one that never expires, one that expires later, one expired, one revoked.
  const tag = Math.random().toString(36).slice(2, 8);
  const live = `live ${tag}`;
  const later = `expires later ${tag}`;
  const expired = `expired ${tag}`;
  const revoked = `revoked ${tag}`;
  // Service keys in Staging (Max is its admin).
  const serviceLive = `service live ${tag}`;
  const serviceExpired = `service expired ${tag}`;

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

  /** The names listed, sorted (keys made at one instant of the manual clock tie on created_at). */
  const namesOf = async (query: string) =>
    (await listKeys(demo.harness, demo.tokens.member, query)).api_keys.map((k) => k.name).sort();

  it("keeps the default `active`: expired keys stay active (as in Arize's API), revoked ones do not", async () => {
    expect(await namesOf("")).toEqual([expired, later, live].sort());
    expect(await namesOf("status=active")).toEqual([expired, later, live].sort());
  });

  it("`expired` lists only active keys whose expiry has passed", async () => {
    expect(await namesOf("status=expired")).toEqual([expired]);
    expect(await namesOf("status=EXPIRED")).toEqual([expired]);
  });

  it("`all` lists every status", async () => {
    expect(await namesOf("status=all")).toEqual([revoked, expired, later, live].sort());
    const statuses = (await listKeys(demo.harness, demo.tokens.member, "status=all")).api_keys.map(
      (k) => k.status,
    );
    expect(statuses.sort()).toEqual(["active", "active", "active", "revoked"]);
  });

  it("`revoked` and `deleted` are unchanged", async () => {
    expect(await namesOf("status=revoked")).toEqual([revoked]);
    expect(await namesOf("status=deleted")).toEqual([revoked]);
  });

  it("works with the service-key listings: one space, and every space without space_id", async () => {
    const staging = `space_id=${encodeURIComponent(demo.spaceIds.Staging)}`;
    expect(await namesOf(`${staging}&status=expired`)).toEqual([serviceExpired]);
    expect(await namesOf(`${staging}&status=all`)).toEqual([serviceExpired, serviceLive].sort());
    expect(await namesOf(`${staging}`)).toEqual([serviceExpired, serviceLive].sort());
    expect(await namesOf("key_type=service&status=expired")).toEqual([serviceExpired]);
    expect(await namesOf("key_type=service&status=all")).toEqual([serviceExpired, serviceLive].sort());
  });

  it("refuses an unknown status with 400", async () => {
    const res = await demo.harness.request("GET", "/v2/api-keys?status=stale", { token: demo.tokens.member });
    await expectProblem(res, 400);
  });
});
