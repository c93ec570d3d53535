/**
 * What a leak report does (lifecycle.md §6), whoever sends it (GitHub's secret scanning, a self-managed
 * GitLab): each token is matched by its digest against every secret, current and previous. For a
 * match on a working secret, by the account's `leak_action`: `revoke` ends that secret at once (a
 * previous secret's grace ends; a current secret revokes the key, reason `leaked`, by nobody), `notify`
 * changes nothing. Either way one audit row `api_key.leak_reported`, the `API_KEY_LEAKED` event, an
 * email to the owner (user key) or the creator and the space's admins (service key), and a report row
 * that the key's page shows. Claimed once per digest, source and url, in the same transaction as the
 * revocation: the same report twice changes nothing the second time.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { apiKeyLeakReports, apiKeys, apiKeySecrets, spaces } from "../db/schema";
import { writeAudit } from "../domain/audit";
import type { Mailer } from "../domain/mailer";
import { keyPageLink, mailEach } from "./key-mail";
import type { KeyEvents } from "./api-keys";
import { keyColumns } from "./key-view";
import { recipientsOf } from "./expiry-warnings";
import { enqueueKeyEvent } from "./key-events";
import { readKeyPolicy } from "./policy";
import { digestKey, isWellFormedKey } from "./secrets";
import { logFields, type LogLine } from "../domain/logger";

export type LeakSource = "github" | "gitlab";

/** What a report did to the secret it matched. */
type LeakOutcome = "revoked" | "grace_ended" | "notified" | "already_inactive";

export interface LeakedToken {
  token: string;
  /** Where it was found (GitHub's `url`, GitLab's `location`); "" when not given. */
  url: string;
  /** GitHub's `source` (`content`, `commit`, …); null for GitLab. */
  location: string | null;
}

export interface LeakVerdict {
  /** SHA-256 hex of the token as reported (GitHub's `token_hash`). */
  tokenHash: string;
  /** The token is (or was) a secret of a Keydesk key. */
  isKey: boolean;
}

export interface LeakDeps {
  db: Db;
  clock: Clock;
  /** Told after commit, so this instance's verification cache drops the key at once. */
  events?: KeyEvents;
  mailer?: Mailer;
  /** Base of the link to the key's page in the email (`PUBLIC_URL`). */
  publicUrl: string;
  log?: (line: string) => void;
}

interface Claimed {
  keyId: string;
  keyName: string;
  keyType: "user" | "service";
  spaceName: string | null;
  outcome: LeakOutcome;
  leakAction: "revoke" | "notify";
  secret: "current" | "previous";
  url: string;
  recipients: { name: string; email: string }[];
}

const logLine = (deps: LeakDeps, fields: LogLine) =>
  deps.log ? deps.log(JSON.stringify(fields)) : logFields(fields);

/**
 * Handles one report of up to a caller-chosen number of tokens and answers, for each token in order,
 * whether it is a Keydesk secret. Tokens that are not well-formed keys cost no database work.
 */
export async function reportLeakedTokens(
  deps: LeakDeps,
  input: { source: LeakSource; tokens: LeakedToken[] },
): Promise<LeakVerdict[]> {
  const candidates = input.tokens.map((t) => ({
    ...t,
    tokenHash: digestKey(t.token),
    wellFormed: isWellFormedKey(t.token),
  }));
  const digests = [...new Set(candidates.filter((c) => c.wellFormed).map((c) => c.tokenHash))];
  const known =
    digests.length > 0
      ? await deps.db
          .select({ digest: apiKeySecrets.digest, apiKeyId: apiKeySecrets.apiKeyId })
          .from(apiKeySecrets)
          .where(inArray(apiKeySecrets.digest, digests))
      : [];
  const keyOf = new Map(known.map((row) => [row.digest, row.apiKeyId]));

  const seen = new Set<string>();
  const claims: Claimed[] = [];
  for (const c of candidates) {
    const keyId = keyOf.get(c.tokenHash);
    const once = `${c.tokenHash} ${c.url}`;
    if (!keyId || seen.has(once)) continue;
    seen.add(once);
    const claimed = await claimReport(deps, { ...c, source: input.source, keyId });
    if (claimed) claims.push(claimed);
  }

  const ended = claims.filter((c) => c.outcome === "revoked" || c.outcome === "grace_ended");
  if (ended.length > 0) deps.events?.keysChanged([...new Set(ended.map((c) => c.keyId))]);
  for (const claim of claims) await sendLeakEmails(deps, input.source, claim);

  return candidates.map((c) => ({ tokenHash: c.tokenHash, isKey: keyOf.has(c.tokenHash) }));
}

