import { randomUUID } from "node:crypto";
import { and, desc, eq, ilike, inArray, lt, or, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import { lockAccess } from "../auth/access";
import type { DbOrTx } from "../db/client";
import { webhookDeliveryAttempts, webhookEvents, webhooks } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { forbidden, invalid, notFound, conflict, unauthenticated } from "../domain/errors";
import { decodeId, encodeId } from "../domain/ids";
import {
  decodeCursor,
  decodeSequenceCursor,
  encodeSequenceCursor,
  toPage,
  type Page,
} from "../domain/pagination";
import { mayManageWebhooks } from "../roles/webhooks";
import { DEFAULT_TIMEOUT_MS, type WebhookAuthType } from "../schemas/webhooks";
import { checkUrlShape, RefusedUrl, resolveTarget } from "./address-guard";
import type { WebhookDeps } from "./context";
import { recordAttempt } from "./delivery";
import { sendEvent } from "./send";
import { generateSigningSecret, signingSecretHint } from "./signing";

export interface Actor {
  principal: Principal;
  clientAddress?: string | null;
}

/** A webhook as the domain returns it: no credential in it. */
export interface WebhookView {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  url: string;
  authType: WebhookAuthType;
  signingSecretHint: string | null;
  timeoutMs: number;
  createdAt: Date;
  updatedAt: Date;
  createdByUserId: string | null;
}

const viewColumns = {
  id: webhooks.id,
  organizationId: webhooks.organizationId,
  name: webhooks.name,
  description: webhooks.description,
  url: webhooks.url,
  authType: webhooks.authType,
  signingSecretHint: webhooks.signingSecretHint,
  timeoutMs: webhooks.timeoutMs,
  createdAt: webhooks.createdAt,
  updatedAt: webhooks.updatedAt,
  createdByUserId: webhooks.createdByUserId,
};

const asView = (row: Omit<WebhookView, "authType"> & { authType: string }): WebhookView => ({
  ...row,
  authType: row.authType === "HMAC_SHA256" ? "HMAC_SHA256" : "BEARER",
});

// ── Who may ─────────────────────────────────────────────────────────────────────────────────────

/** The organization's uuid if the caller may manage its webhooks: 404 out of sight, 403 in sight but not admin. */
export function manageableOrganization(principal: Principal, organizationId: string): string {
  const organization = principal.organizations.find((o) => o.id === organizationId);
  if (!organization) throw notFound();
  const decision = mayManageWebhooks(organization.role);
  if (!decision.allowed) throw forbidden(decision.reason);
  return organization.id;
}

export const manageableOrganizationIds = (principal: Principal) =>
  principal.organizations.filter((o) => mayManageWebhooks(o.role).allowed).map((o) => o.id);

/** The caller's roles as committed now, their user row share-locked until the write ends. */
export async function currentPrincipal(tx: DbOrTx, principal: Principal): Promise<Principal> {
  const access = await lockAccess(tx, principal.user.id);
  if (!access) throw unauthenticated();
  return { ...principal, user: access.user, organizations: access.organizations };
}

/** A webhook the caller may manage, or the 404/403 the rest of the API gives. */
export async function loadWebhook(db: DbOrTx, principal: Principal, publicId: string): Promise<WebhookView> {
  const id = decodeId("Webhook", publicId);
  if (!id) throw notFound();
  const [row] = await db
    .select(viewColumns)
    .from(webhooks)
    .where(and(eq(webhooks.id, id), eq(webhooks.accountId, principal.user.accountId)));
  if (!row) throw notFound();
  manageableOrganization(principal, row.organizationId);
  return asView(row);
}

// ── URL checks ──────────────────────────────────────────────────────────────────────────────────

async function assertDeliverableUrl(deps: WebhookDeps, raw: string): Promise<void> {
  try {
    const url = checkUrlShape(raw, deps.policy.network);
    await resolveTarget(url, deps.policy.network, deps.resolve);
  } catch (err) {
    if (err instanceof RefusedUrl) throw invalid(err.message, "url");
    throw err;
  }
}

const nameTaken = (name: string) =>
  conflict(`A webhook named "${name}" already exists in this organization.`);

function auditVariables(input: {
  name?: string;
  url?: string;
  description?: string | null;
  timeoutMs?: number;
  headers?: Record<string, string>;
  authToken?: string;
}) {
  // Never the token or the header values: only that they were given.
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    // The URL's origin only: some receivers put a secret in the path or the query.
    ...(input.url !== undefined
      ? { url_origin: URL.canParse(input.url) ? new URL(input.url).origin : "" }
      : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.timeoutMs !== undefined ? { timeout_ms: input.timeoutMs } : {}),
    ...(input.headers !== undefined ? { header_names: Object.keys(input.headers) } : {}),
    ...(input.authToken !== undefined ? { auth_token_changed: true } : {}),
  };
}

// ── Create, list, get, update, delete ───────────────────────────────────────────────────────────

