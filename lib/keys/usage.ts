/**
 * Where and how often each key is used (issue 18 §1): per client address (first and last seen,
 * requests, the last user agent) and, while a refreshed key's old secret is in its grace, when that
 * old secret was last used. Verification is the hot path, so a use is only counted in memory here;
 * `flush` writes everything counted since the last one in two statements, every `flushIntervalMs` and
 * at shutdown (`close`). Counts are approximate: what a crashed process counted since its last flush
 * is lost, like `last_used_at`.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { logger } from "../domain/logger";

/** Distinct addresses kept per key, the most recently seen. */
export const ADDRESSES_KEPT = 10;
const USER_AGENT_MAX = 200;
/** Keys counted in memory before a flush is started early, so memory stays bounded under any load. */
const MAX_PENDING_KEYS = 50_000;

/** Who used a key: the client address the rate limits use, and the User-Agent header. */
export interface UsageSighting {
  address: string | null;
  userAgent: string | undefined;
}

interface PendingAddress {
  firstMs: number;
  lastMs: number;
  requests: number;
  userAgent: string | undefined;
}

interface PendingKey {
  addresses: Map<string, PendingAddress>;
  /** Last use of a previous (in-grace) secret, ms. */
  previousSecretMs?: number;
}

export interface UsageRecorderOptions {
  /** How often counted uses are written. Default 10 s. */
  flushIntervalMs?: number;
  /** Where a failed flush is reported. */
  log?: (line: string) => void;
}

export class UsageRecorder {
  private pending = new Map<string, PendingKey>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: Db,
    private readonly options: UsageRecorderOptions = {},
  ) {
    this.log = options.log ?? ((line: string) => logger.warn(line));
  }

  /** Writes every `flushIntervalMs` from now on (the timer does not keep the process alive). */
  start(): this {
    if (this.timer) return this;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 10_000);
    this.timer.unref();
    return this;
  }

  /** Counts one verified use. Memory only: no I/O, no promise. */
  record(keyId: string, previousSecret: boolean, seen: UsageSighting, nowMs: number): void {
    let key = this.pending.get(keyId);
    if (!key) {
      if (this.pending.size >= MAX_PENDING_KEYS) void this.flush();
      key = { addresses: new Map() };
      this.pending.set(keyId, key);
    }
    if (previousSecret) key.previousSecretMs = nowMs;
    const address = seen.address ?? "unknown";
    const userAgent = seen.userAgent?.slice(0, USER_AGENT_MAX);
    const known = key.addresses.get(address);
    if (known) {
      known.requests++;
      if (nowMs > known.lastMs) known.lastMs = nowMs;
      if (userAgent !== undefined) known.userAgent = userAgent;
      return;
    }
    if (key.addresses.size >= ADDRESSES_KEPT) {
      // Only the most recent addresses are kept anyway: drop the least recently seen one.
      let oldest: string | undefined;
      let oldestMs = Number.POSITIVE_INFINITY;
      for (const [a, p] of key.addresses)
        if (p.lastMs < oldestMs) {
          oldest = a;
          oldestMs = p.lastMs;
        }
      if (oldest !== undefined) key.addresses.delete(oldest);
    }
    key.addresses.set(address, { firstMs: nowMs, lastMs: nowMs, requests: 1, userAgent });
  }

  /** Writes what was counted; one flush at a time. A failure is logged and the batch dropped. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const addresses: { k: string; a: string; f: string; l: string; n: number; ua: string | null }[] = [];
    const previous: { k: string; t: string }[] = [];
    for (const [k, key] of batch) {
      if (key.previousSecretMs !== undefined)
        previous.push({ k, t: new Date(key.previousSecretMs).toISOString() });
      for (const [a, p] of key.addresses)
        addresses.push({
          k,
          a,
          f: new Date(p.firstMs).toISOString(),
          l: new Date(p.lastMs).toISOString(),
          n: p.requests,
          ua: p.userAgent ?? null,
        });
    }
    try {
      if (addresses.length > 0) await this.writeAddresses(addresses, [...batch.keys()]);
      if (previous.length > 0) await this.writePreviousSecretUse(previous);
    } catch (err) {
      this.log(`key usage not recorded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Adds the counts (a key deleted meanwhile is skipped), then keeps each key's 10 most recent. */
  private async writeAddresses(
    rows: { k: string; a: string; f: string; l: string; n: number; ua: string | null }[],
    keyIds: string[],
  ): Promise<void> {
    await this.db.execute(sql`
      insert into api_key_addresses as t (api_key_id, address, first_seen_at, last_seen_at, requests, user_agent)
      select u.k, u.a, u.f, u.l, u.n, u.ua
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as u(k uuid, a text, f timestamptz, l timestamptz, n bigint, ua text)
       where exists (select 1 from api_keys where api_keys.id = u.k)
      on conflict (api_key_id, address) do update set
        first_seen_at = least(t.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(t.last_seen_at, excluded.last_seen_at),
        requests = t.requests + excluded.requests,
        user_agent = case when excluded.last_seen_at >= t.last_seen_at
                          then coalesce(excluded.user_agent, t.user_agent) else t.user_agent end`);
    await this.db.execute(sql`
      delete from api_key_addresses as d
       using (select api_key_id, address,
                     row_number() over (partition by api_key_id order by last_seen_at desc, address) as n
                from api_key_addresses
               where api_key_id = any(${`{${keyIds.join(",")}}`}::uuid[])) as r
       where d.api_key_id = r.api_key_id and d.address = r.address and r.n > ${ADDRESSES_KEPT}`);
  }

  /** Only uses after the key's last refresh count: an older one was of an earlier rotation's secret. */
  private async writePreviousSecretUse(rows: { k: string; t: string }[]): Promise<void> {
    await this.db.execute(sql`
      update api_keys set previous_secret_last_used_at =
             greatest(coalesce(api_keys.previous_secret_last_used_at, u.t), u.t)
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as u(k uuid, t timestamptz)
       where api_keys.id = u.k and (api_keys.refreshed_at is null or api_keys.refreshed_at <= u.t)`);
  }
}
