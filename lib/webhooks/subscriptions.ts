import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import type { DbOrTx } from "../db/client";
import { spaces, webhookSubscriptions, webhooks } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { conflict, notFound, unsupported } from "../domain/errors";
import { decodeId } from "../domain/ids";
import { decodeCursor, toPage, type Page } from "../domain/pagination";
import {
  ARIZE_KNOWN_EVENT_TYPES,
  ARIZE_KNOWN_SOURCE_TYPES,
  KEY_EVENT_TYPES,
  type KeyEventType,
  type WebhookSourceType,
} from "../schemas/webhooks";
import type { WebhookDeps } from "./context";
import {
  currentPrincipal,
  loadWebhook,
  manageableOrganization,
  manageableOrganizationIds,
  type Actor,
} from "./webhooks";

export interface SubscriptionView {
  id: string;
  webhookId: string;
  sourceType: string;
  sourceId: string;
  event: string;
  createdAt: Date;
}

const viewColumns = {
  id: webhookSubscriptions.id,
  webhookId: webhookSubscriptions.webhookId,
  sourceType: webhookSubscriptions.sourceType,
  sourceId: webhookSubscriptions.sourceId,
  event: webhookSubscriptions.event,
  createdAt: webhookSubscriptions.createdAt,
};

const isKeyEvent = (event: string): event is KeyEventType =>
  (KEY_EVENT_TYPES as readonly string[]).includes(event);

export interface CreateSubscriptionInput extends Actor {
  webhookId: string;
  /** Arize's other source types (PROMPT, EVALUATOR, ONLINE_TASK) are refused as not supported. */
  sourceType: string;
  sourceId: string;
  event: string;
}

/** The source's uuid, checked to be in the webhook's organization and within the caller's sight. */
async function resolveSource(
  db: DbOrTx,
  principal: Principal,
  organizationId: string,
  sourceType: WebhookSourceType,
  publicId: string,
): Promise<string> {
  if (sourceType === "ORGANIZATION") {
    const id = decodeId("Organization", publicId);
    if (!id || !principal.organizations.some((o) => o.id === id))
      throw notFound("The organization does not exist or you cannot see it.");
    if (id !== organizationId)
      throw conflict("A webhook hears only of its own organization: give the webhook's organization.");
    return id;
  }
  const id = decodeId("Space", publicId);
  const [row] = id
    ? await db.select({ organizationId: spaces.organizationId }).from(spaces).where(eq(spaces.id, id))
    : [];
  const visible = principal.organizations.some((o) => o.spaces.some((s) => s.id === id));
  if (!id || !row || !visible) throw notFound("The space does not exist or you cannot see it.");
  if (row.organizationId !== organizationId)
    throw conflict("The space is in another organization than the webhook.");
  return id;
}

export async function createSubscription(
  deps: WebhookDeps,
  input: CreateSubscriptionInput,
): Promise<SubscriptionView> {
  if (input.sourceType !== "SPACE" && input.sourceType !== "ORGANIZATION")
    throw unsupported(`Source type ${input.sourceType} is`);
  if (!isKeyEvent(input.event)) throw unsupported(`Event ${input.event} is`);
  const sourceType: WebhookSourceType = input.sourceType;
  const event = input.event;
  await loadWebhook(deps.db, input.principal, input.webhookId);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const caller = await currentPrincipal(tx, input.principal);
    const webhook = await loadWebhook(tx, caller, input.webhookId);
    const sourceId = await resolveSource(tx, caller, webhook.organizationId, sourceType, input.sourceId);
    const id = randomUUID();
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({
        id,
        webhookId: webhook.id,
        accountId: caller.user.accountId,
        sourceType,
        sourceId,
        event,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning(viewColumns);
    if (!row) throw conflict("The webhook is already subscribed to this event there.");
    await writeAudit(tx, {
      at: now,
      accountId: caller.user.accountId,
      actorUserId: caller.user.id,
      actorCredential: caller.credential.type,
      action: "webhook_subscription.create",
      targetType: "webhook_subscription",
      targetId: id,
      clientAddress: input.clientAddress,
      details: { webhook_id: webhook.id, source_type: sourceType, source_id: sourceId, event },
    });
    return row;
  });
}