/**
 * One token's report in one transaction, under the key's row lock: decide, claim (the unique report
 * row), then end the secret, write the audit row and queue the events. Null when this digest, source
 * and url were reported before.
 */
async function claimReport(
  deps: LeakDeps,
  input: LeakedToken & { tokenHash: string; source: LeakSource; keyId: string },
): Promise<Claimed | null> {
  return deps.db.transaction(async (tx) => {
    const [key] = await tx.select(keyColumns).from(apiKeys).where(eq(apiKeys.id, input.keyId)).for("update");
    const [secret] = await tx
      .select({
        id: apiKeySecrets.id,
        isCurrent: apiKeySecrets.isCurrent,
        expiresAt: apiKeySecrets.expiresAt,
      })
      .from(apiKeySecrets)
      .where(and(eq(apiKeySecrets.digest, input.tokenHash), eq(apiKeySecrets.apiKeyId, input.keyId)));
    // Gone since the first look (a refresh deleted it, the key was deleted): nothing left to report on.
    if (!key || !secret) return null;
    const now = deps.clock.now();
    const { leak_action: leakAction } = await readKeyPolicy({ db: tx, accountId: key.accountId });
    const working =
      key.status === "active" && (secret.expiresAt === null || now.getTime() < secret.expiresAt.getTime());
    const outcome: LeakOutcome = !working
      ? "already_inactive"
      : leakAction === "notify"
        ? "notified"
        : secret.isCurrent
          ? "revoked"
          : "grace_ended";

    const [claim] = await tx
      .insert(apiKeyLeakReports)
      .values({
        id: randomUUID(),
        apiKeyId: key.id,
        digest: input.tokenHash,
        source: input.source,
        url: input.url,
        location: input.location,
        currentSecret: secret.isCurrent,
        outcome,
        reportedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: apiKeyLeakReports.id });
    if (!claim) return null;

    if (outcome === "revoked")
      await tx
        .update(apiKeys)
        .set({ status: "revoked", revokedAt: now, revokedByUserId: null, revocationReason: "leaked" })
        .where(eq(apiKeys.id, key.id));
    // Expiry is exclusive (valid iff now < expires_at): ending it now stops it at once.
    if (outcome === "grace_ended")
      await tx.update(apiKeySecrets).set({ expiresAt: now }).where(eq(apiKeySecrets.id, secret.id));

    const secretKind = secret.isCurrent ? "current" : "previous";
    await writeAudit(tx, {
      at: now,
      accountId: key.accountId,
      actorCredential: "system",
      action: "api_key.leak_reported",
      targetType: "api_key",
      targetId: key.id,
      details: {
        source: input.source,
        url: input.url,
        location: input.location,
        secret: secretKind,
        leak_action: leakAction,
        outcome,
      },
    });
    // A secret that no longer worked puts nothing at risk: the report is kept, nobody is alarmed.
    if (outcome === "already_inactive") return null;
    await enqueueKeyEvent(tx, deps.clock, {
      keyId: key.id,
      type: "API_KEY_LEAKED",
      at: now,
      leak: { source: input.source, url: input.url, location: input.location },
    });
    if (outcome === "revoked")
      await enqueueKeyEvent(tx, deps.clock, { keyId: key.id, type: "API_KEY_REVOKED", at: now });
    const [space] = key.spaceId
      ? await tx.select({ name: spaces.name }).from(spaces).where(eq(spaces.id, key.spaceId))
      : [];
    return {
      keyId: key.id,
      keyName: key.name,
      keyType: key.keyType,
      spaceName: space?.name ?? null,
      outcome,
      leakAction,
      secret: secretKind,
      url: input.url,
      recipients: await recipientsOf(tx, key),
    };
  });
}

