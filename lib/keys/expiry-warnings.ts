/**
 * Expiry warnings (lifecycle.md §5): each instance scans now and then; for each active key and each
 * `warning_days` threshold it has crossed, one warning — once per key, threshold and expiry, whichever
 * instance scans first, across restarts. The claim is a row inserted `on conflict do nothing returning`
 * in the transaction that also writes the audit row (and, through `sink`, anything else that must
 * happen exactly when a warning is claimed, such as a webhook event). Emails go out after the claim
 * commits: at most once, a failed send is logged.
 */
import { enqueueKeyEvent } from "./key-events";
import { and, eq, gt, inArray, isNotNull, lte } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import { apiKeyExpiryWarnings, apiKeys, keyPolicies, spaceMemberships, spaces, users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import type { Mailer } from "../domain/mailer";
import { keyPageLink, mailEach } from "./key-mail";
import { DEFAULT_WARNING_DAYS } from "../schemas/key-policy-rules";
import { intervalMsFromEnv, runPeriodically } from "../domain/periodic";
import { logFields, type LogLine } from "../domain/logger";

const DAY_MS = 86_400_000;
/** A key that expired longer ago than this when first seen (e.g. before warnings existed) sends nothing. */
const EXPIRED_NOTICE_WINDOW_MS = 7 * DAY_MS;
/** The threshold row of the "has expired" notice. */
const EXPIRED = 0;

/** What a claimed warning is: the seam for webhook delivery (lifecycle.md §5, `API_KEY_EXPIRING` / `API_KEY_EXPIRED`). */
export interface ExpiryEvent {
  type: "API_KEY_EXPIRING" | "API_KEY_EXPIRED";
  /** Internal id of the key. */
  apiKeyId: string;
  accountId: string;
  /** Whole days left, rounded up (0 once expired). */
  daysLeft: number;
  /** The `warning_days` threshold it is for (0: expired). */
  thresholdDays: number;
  expiresAt: Date;
}

/**
 * Told of each claimed warning inside its claim's transaction, so what it writes stands or falls with it.
 * (Webhook events are queued by the scan itself, through `enqueueKeyEvent`.)
 */
interface ExpiryEventSink {
  record(tx: DbOrTx, event: ExpiryEvent): Promise<void>;
}

export interface ExpiryScanDeps {
  db: Db;
  clock: Clock;
  mailer?: Mailer;
  /** Base of the link to the key's page (`PUBLIC_URL`). */
  publicUrl: string;
  sink?: ExpiryEventSink;
  log?: (line: string) => void;
}

interface Candidate {
  id: string;
  accountId: string;
  name: string;
  keyType: "user" | "service";
  userId: string;
  createdByUserId: string;
  spaceId: string | null;
  expiresAt: Date;
}

interface Recipient {
  name: string;
  email: string;
}

const logLine = (deps: ExpiryScanDeps, fields: LogLine) =>
  deps.log ? deps.log(JSON.stringify(fields)) : logFields(fields);

/** The thresholds a key has crossed at `now`, smallest first; [0, …all] once it has expired. */
function crossedThresholds(expiresAt: Date, now: Date, warningDays: number[]): number[] {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return [EXPIRED, ...[...warningDays].sort((a, b) => a - b)];
  return warningDays.filter((d) => left <= d * DAY_MS).sort((a, b) => a - b);
}

/** One scan: claims and sends every warning due now. Returns the events it claimed. */
export async function scanExpiringKeys(deps: ExpiryScanDeps): Promise<ExpiryEvent[]> {
  const now = deps.clock.now();
  const policies = await deps.db
    .select({ accountId: keyPolicies.accountId, warningDays: keyPolicies.warningDays })
    .from(keyPolicies);
  const warningDaysOf = new Map(policies.map((p) => [p.accountId, p.warningDays]));
  const horizonDays = Math.max(...DEFAULT_WARNING_DAYS, ...policies.flatMap((p) => p.warningDays));
  const rows = await deps.db
    .select({
      id: apiKeys.id,
      accountId: apiKeys.accountId,
      name: apiKeys.name,
      keyType: apiKeys.keyType,
      userId: apiKeys.userId,
      createdByUserId: apiKeys.createdByUserId,
      spaceId: apiKeys.spaceId,
      expiresAt: apiKeys.expiresAt,
    })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.status, "active"),
        isNotNull(apiKeys.expiresAt),
        lte(apiKeys.expiresAt, new Date(now.getTime() + horizonDays * DAY_MS)),
        gt(apiKeys.expiresAt, new Date(now.getTime() - EXPIRED_NOTICE_WINDOW_MS)),
      ),
    );
  const candidates = rows.flatMap(({ expiresAt, ...key }): Candidate[] =>
    expiresAt ? [{ ...key, expiresAt }] : [],
  );
  if (candidates.length === 0) {
    logLine(deps, { level: "info", msg: "expiry scan", keys: 0, warnings: 0 });
    return [];
  }

  // What was claimed already, so that only keys with something new open a transaction.
  const claimed = await deps.db
    .select({
      apiKeyId: apiKeyExpiryWarnings.apiKeyId,
      thresholdDays: apiKeyExpiryWarnings.thresholdDays,
      expiresAt: apiKeyExpiryWarnings.expiresAt,
    })
    .from(apiKeyExpiryWarnings)
    .where(
      inArray(
        apiKeyExpiryWarnings.apiKeyId,
        candidates.map((c) => c.id),
      ),
    );
  const done = new Set(claimed.map((r) => `${r.apiKeyId}:${r.thresholdDays}:${r.expiresAt.getTime()}`));

  const events: ExpiryEvent[] = [];
  for (const key of candidates) {
    const warningDays = warningDaysOf.get(key.accountId) ?? DEFAULT_WARNING_DAYS;
    const crossed = crossedThresholds(key.expiresAt, now, warningDays);
    const smallest = crossed[0];
    if (smallest === undefined || done.has(`${key.id}:${smallest}:${key.expiresAt.getTime()}`)) continue;
    try {
      const claim = await claimWarning(deps, key, crossed, now);
      if (!claim) continue;
      events.push(claim.event);
      await sendWarning(deps, key, claim);
    } catch (err) {
      logLine(deps, {
        level: "error",
        msg: "expiry warning failed",
        api_key_id: key.id,
        err: err instanceof Error ? err.message : String(err),
      });
    }
  }
  logLine(deps, { level: "info", msg: "expiry scan", keys: candidates.length, warnings: events.length });
  return events;
}