export interface ListSubscriptionsInput {
  principal: Principal;
  sourceType?: WebhookSourceType;
  sourceId?: string;
  webhookId?: string;
  limit: number;
  cursor?: string;
  /** Arize's clients: only values their enums know (lifecycle.md: [ext] values would break them). */
  arizeValuesOnly: boolean;
}

export async function listSubscriptions(
  deps: WebhookDeps,
  input: ListSubscriptionsInput,
): Promise<Page<SubscriptionView>> {
  const organizationIds = manageableOrganizationIds(input.principal);
  if (organizationIds.length === 0) return { items: [] };
  let webhookId: string | undefined;
  if (input.webhookId !== undefined)
    webhookId = (await loadWebhook(deps.db, input.principal, input.webhookId)).id;
  let sourceId: string | undefined;
  if (input.sourceType !== undefined && input.sourceId !== undefined) {
    sourceId = decodeId(input.sourceType === "SPACE" ? "Space" : "Organization", input.sourceId) ?? undefined;
    if (!sourceId) return { items: [] };
  }
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await deps.db
    .select(viewColumns)
    .from(webhookSubscriptions)
    .innerJoin(webhooks, eq(webhooks.id, webhookSubscriptions.webhookId))
    .where(
      and(
        eq(webhookSubscriptions.accountId, input.principal.user.accountId),
        inArray(webhooks.organizationId, organizationIds),
        webhookId ? eq(webhookSubscriptions.webhookId, webhookId) : undefined,
        input.sourceType ? eq(webhookSubscriptions.sourceType, input.sourceType) : undefined,
        sourceId ? eq(webhookSubscriptions.sourceId, sourceId) : undefined,
        input.arizeValuesOnly
          ? and(
              inArray(webhookSubscriptions.sourceType, [...ARIZE_KNOWN_SOURCE_TYPES]),
              inArray(webhookSubscriptions.event, [...ARIZE_KNOWN_EVENT_TYPES]),
            )
          : undefined,
        cursor
          ? or(
              lt(webhookSubscriptions.createdAt, cursor.createdAt),
              and(
                eq(webhookSubscriptions.createdAt, cursor.createdAt),
                lt(webhookSubscriptions.id, cursor.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhookSubscriptions.createdAt), desc(webhookSubscriptions.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (s) => ({ createdAt: s.createdAt, id: s.id }));
}

async function loadSubscription(
  db: DbOrTx,
  principal: Principal,
  publicId: string,
): Promise<SubscriptionView> {
  const id = decodeId("WebhookSubscription", publicId);
  if (!id) throw notFound();
  const [row] = await db
    .select({ ...viewColumns, organizationId: webhooks.organizationId })
    .from(webhookSubscriptions)
    .innerJoin(webhooks, eq(webhooks.id, webhookSubscriptions.webhookId))
    .where(
      and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.accountId, principal.user.accountId)),
    );
  if (!row) throw notFound();
  const { organizationId, ...view } = row;
  manageableOrganization(principal, organizationId);
  return view;
}

export async function getSubscription(
  deps: WebhookDeps,
  input: Actor & { subscriptionId: string },
): Promise<SubscriptionView> {
  return loadSubscription(deps.db, input.principal, input.subscriptionId);
}

export async function deleteSubscription(
  deps: WebhookDeps,
  input: Actor & { subscriptionId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const caller = await currentPrincipal(tx, input.principal);
    const subscription = await loadSubscription(tx, caller, input.subscriptionId);
    await tx.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, subscription.id));
    await writeAudit(tx, {
      at: now,
      accountId: caller.user.accountId,
      actorUserId: caller.user.id,
      actorCredential: caller.credential.type,
      action: "webhook_subscription.delete",
      targetType: "webhook_subscription",
      targetId: subscription.id,
      clientAddress: input.clientAddress,
      details: { webhook_id: subscription.webhookId, event: subscription.event },
    });
  });
}