const SOURCE_NAME: Record<LeakSource, string> = {
  github: "GitHub secret scanning",
  gitlab: "GitLab secret detection",
};

/** The email of one report (lifecycle.md §6). */
function leakEmail(input: { source: LeakSource; claim: Claimed; link: string }): {
  subject: string;
  text: string;
} {
  const { claim } = input;
  const what =
    claim.keyType === "service"
      ? `The service key "${claim.keyName}" in space ${claim.spaceName ?? "(deleted)"}`
      : `Your user key "${claim.keyName}"`;
  const which =
    claim.secret === "current" ? "its current secret" : "its previous secret (still in its grace period)";
  const done: Record<LeakOutcome, string> = {
    revoked: "Keydesk revoked the key: clients using it are refused from now on. Create a new key for them.",
    grace_ended:
      "Keydesk ended the previous secret's grace period: clients still using it are refused from now on. The current secret keeps working.",
    notified:
      "Your account's key policy is to notify only, so the key still works. Revoke or refresh it now, and give its clients the new secret.",
    already_inactive: "",
  };
  return {
    subject: `Your API key "${claim.keyName}" was found in public`,
    text: [
      `${what} was reported by ${SOURCE_NAME[input.source]}: ${which} was found at`,
      claim.url || "(no location given)",
      "",
      done[claim.outcome],
      "",
      input.link,
      "",
      "— Keydesk",
    ].join("\n"),
  };
}

async function sendLeakEmails(deps: LeakDeps, source: LeakSource, claim: Claimed): Promise<void> {
  const link = keyPageLink(deps.publicUrl, claim.keyId);
  const message = leakEmail({ source, claim, link });
  const sent = await mailEach(deps.mailer, claim.recipients, message, (err) =>
    logLine(deps, {
      level: "error",
      msg: "leak email failed",
      api_key_id: claim.keyId,
      err: err instanceof Error ? err.message : String(err),
    }),
  );
  logLine(deps, {
    level: "warn",
    msg: "leak reported",
    source,
    api_key_id: claim.keyId,
    outcome: claim.outcome,
    emails: sent,
  });
}

export interface LeakReportView {
  source: LeakSource;
  url: string;
  location: string | null;
  secret: "current" | "previous";
  outcome: LeakOutcome;
  reportedAt: Date;
}

/** A key's leak reports, newest first (the key's page; at most 20). */
export async function listLeakReports(db: Db, keyId: string): Promise<LeakReportView[]> {
  const rows = await db
    .select({
      source: apiKeyLeakReports.source,
      url: apiKeyLeakReports.url,
      location: apiKeyLeakReports.location,
      currentSecret: apiKeyLeakReports.currentSecret,
      outcome: apiKeyLeakReports.outcome,
      reportedAt: apiKeyLeakReports.reportedAt,
    })
    .from(apiKeyLeakReports)
    .where(eq(apiKeyLeakReports.apiKeyId, keyId))
    .orderBy(desc(apiKeyLeakReports.reportedAt), desc(apiKeyLeakReports.id))
    .limit(20);
  return rows.map((r) => ({
    source: r.source as LeakSource,
    url: r.url,
    location: r.location,
    secret: r.currentSecret ? "current" : "previous",
    outcome: r.outcome as LeakOutcome,
    reportedAt: r.reportedAt,
  }));
}
