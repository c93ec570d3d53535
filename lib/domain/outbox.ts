import { randomUUID } from "node:crypto";
import { and, eq, inArray, or } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { webhookDeliveries, webhookEvents, webhookSubscriptions } from "../db/schema";
import { encodeId } from "./ids";

/**
 * The outbox: an event is written in the transaction of the change it tells of, with one queued
 * delivery per subscribed webhook, so the change and its event commit or roll back together. It sits
 * here, below the domain folders, so that any of them (lib/keys first) can write one; the webhooks'
 * worker (lib/webhooks/delivery.ts) sends what it queued. Nothing here sends or knows HTTP.
 */
export interface OutboxEvent {
  accountId: string;
  type: string;
  at: Date;
  /** Who hears of it: subscriptions on these spaces (`SPACE`) and organizations (`ORGANIZATION`). */
  spaceIds: string[];
  organizationIds: string[];
  /** The event's `data`, made only when some webhook is subscribed. Never a secret. */
  data: () => Promise<Record<string, unknown>>;
}

/** Whether any webhook of the account listens for `type`: one indexed probe, for the common "no". */
export async function anyoneListens(tx: DbOrTx, accountId: string, type: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.accountId, accountId), eq(webhookSubscriptions.event, type)))
    .limit(1);
  return !!row;
}

/** Queues the event for every webhook subscribed to it; returns its public id, or null if none is. */
export async function enqueueEvent(tx: DbOrTx, event: OutboxEvent): Promise<string | null> {
  const sources = [
    event.spaceIds.length > 0
      ? and(
          eq(webhookSubscriptions.sourceType, "SPACE"),
          inArray(webhookSubscriptions.sourceId, event.spaceIds),
        )
      : undefined,
    event.organizationIds.length > 0
      ? and(
          eq(webhookSubscriptions.sourceType, "ORGANIZATION"),
          inArray(webhookSubscriptions.sourceId, event.organizationIds),
        )
      : undefined,
  ].filter((s) => s !== undefined);
  if (sources.length === 0) return null;
  const listeners = await tx
    .selectDistinct({ webhookId: webhookSubscriptions.webhookId })
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, event.accountId),
        eq(webhookSubscriptions.event, event.type),
        or(...sources),
      ),
    );
  if (listeners.length === 0) return null;

  const id = randomUUID();
  const publicId = encodeId("WebhookEvent", id);
  const payload = {
    id: publicId,
    type: event.type,
    created_at: event.at.toISOString(),
    data: await event.data(),
  };
  await tx
    .insert(webhookEvents)
    .values({ id, accountId: event.accountId, type: event.type, payload, createdAt: event.at });
  await tx.insert(webhookDeliveries).values(
    listeners.map((l) => ({
      id: randomUUID(),
      webhookId: l.webhookId,
      eventId: id,
      nextAttemptAt: event.at,
      createdAt: event.at,
    })),
  );
  return publicId;
}
