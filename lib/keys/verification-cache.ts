import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Clock } from "../clock";
import type { DatabaseHandle } from "../db/client";
import type { Principal } from "../auth/principal";
import { logger } from "../domain/logger";

/**
 * A short-lived, in-process cache of verified API keys, so that the hot path (`GET /v2/me` and every
 * keyed call) needs no database round trip. Its rules, each one tested:
 *
 * - Keyed by the key's SHA-256 digest, never by the raw key.
 * - An entry lives at most `ttlMs` (30 s) and never past its secret's own expiry: on every hit,
 *   `now < expires_at` against the injected clock (expiry is exclusive).
 * - Changes drop entries at once: in this process through `invalidateKeys` / `invalidateUsers`
 *   (called after revoke, refresh and block commit), and in every instance through PostgreSQL
 *   LISTEN/NOTIFY (`listenForKeyChanges`; triggers send the notification inside the changing
 *   transaction, see migration 0001).
 * - Nothing is served unless the listener is known to be live. When its connection is lost (or stops
 *   answering heartbeats) the cache empties itself and is bypassed until LISTEN is back, so a lost
 *   notification can never keep a revoked key alive.
 * - A verification that started before an invalidation never stores its (possibly stale) result:
 *   every change bumps a generation, and `set` needs the generation seen before the lookup.
 * - It holds principals only, never a secret. A database error is never turned into a pass: misses
 *   go to the database, which fails closed.
 */
export interface CachedVerification {
  principal: Principal;
  apiKeyId: string;
  userId: string;
  /** Exclusive end of the secret's validity, or null for never. */
  secretExpiresAt: Date | null;
  lastUsedAt: Date | null;
  /** The key was verified by a previous secret (in its grace after a refresh), not the current one. */
  previousSecret: boolean;
}

interface Entry extends CachedVerification {
  cachedAtMs: number;
}

export interface VerificationCacheOptions {
  clock: Clock;
  /** Backstop lifetime of an entry. Default 30 s. */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. Default 10,000. */
  maxEntries?: number;
}

const CHANGE_CHANNEL = "keydesk_key_changes";
/** The LISTEN connection's application_name, so operators (and tests) can find it in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = "keydesk-key-listener";

export class VerificationCache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, Entry>();
  private generationValue = 0;
  /** Monotonic time (performance.now) until which entries may be served; 0 = bypass. */
  private liveUntil = 0;
  private heard = 0;

  constructor(options: VerificationCacheOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Whether entries may be served and stored right now. */
  get live(): boolean {
    return performance.now() < this.liveUntil;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Change notifications applied so far (for monitoring, and for tests to know one has arrived). */
  get changesHeard(): number {
    return this.heard;
  }

  /** Take this before the database lookup, and give it to `set`. */
  generation(): number {
    return this.generationValue;
  }

  get(digest: string): CachedVerification | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    const now = this.clock.now().getTime();
    const fresh =
      this.live &&
      now >= entry.cachedAtMs &&
      now - entry.cachedAtMs < this.ttlMs &&
      (entry.secretExpiresAt === null || now < entry.secretExpiresAt.getTime());
    if (fresh) return entry;
    this.entries.delete(digest);
    return undefined;
  }

  /** Stores a verification, unless anything was invalidated since `generation` was taken. */
  set(digest: string, value: CachedVerification, generation: number): void {
    if (generation !== this.generationValue || !this.live) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(digest, { ...value, cachedAtMs: this.clock.now().getTime() });
  }

  invalidateKeys(keyIds: Iterable<string>): void {
    const ids = new Set(keyIds);
    this.generationValue++;
    for (const [digest, entry] of this.entries) if (ids.has(entry.apiKeyId)) this.entries.delete(digest);
  }

  invalidateUsers(userIds: Iterable<string>): void {
    const ids = new Set(userIds);
    this.generationValue++;
    for (const [digest, entry] of this.entries) if (ids.has(entry.userId)) this.entries.delete(digest);
  }

  flush(): void {
    this.generationValue++;
    this.entries.clear();
  }

  /** The listener confirmed it is receiving notifications: serve entries for `windowMs` more. */
  confirmLive(windowMs: number): void {
    this.liveUntil = Math.max(this.liveUntil, performance.now() + windowMs);
  }

  /** The listener lost its connection: drop everything and serve nothing until it confirms again. */
  lost(): void {
    this.liveUntil = 0;
    this.flush();
  }

  /** Applies one notification payload from the change channel. */
  apply(payload: string): void {
    this.heard++;
    if (payload.startsWith("k:")) this.invalidateKeys([payload.slice(2)]);
    else if (payload.startsWith("u:")) this.invalidateUsers([payload.slice(2)]);
    else this.flush();
  }
}

