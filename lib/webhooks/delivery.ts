import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEvents, webhooks } from "../db/schema";
import type { WebhookDeps } from "./context";
import { sendEvent, type SendOutcome } from "./send";
import { logger } from "../domain/logger";

const targetColumns = {
  url: webhooks.url,
  authType: webhooks.authType,
  authToken: webhooks.authToken,
  signingSecret: webhooks.signingSecret,
  timeoutMs: webhooks.timeoutMs,
  headers: webhooks.headers,
};

/** The wait before attempt `n + 1` after `n` failed ones: base, 2×base, 4×base, … */
function retryDelayMs(baseMs: number, failedAttempts: number): number {
  return baseMs * 2 ** Math.max(0, failedAttempts - 1);
}

interface Claimed {
  id: string;
  webhookId: string;
  eventId: string;
  attempts: number;
}

/**
 * Claims up to `limit` due deliveries for this worker: `for update skip locked`, so workers of
 * several instances never take the same row, and a lease (`locked_until`) past the longest timeout,
 * so a row whose worker died is taken again once it runs out (at least once, never lost).
 */
async function claimDue(deps: WebhookDeps, limit: number): Promise<Claimed[]> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + 120_000);
  return deps.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.status, "pending"),
          lte(webhookDeliveries.nextAttemptAt, now),
          or(isNull(webhookDeliveries.lockedUntil), lte(webhookDeliveries.lockedUntil, now)),
        ),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(webhookDeliveries)
      .set({ lockedUntil: leaseUntil, attempts: sql`${webhookDeliveries.attempts} + 1` })
      .where(
        inArray(
          webhookDeliveries.id,
          due.map((d) => d.id),
        ),
      )
      .returning({
        id: webhookDeliveries.id,
        webhookId: webhookDeliveries.webhookId,
        eventId: webhookDeliveries.eventId,
        attempts: webhookDeliveries.attempts,
      });
  });
}

async function deliverOne(deps: WebhookDeps, claimed: Claimed): Promise<void> {
  const [row] = await deps.db
    .select({ target: targetColumns, type: webhookEvents.type, payload: webhookEvents.payload })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, claimed.id));
  if (!row) return; // the webhook was deleted meanwhile (its deliveries with it)
  const publicId = typeof row.payload.id === "string" ? row.payload.id : claimed.eventId;
  const outcome = await sendEvent(
    row.target,
    { id: publicId, type: row.type, body: JSON.stringify(row.payload) },
    deps.policy.network,
    deps.resolve,
    () => deps.clock.now(),
  );
  const { maxAttempts, retryBaseMs } = deps.policy.delivery;
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await recordAttempt(tx, claimed.webhookId, claimed.eventId, claimed.attempts, outcome, now);
    await tx
      .update(webhookDeliveries)
      .set(
        ok
          ? { status: "delivered", lockedUntil: null }
          : claimed.attempts >= maxAttempts
            ? { status: "failed", lockedUntil: null }
            : {
                lockedUntil: null,
                nextAttemptAt: new Date(now.getTime() + retryDelayMs(retryBaseMs, claimed.attempts)),
              },
      )
      .where(eq(webhookDeliveries.id, claimed.id));
  });
  deps.attempted?.(ok);
}

type Writer = Pick<WebhookDeps["db"], "insert">;

export async function recordAttempt(
  db: Writer,
  webhookId: string,
  eventId: string,
  attemptNumber: number,
  outcome: SendOutcome,
  at: Date,
): Promise<void> {
  await db.insert(webhookDeliveryAttempts).values({
    webhookId,
    eventId,
    attemptNumber,
    statusCode: outcome.statusCode,
    errorMessage: outcome.errorMessage,
    durationMs: outcome.durationMs,
    createdAt: at,
  });
}

/** One round: claims what is due and delivers it. Returns how many deliveries it attempted. */
async function deliverDue(deps: WebhookDeps, limit = 10): Promise<number> {
  const claimed = await claimDue(deps, limit);
  await Promise.all(claimed.map((c) => deliverOne(deps, c)));
  return claimed.length;
}

export interface DeliveryWorker {
  /** Stops polling and waits (a little) for the round in flight. */
  stop(): Promise<void>;
}

/** Started with the server, stopped at shutdown: polls for due deliveries every `pollMs`. */
export function startDeliveryWorker(deps: WebhookDeps): DeliveryWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const round = async () => {
    try {
      // A full batch means more may be due: go on without waiting for the next poll.
      while (!stopped && (await deliverDue(deps)) === 10);
    } catch (err) {
      // The message only: an error of the database driver may quote a query, never a secret.
      logger.error({ err: err instanceof Error ? err.message : "" }, "webhook delivery round failed");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, deps.policy.delivery.pollMs);
    timer.unref();
  };
  const tick = () => {
    timer = undefined;
    running = round().finally(schedule);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // A round in flight may wait on a slow endpoint (up to its timeout): shutdown waits a little,
      // then leaves it; the row's lease runs out and a worker takes it again (at least once).
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((resolve) => (waited = setTimeout(resolve, 5_000)))]);
      clearTimeout(waited);
    },
  };
}
