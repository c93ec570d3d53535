import { and, eq, inArray, lt, notExists, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { webhookDeliveries, webhookEvents } from "../db/schema";

/** How long an event and its delivery attempts stay listed (`webhook_delivery_attempts`). */
export const WEBHOOK_HISTORY_DAYS = 30;
const BATCH = 500;

/**
 * Deletes the events older than `days` whose every delivery is over (delivered, or failed with all
 * attempts used), with their deliveries and attempts (the foreign keys cascade). A delivery still
 * pending keeps its event, however old. Deletes in batches, so no statement holds many rows at once.
 */
export async function pruneWebhookHistory(
  db: DbOrTx,
  now: Date,
  days: number = WEBHOOK_HISTORY_DAYS,
): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  let total = 0;
  for (;;) {
    const batch = db
      .select({ id: webhookEvents.id })
      .from(webhookEvents)
      .where(
        and(
          lt(webhookEvents.createdAt, cutoff),
          notExists(
            db
              .select({ one: sql`1` })
              .from(webhookDeliveries)
              .where(
                and(eq(webhookDeliveries.eventId, webhookEvents.id), eq(webhookDeliveries.status, "pending")),
              ),
          ),
        ),
      )
      .limit(BATCH);
    const deleted = await db
      .delete(webhookEvents)
      .where(inArray(webhookEvents.id, batch))
      .returning({ id: webhookEvents.id });
    total += deleted.length;
    if (deleted.length < BATCH) return total;
  }
}