export interface KeyChangeListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  /** How often the LISTEN connection proves it is alive. Default 2 s. */
  heartbeatMs?: number;
  /** How long after the last proof entries may still be served. Default 5 s. */
  liveWindowMs?: number;
  /** Where connection trouble is reported. */
  log?: (line: string) => void;
}

/**
 * Subscribes `cache` to the change channel of the handle's database and keeps it subscribed.
 * PostgreSQL: a dedicated client (not from the pool) that reconnects with backoff; the cache is
 * bypassed from the moment the connection is in doubt until LISTEN is confirmed again. PGlite: the
 * database lives in this process, so its in-process LISTEN cannot be lost.
 */
export async function listenForKeyChanges(
  handle: Pick<DatabaseHandle, "db" | "target">,
  cache: VerificationCache,
  options: ListenOptions = {},
): Promise<KeyChangeListener> {
  const log = options.log ?? ((line: string) => logger.warn(line));
  if (handle.target.kind === "pglite") {
    const client: unknown = Reflect.get(handle.db, "$client");
    if (!isPgliteLike(client)) throw new Error("listenForKeyChanges: no PGlite client on this handle");
    const unlisten = await client.listen(CHANGE_CHANNEL, (payload) => cache.apply(payload));
    cache.confirmLive(Number.POSITIVE_INFINITY);
    return {
      close: async () => {
        cache.lost();
        await unlisten().catch(() => undefined);
      },
    };
  }
  const listener = new PgListener(handle.target.url, cache, {
    heartbeatMs: options.heartbeatMs ?? 2_000,
    liveWindowMs: options.liveWindowMs ?? 5_000,
    log,
  });
  await listener.start();
  return listener;
}

interface PgliteLike {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

function isPgliteLike(value: unknown): value is PgliteLike {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "listen") === "function";
}

class PgListener implements KeyChangeListener {
  private client: pg.Client | null = null;
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private backoffMs = 100;

  constructor(
    private readonly url: string,
    private readonly cache: VerificationCache,
    private readonly options: Required<ListenOptions>,
  ) {}

  /** Resolves once listening; if the first attempt fails, keeps retrying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      application_name: LISTENER_APPLICATION_NAME,
      query_timeout: Math.max(1_000, this.options.heartbeatMs),
    });
    this.client = client;
    const onLoss = (why: string) => {
      if (this.client !== client) return;
      this.client = null;
      this.cache.lost();
      this.stopHeartbeat();
      client.removeAllListeners("notification");
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.log(`key change listener lost its connection (${why}); cache bypassed until it is back`);
      this.scheduleReconnect();
    };
    client.on("error", (err) => onLoss(err.message));
    client.on("end", () => onLoss("connection ended"));
    client.on("notification", (message) => {
      if (message.channel === CHANGE_CHANNEL) this.cache.apply(message.payload ?? "*");
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANGE_CHANNEL}`);
    } catch (err) {
      onLoss(err instanceof Error ? err.message : String(err));
      return;
    }
    if (this.client !== client) return;
    this.backoffMs = 100;
    // Anything cached before LISTEN was in place may have missed a change: start empty.
    this.cache.flush();
    this.cache.confirmLive(this.options.liveWindowMs);
    this.heartbeat = setInterval(() => {
      client.query("select 1").then(
        () => {
          if (this.client === client) this.cache.confirmLive(this.options.liveWindowMs);
        },
        (err: unknown) => onLoss(`heartbeat failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnect) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.connect();
    }, delay);
    this.reconnect.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopHeartbeat();
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = null;
    const client = this.client;
    this.client = null;
    this.cache.lost();
    if (client) await client.end().catch(() => undefined);
  }
}
