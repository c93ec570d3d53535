/**
 * The account's key policy (lifecycle.md §3): lifetime caps and defaults per key type, the days before
 * expiry at which owners are warned, and what a leak report does. No row = the defaults.
 */
import { eq } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import { keyPolicies } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { DomainError, forbidden, unauthenticated } from "../domain/errors";
import { lockAccess } from "../auth/access";
import type { Principal } from "../auth/principal";
import { mayEditKeyPolicy } from "../roles/key-policy";
import { DEFAULT_WARNING_DAYS, defaultsAboveCaps, type KeyPolicyJson } from "../schemas/key-policy-rules";
import type { UpdateKeyPolicyBody } from "../schemas/key-policy";

export type AccountKeyPolicy = KeyPolicyJson;

const DAY_MS = 86_400_000;

const DEFAULT_KEY_POLICY: AccountKeyPolicy = {
  max_lifetime_days: { user: null, service: null },
  default_lifetime_days: { user: null, service: null },
  warning_days: DEFAULT_WARNING_DAYS,
  leak_action: "revoke",
};

type PolicyRow = typeof keyPolicies.$inferSelect;

function fromRow(row: PolicyRow | undefined): AccountKeyPolicy {
  if (!row) return { ...DEFAULT_KEY_POLICY, warning_days: [...DEFAULT_KEY_POLICY.warning_days] };
  return {
    max_lifetime_days: { user: row.maxUserLifetimeDays, service: row.maxServiceLifetimeDays },
    default_lifetime_days: { user: row.defaultUserLifetimeDays, service: row.defaultServiceLifetimeDays },
    warning_days: row.warningDays,
    leak_action: row.leakAction,
  };
}

/** The account's policy, or the defaults. With `lock`, share-locks the row against a change until commit. */
export async function readKeyPolicy(input: {
  db: DbOrTx;
  accountId: string;
  lock?: boolean;
}): Promise<AccountKeyPolicy> {
  const query = input.db.select().from(keyPolicies).where(eq(keyPolicies.accountId, input.accountId));
  const [row] = input.lock ? await query.for("share") : await query;
  return fromRow(row);
}

/** Account admins change the policy; fields left out keep their value. One audit row with before and after. */
export async function updateKeyPolicy(input: {
  db: Db;
  clock: Clock;
  principal: Principal;
  clientAddress?: string | null;
  changes: UpdateKeyPolicyBody;
}): Promise<AccountKeyPolicy> {
  const { principal, changes } = input;
  return input.db.transaction(async (tx) => {
    // The caller's role as committed now, not as read when the request authenticated.
    const access = await lockAccess(tx, principal.user.id);
    if (!access) throw unauthenticated();
    const decision = mayEditKeyPolicy(access.user.accountRole);
    if (!decision.allowed) throw forbidden(decision.reason);
    const accountId = access.user.accountId;
    const [row] = await tx
      .select()
      .from(keyPolicies)
      .where(eq(keyPolicies.accountId, accountId))
      .for("update");
    const before = fromRow(row);
    const after: AccountKeyPolicy = {
      max_lifetime_days: { ...before.max_lifetime_days, ...changes.max_lifetime_days },
      default_lifetime_days: { ...before.default_lifetime_days, ...changes.default_lifetime_days },
      // Largest first, as people read them.
      warning_days: [...(changes.warning_days ?? before.warning_days)].sort((a, b) => b - a),
      leak_action: changes.leak_action ?? before.leak_action,
    };
    const problems = defaultsAboveCaps(after);
    const [first] = problems;
    if (first) throw new DomainError("invalid", first.message, { errors: problems });
    const now = input.clock.now();
    const values = {
      maxUserLifetimeDays: after.max_lifetime_days.user,
      maxServiceLifetimeDays: after.max_lifetime_days.service,
      defaultUserLifetimeDays: after.default_lifetime_days.user,
      defaultServiceLifetimeDays: after.default_lifetime_days.service,
      warningDays: after.warning_days,
      leakAction: after.leak_action,
      updatedAt: now,
      updatedByUserId: principal.user.id,
    };
    await tx
      .insert(keyPolicies)
      .values({ accountId, ...values })
      .onConflictDoUpdate({ target: keyPolicies.accountId, set: values });
    await writeAudit(tx, {
      at: now,
      accountId,
      actorUserId: principal.user.id,
      actorCredential: principal.credential.type,
      action: "key_policy.update",
      targetType: "account",
      targetId: accountId,
      clientAddress: input.clientAddress,
      details: { before: { ...before }, after: { ...after } },
    });
    return after;
  });
}

/**
 * Refuses an expiry later than the account's cap for this key type, or none under a cap: 422
 * `lifetime_above_policy`, naming the latest allowed date. Call inside the write's transaction: the
 * policy row is share-locked, so a cap committed meanwhile either counts or waits.
 */
export async function assertLifetimeWithinPolicy(input: {
  tx: DbOrTx;
  accountId: string;
  keyType: "user" | "service";
  expiresAt: Date | null;
  now: Date;
}): Promise<void> {
  const policy = await readKeyPolicy({ db: input.tx, accountId: input.accountId, lock: true });
  const cap = policy.max_lifetime_days[input.keyType];
  if (cap === null) return;
  const latest = new Date(input.now.getTime() + cap * DAY_MS);
  if (input.expiresAt && input.expiresAt.getTime() <= latest.getTime()) return;
  const latestText = latest.toISOString();
  throw new DomainError(
    "unprocessable",
    input.expiresAt
      ? `Your account allows ${input.keyType} keys at most ${cap} days: choose an \`expires_at\` no later than ${latestText}.`
      : `Your account allows ${input.keyType} keys at most ${cap} days: give an \`expires_at\` no later than ${latestText} (a key that never expires is not allowed).`,
    { code: "lifetime_above_policy", field: "expires_at" },
  );
}