export interface CreateWebhookInput extends Actor {
  organizationId: string;
  name: string;
  url: string;
  description?: string;
  authType?: WebhookAuthType;
  authToken?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export async function createWebhook(
  deps: WebhookDeps,
  input: CreateWebhookInput,
): Promise<{ webhook: WebhookView; signingSecret?: string }> {
  const organizationId = decodeId("Organization", input.organizationId);
  if (!organizationId) throw notFound("The organization does not exist or you cannot see it.");
  manageableOrganization(input.principal, organizationId);
  const authType = input.authType ?? "BEARER";
  if (authType === "HMAC_SHA256" && input.authToken !== undefined)
    throw invalid("`auth_token` is only for BEARER webhooks; HMAC_SHA256 webhooks are signed.", "auth_token");
  await assertDeliverableUrl(deps, input.url);

  const now = deps.clock.now();
  const signingSecret = authType === "HMAC_SHA256" ? generateSigningSecret() : undefined;
  const id = randomUUID();
  const inserted = await deps.db.transaction(async (tx) => {
    const caller = await currentPrincipal(tx, input.principal);
    manageableOrganization(caller, organizationId);
    const rows = await tx
      .insert(webhooks)
      .values({
        id,
        accountId: caller.user.accountId,
        organizationId,
        name: input.name,
        description: input.description ?? "",
        url: input.url,
        authType,
        authToken: authType === "BEARER" ? (input.authToken ?? null) : null,
        signingSecret: signingSecret ?? null,
        signingSecretHint: signingSecret ? signingSecretHint(signingSecret) : null,
        timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        headers: input.headers ?? {},
        createdByUserId: caller.user.kind === "human" ? caller.user.id : null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning(viewColumns);
    const row = rows[0];
    if (!row) throw nameTaken(input.name);
    await writeAudit(tx, {
      at: now,
      accountId: caller.user.accountId,
      actorUserId: caller.user.id,
      actorCredential: caller.credential.type,
      action: "webhook.create",
      targetType: "webhook",
      targetId: id,
      clientAddress: input.clientAddress,
      details: {
        organization_id: organizationId,
        auth_type: authType,
        variables: auditVariables({ ...input, authToken: input.authToken }),
      },
    });
    return row;
  });
  return { webhook: asView(inserted), ...(signingSecret ? { signingSecret } : {}) };
}

export interface ListWebhooksInput {
  principal: Principal;
  organizationId?: string;
  name?: string;
  limit: number;
  cursor?: string;
}

/** The webhooks the caller manages (every organization they administer), newest first. */
export async function listWebhooks(deps: WebhookDeps, input: ListWebhooksInput): Promise<Page<WebhookView>> {
  let organizationIds = manageableOrganizationIds(input.principal);
  if (input.organizationId !== undefined) {
    const id = decodeId("Organization", input.organizationId);
    if (!id) throw notFound("The organization does not exist or you cannot see it.");
    organizationIds = [manageableOrganization(input.principal, id)];
  }
  if (organizationIds.length === 0) return { items: [] };
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await deps.db
    .select(viewColumns)
    .from(webhooks)
    .where(
      and(
        eq(webhooks.accountId, input.principal.user.accountId),
        inArray(webhooks.organizationId, organizationIds),
        input.name ? ilike(webhooks.name, `%${input.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
        cursor
          ? or(
              lt(webhooks.createdAt, cursor.createdAt),
              and(eq(webhooks.createdAt, cursor.createdAt), lt(webhooks.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id))
    .limit(input.limit + 1);
  return toPage(rows.map(asView), input.limit, (w) => ({ createdAt: w.createdAt, id: w.id }));
}

export async function getWebhook(
  deps: WebhookDeps,
  input: Actor & { webhookId: string },
): Promise<WebhookView> {
  return loadWebhook(deps.db, input.principal, input.webhookId);
}

export interface UpdateWebhookInput extends Actor {
  webhookId: string;
  name?: string;
  description?: string | null;
  url?: string;
  authToken?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export async function updateWebhook(deps: WebhookDeps, input: UpdateWebhookInput): Promise<WebhookView> {
  const { name, description, url, authToken, timeoutMs, headers } = input;
  if ([name, description, url, authToken, timeoutMs, headers].every((v) => v === undefined))
    throw invalid("Give at least one of name, description, url, auth_token, timeout_ms or headers.");
  const visible = await loadWebhook(deps.db, input.principal, input.webhookId);
  if (authToken !== undefined && visible.authType !== "BEARER")
    throw invalid("`auth_token` is only for BEARER webhooks; HMAC_SHA256 webhooks are signed.", "auth_token");
  if (url !== undefined) await assertDeliverableUrl(deps, url);

  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const caller = await currentPrincipal(tx, input.principal);
    await loadWebhook(tx, caller, input.webhookId);
    if (name !== undefined) {
      const [taken] = await tx
        .select({ id: webhooks.id })
        .from(webhooks)
        .where(
          and(
            eq(webhooks.organizationId, visible.organizationId),
            eq(webhooks.name, name),
            sql`${webhooks.id} <> ${visible.id}`,
          ),
        );
      if (taken) throw nameTaken(name);
    }
    const [row] = await tx
      .update(webhooks)
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(description !== undefined ? { description: description ?? "" } : {}),
        ...(url !== undefined ? { url } : {}),
        ...(authToken !== undefined ? { authToken } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(headers !== undefined ? { headers } : {}),
        updatedAt: now,
      })
      .where(eq(webhooks.id, visible.id))
      .returning(viewColumns);
    if (!row) throw notFound();
    await writeAudit(tx, {
      at: now,
      accountId: caller.user.accountId,
      actorUserId: caller.user.id,
      actorCredential: caller.credential.type,
      action: "webhook.update",
      targetType: "webhook",
      targetId: visible.id,
      clientAddress: input.clientAddress,
      details: { variables: auditVariables(input) },
    });
    return asView(row);
  });
}

export async function deleteWebhook(deps: WebhookDeps, input: Actor & { webhookId: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const caller = await currentPrincipal(tx, input.principal);
    const webhook = await loadWebhook(tx, caller, input.webhookId);
    const deleted = await tx
      .delete(webhooks)
      .where(eq(webhooks.id, webhook.id))
      .returning({ id: webhooks.id });
    if (deleted.length === 0) throw notFound();
    await writeAudit(tx, {
      at: now,
      accountId: caller.user.accountId,
      actorUserId: caller.user.id,
      actorCredential: caller.credential.type,
      action: "webhook.delete",
      targetType: "webhook",
      targetId: webhook.id,
      clientAddress: input.clientAddress,
      details: { name: webhook.name, organization_id: webhook.organizationId },
    });
  });
}

// ── Test delivery and the attempts' list ────────────────────────────────────────────────────────

/**
 * Sends a `WEBHOOK_TEST` event now and answers with the endpoint's outcome (502 when no answer came,
 * as Arize's contract says). The attempt is recorded like any other, and is not retried.
 */
export async function testWebhook(
  deps: WebhookDeps,
  input: Actor & { webhookId: string },
): Promise<{ statusCode: number; errorMessage: string | null }> {
  const webhook = await loadWebhook(deps.db, input.principal, input.webhookId);
  const [target] = await deps.db
    .select({
      url: webhooks.url,
      authType: webhooks.authType,
      authToken: webhooks.authToken,
      signingSecret: webhooks.signingSecret,
      timeoutMs: webhooks.timeoutMs,
      headers: webhooks.headers,
    })
    .from(webhooks)
    .where(eq(webhooks.id, webhook.id));
  if (!target) throw notFound();
  const now = deps.clock.now();
  const eventId = randomUUID();
  const payload = {
    id: encodeId("WebhookEvent", eventId),
    type: "WEBHOOK_TEST",
    created_at: now.toISOString(),
    data: { webhook: { id: encodeId("Webhook", webhook.id), name: webhook.name } },
  };
  await deps.db.insert(webhookEvents).values({
    id: eventId,
    accountId: input.principal.user.accountId,
    type: "WEBHOOK_TEST",
    payload,
    createdAt: now,
  });
  const outcome = await sendEvent(
    target,
    { id: payload.id, type: payload.type, body: JSON.stringify(payload) },
    deps.policy.network,
    deps.resolve,
    () => deps.clock.now(),
  );
  await recordAttempt(deps.db, webhook.id, eventId, 1, outcome, deps.clock.now());
  return { statusCode: outcome.statusCode ?? 502, errorMessage: outcome.errorMessage };
}

export interface DeliveryAttemptView {
  id: number;
  eventId: string;
  eventType: string;
  attemptNumber: number;
  payload: Record<string, unknown>;
  statusCode: number | null;
  errorMessage: string | null;
  durationMs: number;
  createdAt: Date;
}

export async function listDeliveryAttempts(
  deps: WebhookDeps,
  input: Actor & { webhookId: string; limit: number; cursor?: string },
): Promise<Page<DeliveryAttemptView>> {
  const webhook = await loadWebhook(deps.db, input.principal, input.webhookId);
  const before = input.cursor ? decodeSequenceCursor(input.cursor) : undefined;
  const rows = await deps.db
    .select({
      id: webhookDeliveryAttempts.id,
      eventId: webhookDeliveryAttempts.eventId,
      eventType: webhookEvents.type,
      attemptNumber: webhookDeliveryAttempts.attemptNumber,
      payload: webhookEvents.payload,
      statusCode: webhookDeliveryAttempts.statusCode,
      errorMessage: webhookDeliveryAttempts.errorMessage,
      durationMs: webhookDeliveryAttempts.durationMs,
      createdAt: webhookDeliveryAttempts.createdAt,
    })
    .from(webhookDeliveryAttempts)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveryAttempts.eventId))
    .where(
      and(
        eq(webhookDeliveryAttempts.webhookId, webhook.id),
        before !== undefined ? lt(webhookDeliveryAttempts.id, before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveryAttempts.id))
    .limit(input.limit + 1);
  if (rows.length <= input.limit) return { items: rows };
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return last ? { items, nextCursor: encodeSequenceCursor(last.id) } : { items };
}