interface Claim {
  event: ExpiryEvent;
  spaceName: string | null;
  recipients: Recipient[];
}

/**
 * Inserts a row for every crossed threshold; the warning is this instance's to send when the row of the
 * smallest comes back (the larger ones count as sent). Null when another scan claimed it first.
 */
async function claimWarning(
  deps: ExpiryScanDeps,
  key: Candidate,
  crossed: number[],
  now: Date,
): Promise<Claim | null> {
  const smallest = crossed[0] ?? EXPIRED;
  return deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(apiKeyExpiryWarnings)
      .values(
        crossed.map((thresholdDays) => ({
          apiKeyId: key.id,
          thresholdDays,
          expiresAt: key.expiresAt,
          notified: thresholdDays === smallest,
          claimedAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ thresholdDays: apiKeyExpiryWarnings.thresholdDays });
    if (!inserted.some((row) => row.thresholdDays === smallest)) return null;

    const expired = smallest === EXPIRED;
    const event: ExpiryEvent = {
      type: expired ? "API_KEY_EXPIRED" : "API_KEY_EXPIRING",
      apiKeyId: key.id,
      accountId: key.accountId,
      daysLeft: expired ? 0 : Math.ceil((key.expiresAt.getTime() - now.getTime()) / DAY_MS),
      thresholdDays: smallest,
      expiresAt: key.expiresAt,
    };
    const recipients = await recipientsOf(tx, key);
    const [space] = key.spaceId
      ? await tx.select({ name: spaces.name }).from(spaces).where(eq(spaces.id, key.spaceId))
      : [];
    await writeAudit(tx, {
      at: now,
      accountId: key.accountId,
      actorCredential: "system",
      action: "api_key.expiry_warning_sent",
      targetType: "api_key",
      targetId: key.id,
      details: {
        event: event.type,
        threshold_days: smallest,
        days_left: event.daysLeft,
        expires_at: key.expiresAt.toISOString(),
        recipients: recipients.length,
        emailed: deps.mailer !== undefined,
      },
    });
    // Webhooks subscribed to the key hear of it in the same transaction (lib/keys/key-events.ts).
    await enqueueKeyEvent(tx, deps.clock, {
      keyId: key.id,
      type: event.type,
      at: now,
      daysLeft: event.daysLeft,
    });
    await deps.sink?.record(tx, event);
    return { event, spaceName: space?.name ?? null, recipients };
  });
}

