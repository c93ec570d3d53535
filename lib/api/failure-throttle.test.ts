import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { testDatabases } from "../testing/test-databases";
import { FailureThrottle } from "./failure-throttle";
import { createHarness, type ApiHarness } from "../testing/api-harness";

describe("FailureThrottle", () => {
  it("lets an address fail `limit` times per window, then asks it to wait until the window ends", () => {
    const clock = new ManualClock("2026-11-24T00:00:00.000Z");
    const throttle = new FailureThrottle(clock, 3, 60_000);
    for (let i = 0; i < 3; i++) expect(throttle.fail("10.0.0.1")).toBeNull();
    expect(throttle.fail("10.0.0.1")).toBe(60);
    expect(throttle.fail("10.0.0.2")).toBeNull();
    clock.advance(59_999);
    expect(throttle.fail("10.0.0.1")).toBe(1);
    clock.advance(1);
    // A new window: the refused failures were not counted.
    for (let i = 0; i < 3; i++) expect(throttle.fail("10.0.0.1")).toBeNull();
    expect(throttle.fail("10.0.0.1")).toBe(60);
  });

  it("is off with a limit of 0", () => {
    const throttle = new FailureThrottle(new ManualClock(), 0);
    for (let i = 0; i < 1000; i++) expect(throttle.fail("a")).toBeNull();
  });
});

describe.each(testDatabases())("failed credentials are throttled per client address ($name)", (database) => {
  let harness: ApiHarness;
  let token: string;

  beforeAll(async () => {
    harness = await createHarness(database, { config: { failedAuthPerMinute: 5 } });
    token = await harness.signIn("member");
  });
  afterAll(() => harness.close());

  it("answers 401 to the first failures, then 429 with Retry-After, and lets the address back after the window", async () => {
    // Successes are never counted.
    for (let i = 0; i < 10; i++) expect((await harness.request("GET", "/v2/me", { token })).status).toBe(200);
    const wellFormedGuess = `ak-${crypto.randomUUID()}-${"A".repeat(32)}`;
    for (const credential of ["junk", wellFormedGuess, "kds_unknownsessiontoken0000000", "", "junk"]) {
      expect((await harness.request("GET", "/v2/me", { token: credential })).status).toBe(401);
    }
    const refused = await harness.request("GET", "/v2/me", { token: "junk" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      status: 429,
      title: "Rate limit exceeded",
      code: "rate_limited",
    });

    harness.clock.advance(60_000);
    expect((await harness.request("GET", "/v2/me", { token })).status).toBe(200);
    expect((await harness.request("GET", "/v2/me", { token: "junk" })).status).toBe(401);
  });
});

describe.each(testDatabases())(
  "the failure throttle never refuses a working credential ($name)",
  (database) => {
    let harness: ApiHarness;
    let token: string;
    let key: string;
    const from = (address: string, credential: string) =>
      harness.request("GET", "/v2/me", { token: credential, headers: { "x-forwarded-for": address } });

    beforeAll(async () => {
      // Addresses come from X-Forwarded-For behind one trusted proxy, as behind a NAT or load balancer.
      harness = await createHarness(database, { config: { failedAuthPerMinute: 3, trustedProxyHops: 1 } });
      token = await harness.signIn("member");
      const created = await harness.request("POST", "/v2/api-keys", { token, body: { name: "service" } });
      key = ((await created.json()) as { key: string }).key;
    });
    afterAll(() => harness.close());

    it("a valid key and session from an address over its limit are served; its failures get 429; other addresses are untouched", async () => {
      const nat = "198.51.100.5";
      const guess = `ak-${crypto.randomUUID()}-${"A".repeat(32)}`;
      for (let i = 0; i < 3; i++) expect((await from(nat, guess)).status).toBe(401);
      expect((await from(nat, guess)).status).toBe(429);

      // Every service behind the same address keeps working, with keys and sessions alike…
      for (let i = 0; i < 5; i++) {
        expect((await from(nat, key)).status).toBe(200);
        expect((await from(nat, token)).status).toBe(200);
        // …while the misconfigured client keeps failing.
        expect((await from(nat, guess)).status).toBe(429);
      }
      expect((await from("198.51.100.6", guess)).status).toBe(401);
    });

    it("failures sent at once meet the same limit as failures one after another (counted with no wait between check and count)", async () => {
      // Well-formed session tokens: each costs a database lookup, so the requests overlap.
      const guesses = Array.from({ length: 30 }, () => `kds_${randomBytes(32).toString("base64url")}`);
      const statuses = (await Promise.all(guesses.map((g) => from("198.51.100.7", g)))).map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(27);
    });
  },
);
