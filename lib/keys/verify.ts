/**
 * Verification: the hot path of every request that carries an API key, kept apart from key management
 * (api-keys.ts). Shape and checksum first, then the cache, then one database round trip.
 */
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { preparedPerDatabase } from "../db/prepared";
import { apiKeys, apiKeySecrets, users } from "../db/schema";
import type { Principal } from "../auth/principal";
import { accessFromRow, accessUserColumns, directoryOfUser } from "../auth/access";
import { digestKey, isWellFormedKey } from "./secrets";
import type { VerificationCache } from "./verification-cache";
import type { UsageRecorder, UsageSighting } from "./usage";

const LAST_USED_INTERVAL_MS = 60_000;

/** How a key verification ended (the metric `keydesk_verifications_total`'s `result`). */
type VerificationResult = "ok" | "invalid" | "revoked" | "expired" | "blocked";
export type VerificationObserver = (result: VerificationResult, cache: "hit" | "miss") => void;

const lastUsedScheduled = new Map<string, number>();

/**
 * The one round trip of an uncached verification, built once per database handle and run as a
 * prepared statement: Drizzle's query building was ~15 % of an uncached verification's CPU profile,
 * and on PostgreSQL a named statement is parsed once per pooled connection (issue 11).
 */
const verificationQuery = preparedPerDatabase(
  "keydesk_verify",
  () => "api_key",
  (db: Db, _shape: void, name: string) =>
    db
      .select({
        apiKeyId: apiKeys.id,
        keyType: apiKeys.keyType,
        keyStatus: apiKeys.status,
        lastUsedAt: apiKeys.lastUsedAt,
        secretExpiresAt: apiKeySecrets.expiresAt,
        secretIsCurrent: apiKeySecrets.isCurrent,
        user: accessUserColumns,
        directory: directoryOfUser,
      })
      .from(apiKeySecrets)
      .innerJoin(apiKeys, eq(apiKeys.id, apiKeySecrets.apiKeyId))
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeySecrets.digest, sql.placeholder("digest")))
      .prepare(name),
);

/**
 * The principal a raw key stands for, or null. Shape and checksum are checked before any database
 * work. With a cache (see verification-cache.ts) a recent verification is reused within its rules;
 * otherwise one round trip fetches the secret, its key, the user and their directory together.
 * Fails closed: a database error propagates (and becomes a 503), never a pass.
 * A successful verification is counted by `usage` (in memory, written in batches: usage.ts) with
 * what `seen` says about the caller.
 */
export async function verifyApiKey(
  deps: {
    db: Db;
    clock: Clock;
    cache?: VerificationCache;
    usage?: UsageRecorder;
    observe?: VerificationObserver;
  },
  raw: string,
  seen?: () => UsageSighting,
): Promise<Principal | null> {
  if (!isWellFormedKey(raw)) {
    // Session tokens come through here too: only what claims to be a key counts as an invalid one.
    if (raw.startsWith("ak-")) deps.observe?.("invalid", "miss");
    return null;
  }
  const digest = digestKey(raw);
  const cached = deps.cache?.get(digest);
  if (cached) {
    deps.observe?.("ok", "hit");
    const now = deps.clock.now();
    touchLastUsed(deps.db, cached.apiKeyId, cached.lastUsedAt, now);
    if (deps.usage && seen) deps.usage.record(cached.apiKeyId, cached.previousSecret, seen(), now.getTime());
    return cached.principal;
  }
  const generation = deps.cache?.generation() ?? 0;
  const [row] = await verificationQuery(deps.db, undefined).execute({ digest });
  const now = deps.clock.now();
  const failed = (result: VerificationResult) => {
    deps.observe?.(result, "miss");
    return null;
  };
  if (!row) return failed("invalid");
  if (row.keyStatus !== "active") return failed("revoked");
  // Expiry is exclusive: valid iff now < expires_at.
  if (row.secretExpiresAt && now.getTime() >= row.secretExpiresAt.getTime()) return failed("expired");
  const access = accessFromRow(row.user, row.directory);
  if (!access) return failed("blocked");
  deps.observe?.("ok", "miss");
  touchLastUsed(deps.db, row.apiKeyId, row.lastUsedAt, now);
  if (deps.usage && seen) deps.usage.record(row.apiKeyId, !row.secretIsCurrent, seen(), now.getTime());
  const principal: Principal = {
    ...access,
    credential: { type: row.keyType === "user" ? "user_key" : "service_key", apiKeyId: row.apiKeyId },
  };
  deps.cache?.set(
    digest,
    {
      principal,
      apiKeyId: row.apiKeyId,
      userId: row.user.id,
      secretExpiresAt: row.secretExpiresAt,
      lastUsedAt: row.lastUsedAt,
      previousSecret: !row.secretIsCurrent,
    },
    generation,
  );
  return principal;
}

/** At most one write a minute per key, off the request's critical path. */
function touchLastUsed(db: Db, keyId: string, lastUsedAt: Date | null, now: Date): void {
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_INTERVAL_MS) return;
  const scheduled = lastUsedScheduled.get(keyId);
  if (scheduled !== undefined && now.getTime() - scheduled < LAST_USED_INTERVAL_MS) return;
  if (lastUsedScheduled.size > 50_000) lastUsedScheduled.clear();
  lastUsedScheduled.set(keyId, now.getTime());
  const threshold = new Date(now.getTime() - LAST_USED_INTERVAL_MS);
  void db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lte(apiKeys.lastUsedAt, threshold))))
    .catch(() => undefined);
}