/**
 * A user key: its owner. A service key: its creator and its space's admins — each person once. Also
 * who hears of a leak report (lib/keys/leaks.ts).
 */
export async function recipientsOf(
  tx: DbOrTx,
  key: Pick<Candidate, "keyType" | "userId" | "createdByUserId" | "spaceId">,
): Promise<Recipient[]> {
  const people = new Set([key.keyType === "user" ? key.userId : key.createdByUserId]);
  if (key.keyType === "service" && key.spaceId) {
    const admins = await tx
      .select({ userId: spaceMemberships.userId })
      .from(spaceMemberships)
      .where(and(eq(spaceMemberships.spaceId, key.spaceId), eq(spaceMemberships.role, "admin")));
    for (const admin of admins) people.add(admin.userId);
  }
  const rows = await tx
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(inArray(users.id, [...people]), eq(users.kind, "human"), eq(users.status, "active")));
  return rows.flatMap((r) => (r.email ? [{ name: r.name, email: r.email }] : []));
}

const plural = (n: number) => (n === 1 ? "1 day" : `${n} days`);

/** The email of one warning (lifecycle.md §5). */
function expiryWarningEmail(input: {
  keyName: string;
  keyType: "user" | "service";
  spaceName: string | null;
  event: ExpiryEvent;
  link: string;
}): { subject: string; text: string } {
  const { event } = input;
  const expired = event.type === "API_KEY_EXPIRED";
  const subject = expired
    ? `Your API key "${input.keyName}" has expired`
    : `Your API key "${input.keyName}" expires in ${plural(event.daysLeft)}`;
  const what =
    input.keyType === "service"
      ? `The service key "${input.keyName}" in space ${input.spaceName ?? "(deleted)"}`
      : `Your user key "${input.keyName}"`;
  const when = expired
    ? `expired at ${event.expiresAt.toISOString()}; clients using it are refused.`
    : `expires at ${event.expiresAt.toISOString()} (in ${plural(event.daysLeft)}); clients using it will be refused from then on.`;
  const text = [
    `${what} ${when}`,
    "",
    expired
      ? "Create a new key, or refresh this one, and give it to the clients that used it:"
      : "Refresh it with a new expiry before then, or replace it:",
    input.link,
    "",
    "— Keydesk",
  ].join("\n");
  return { subject, text };
}

async function sendWarning(deps: ExpiryScanDeps, key: Candidate, claim: Claim): Promise<void> {
  const link = keyPageLink(deps.publicUrl, key.id);
  const message = expiryWarningEmail({
    keyName: key.name,
    keyType: key.keyType,
    spaceName: claim.spaceName,
    event: claim.event,
    link,
  });
  const sent = await mailEach(deps.mailer, claim.recipients, message, (err) =>
    logLine(deps, {
      level: "error",
      msg: "expiry warning email failed",
      api_key_id: key.id,
      err: err instanceof Error ? err.message : String(err),
    }),
  );
  logLine(deps, {
    level: "info",
    msg: "expiry warning sent",
    api_key_id: key.id,
    event: claim.event.type,
    threshold_days: claim.event.thresholdDays,
    emails: sent,
  });
}

/** `KEYDESK_EXPIRY_SCAN_INTERVAL_S` (default 3600; 0 turns scanning off). */
export const expiryScanIntervalMs = (env: NodeJS.ProcessEnv = process.env) =>
  intervalMsFromEnv("KEYDESK_EXPIRY_SCAN_INTERVAL_S", 3600, env);

/**
 * Scans now and then every `intervalMs`, one scan at a time, until stopped; `stop` waits for a scan in
 * progress (so the database can close after it).
 */
export function startExpiryScanner(deps: ExpiryScanDeps & { intervalMs: number }): { stop(): Promise<void> } {
  return runPeriodically(
    () => scanExpiringKeys(deps),
    deps.intervalMs,
    (err: unknown) =>
      logLine(deps, {
        level: "error",
        msg: "expiry scan failed",
        err: err instanceof Error ? err.message : String(err),
      }),
  );
}
