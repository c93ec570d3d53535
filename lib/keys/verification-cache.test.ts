import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import type { Principal } from "../auth/principal";
import { VerificationCache, type CachedVerification } from "./verification-cache";

const T0 = "2026-03-01T12:00:00.000Z";

function verification(
  apiKeyId: string,
  userId: string,
  secretExpiresAt: Date | null = null,
): CachedVerification {
  const principal: Principal = {
    user: { id: userId, accountId: "acct", name: "U", email: null, kind: "human", accountRole: "member" },
    credential: { type: "user_key", apiKeyId },
    organizations: [],
  };
  return { principal, apiKeyId, userId, secretExpiresAt, lastUsedAt: null, previousSecret: false };
}

function liveCache(clock: ManualClock, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const cache = new VerificationCache({ clock, ...options });
  cache.confirmLive(Number.POSITIVE_INFINITY);
  return cache;
}

describe("VerificationCache", () => {
  it("serves an entry within its TTL and drops it at the TTL (exclusive)", () => {
    const clock = new ManualClock(T0);
    const cache = liveCache(clock, { ttlMs: 30_000 });
    cache.set("d1", verification("k1", "u1"), cache.generation());
    expect(cache.get("d1")?.apiKeyId).toBe("k1");
    clock.advance(29_999);
    expect(cache.get("d1")?.apiKeyId).toBe("k1");
    clock.advance(1);
    expect(cache.get("d1")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never serves past the secret's own expiry: valid iff now < expires_at, at −1 ms, 0 and +1 ms", () => {
    const clock = new ManualClock(T0);
    const expiresAt = new Date(new Date(T0).getTime() + 10_000);
    for (const [offset, served] of [
      [-1, true],
      [0, false],
      [1, false],
    ] as const) {
      clock.set(T0);
      const cache = liveCache(clock);
      cache.set("d", verification("k", "u", expiresAt), cache.generation());
      clock.set(expiresAt.getTime() + offset);
      expect(cache.get("d") !== undefined, `offset ${offset} ms`).toBe(served);
    }
  });

  it("does not serve an entry whose clock went backwards past its caching time", () => {
    const clock = new ManualClock(T0);
    const cache = liveCache(clock);
    cache.set("d", verification("k", "u"), cache.generation());
    clock.advance(-1);
    expect(cache.get("d")).toBeUndefined();
  });

  it("drops entries by key id, by user id, and everything, including by notification payload", () => {
    const clock = new ManualClock(T0);
    const cache = liveCache(clock);
    const fill = () => {
      cache.flush();
      const g = cache.generation();
      cache.set("a", verification("k1", "u1"), g);
      cache.set("b", verification("k2", "u1"), g);
      cache.set("c", verification("k3", "u2"), g);
    };
    fill();
    cache.invalidateKeys(["k1"]);
    expect([cache.get("a"), cache.get("b")?.apiKeyId, cache.get("c")?.apiKeyId]).toEqual([
      undefined,
      "k2",
      "k3",
    ]);
    fill();
    cache.invalidateUsers(["u1"]);
    expect([cache.get("a"), cache.get("b"), cache.get("c")?.apiKeyId]).toEqual([undefined, undefined, "k3"]);
    fill();
    cache.apply("k:k3");
    expect(cache.get("c")).toBeUndefined();
    expect(cache.size).toBe(2);
    fill();
    cache.apply("u:u2");
    expect(cache.get("c")).toBeUndefined();
    fill();
    cache.apply("*");
    expect(cache.size).toBe(0);
  });

  it("refuses to store a verification that started before an invalidation", () => {
    const clock = new ManualClock(T0);
    const cache = liveCache(clock);
    const before = cache.generation();
    cache.invalidateKeys(["k1"]); // a revoke committed while the lookup was in flight
    cache.set("d", verification("k1", "u1"), before);
    expect(cache.get("d")).toBeUndefined();
    // Any invalidation counts, even of another key: being conservative costs one more lookup.
    const again = cache.generation();
    cache.invalidateUsers(["someone-else"]);
    cache.set("d", verification("k1", "u1"), again);
    expect(cache.get("d")).toBeUndefined();
  });

  it("serves and stores nothing until the listener confirms it is live, and empties itself when lost", () => {
    const clock = new ManualClock(T0);
    const cache = new VerificationCache({ clock });
    expect(cache.live).toBe(false);
    cache.set("d", verification("k", "u"), cache.generation());
    expect(cache.size).toBe(0);

    cache.confirmLive(Number.POSITIVE_INFINITY);
    cache.set("d", verification("k", "u"), cache.generation());
    expect(cache.get("d")?.apiKeyId).toBe("k");

    const inFlight = cache.generation();
    cache.lost();
    expect(cache.live).toBe(false);
    expect(cache.size).toBe(0);
    cache.set("d", verification("k", "u"), inFlight);
    expect(cache.get("d")).toBeUndefined();
  });

  it("stops serving when the listener's liveness window has passed", () => {
    const clock = new ManualClock(T0);
    const cache = new VerificationCache({ clock });
    cache.confirmLive(60_000);
    cache.set("d", verification("k", "u"), cache.generation());
    expect(cache.get("d")?.apiKeyId).toBe("k");
    const stale = new VerificationCache({ clock });
    stale.confirmLive(0); // a window that has already closed
    stale.set("d", verification("k", "u"), stale.generation());
    expect(stale.get("d")).toBeUndefined();
  });

  it("keeps at most maxEntries, dropping the oldest", () => {
    const clock = new ManualClock(T0);
    const cache = liveCache(clock, { maxEntries: 2 });
    const g = cache.generation();
    cache.set("a", verification("k1", "u"), g);
    cache.set("b", verification("k2", "u"), g);
    cache.set("c", verification("k3", "u"), g);
    expect(cache.size).toBe(2);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("c")?.apiKeyId).toBe("k3");
  });
});
