/**
 * A person's signed-in apps: each grant they approved (one per `ax auth login`), listed and revocable
 * like a session. Revoking one removes the grant with every code and token made under it.
 */
import { and, eq, gt } from "drizzle-orm";
import type { Clock } from "../../clock";
import type { Db, DbOrTx } from "../../db/client";
import { oauthRecords } from "../../db/schema";
import { notFound } from "../../domain/errors";
import { auditOAuth, CLI_CLIENT_ID } from "./audit";

export interface SignedInAppView {
  id: string;
  clientId: string;
  clientName: string;
  signedInAt: Date;
  expiresAt: Date;
}

export async function listSignedInApps(deps: { db: Db; clock: Clock }, input: { userId: string }) {
  const rows = await deps.db
    .select({
      grantId: oauthRecords.grantId,
      payload: oauthRecords.payload,
      expiresAt: oauthRecords.expiresAt,
    })
    .from(oauthRecords)
    .where(
      and(
        eq(oauthRecords.userId, input.userId),
        eq(oauthRecords.model, "Grant"),
        gt(oauthRecords.expiresAt, deps.clock.now()),
      ),
    );
  return (
    rows
      .flatMap((row): SignedInAppView[] => {
        const iat = row.payload.iat;
        const clientId = row.payload.clientId;
        if (!row.grantId || !row.expiresAt || typeof iat !== "number") return [];
        return [
          {
            id: row.grantId,
            clientId: typeof clientId === "string" ? clientId : CLI_CLIENT_ID,
            clientName: clientId === CLI_CLIENT_ID ? "ax CLI" : String(clientId),
            signedInAt: new Date(iat * 1000),
            expiresAt: row.expiresAt,
          },
        ];
      })
      // Newest first; `iat` is in whole seconds, so of two sign-ins in one second the later-expiring
      // (made later, to the millisecond) comes first.
      .sort(
        (a, b) =>
          b.signedInAt.getTime() - a.signedInAt.getTime() || b.expiresAt.getTime() - a.expiresAt.getTime(),
      )
  );
}

/** Signs the app out: its grant, codes and tokens are deleted at once. 404 unless it is the person's. */
export async function revokeSignedInApp(
  deps: { db: Db },
  input: { userId: string; grantId: string; clientAddress: string | null },
): Promise<void> {
  const deleted = await deps.db.transaction(async (tx) => {
    const [grant] = await tx
      .select({ grantId: oauthRecords.grantId })
      .from(oauthRecords)
      .where(
        and(
          eq(oauthRecords.model, "Grant"),
          eq(oauthRecords.grantId, input.grantId),
          eq(oauthRecords.userId, input.userId),
        ),
      );
    if (!grant) return false;
    await tx.delete(oauthRecords).where(eq(oauthRecords.grantId, input.grantId));
    await auditOAuth(tx, {
      userId: input.userId,
      action: "oauth.revoke",
      grantId: input.grantId,
      clientAddress: input.clientAddress,
    });
    return true;
  });
  if (!deleted) throw notFound("No such signed-in app.");
}

/** Ends every app signed in as the person, in the caller's transaction (blocking ends them with the sessions). */
export async function endSignedInApps(tx: DbOrTx, userId: string): Promise<void> {
  await tx.delete(oauthRecords).where(eq(oauthRecords.userId, userId));
}
