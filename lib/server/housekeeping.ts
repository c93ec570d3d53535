/**
 * Housekeeping: deletes what nothing reads any more, so tables that grow with traffic stay bounded —
 * rate-limit counters (every address that failed a sign-in or asked for a reset leaves one) and webhook
 * history older than WEBHOOK_HISTORY_DAYS. Every instance runs it; the deletes are idempotent, so two
 * instances at once only find less to delete.
 */
import type { Clock } from "../clock";
import type { DbOrTx } from "../db/client";
import type { LogLine } from "../domain/logger";
import { intervalMsFromEnv, runPeriodically } from "../domain/periodic";
import { pruneRateLimits } from "../domain/rate-limit";
import { pruneWebhookHistory } from "../webhooks/history";

export interface HousekeepingResult {
  rateLimits: number;
  webhookEvents: number;
}

export async function houseKeep(db: DbOrTx, clock: Clock): Promise<HousekeepingResult> {
  const now = clock.now();
  return {
    rateLimits: await pruneRateLimits(db, now),
    webhookEvents: await pruneWebhookHistory(db, now),
  };
}

/** `KEYDESK_HOUSEKEEPING_INTERVAL_S` (default 3600; 0 turns it off). */
export const housekeepingIntervalMs = (env: NodeJS.ProcessEnv = process.env) =>
  intervalMsFromEnv("KEYDESK_HOUSEKEEPING_INTERVAL_S", 3600, env);

/** Runs housekeeping now and every `intervalMs`; `stop` waits for a run in progress. */
export function startHousekeeping(deps: {
  db: DbOrTx;
  clock: Clock;
  intervalMs: number;
  log: (line: LogLine) => void;
}): { stop(): Promise<void> } {
  return runPeriodically(
    async () => {
      const removed = await houseKeep(deps.db, deps.clock);
      if (removed.rateLimits + removed.webhookEvents > 0)
        deps.log({ level: "info", msg: "housekeeping", deleted: removed });
    },
    deps.intervalMs,
    (err) =>
      deps.log({
        level: "error",
        msg: "housekeeping failed",
        err: err instanceof Error ? err.message : String(err),
      }),
  );
}
