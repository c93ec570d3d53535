/** Audit rows of the ax CLI's sign-ins (`oauth.authorize`, `oauth.token_refresh`, `oauth.revoke`). */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { users } from "../../db/schema";
import { writeAudit } from "../../domain/audit";

/** The `ax` CLI's fixed client id (`ax/auth/__init__.py`, OAUTH_CLIENT_ID). */
export const CLI_CLIENT_ID = "arize-cli";
/** Where oidc-provider sends the browser to approve a sign-in: a dashboard page (app/cli/authorize). */
type AuditAction = "oauth.authorize" | "oauth.token_refresh" | "oauth.revoke";

/** One audit row about a person's CLI sign-in (the grant is its target, as a session is). */
export async function auditOAuth(
  db: DbOrTx,
  entry: {
    userId: string;
    action: AuditAction;
    grantId: string;
    clientAddress: string | null;
    actor?: "session" | "anonymous";
    reason?: string;
  },
): Promise<void> {
  const [user] = await db
    .select({ accountId: users.accountId })
    .from(users)
    .where(eq(users.id, entry.userId));
  if (!user) return;
  await writeAudit(db, {
    at: new Date(),
    accountId: user.accountId,
    actorUserId: entry.userId,
    actorCredential: entry.actor ?? "session",
    action: entry.action,
    targetType: "session",
    targetId: entry.grantId,
    clientAddress: entry.clientAddress,
    details: {
      variables: { client_id: CLI_CLIENT_ID, ...(entry.reason ? { reason: entry.reason } : {}) },
    },
  });
}
